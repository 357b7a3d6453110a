"""The review page's server side: start-up data, unread counts, captions, debrief summary."""

import json
import re

import pytest
import webvtt

from webapp.video.storage import storage


def note(client, s, headers, **fields):
    body = {"start_ms": 1000, "body": "A note"} | fields
    response = client.post(f"/api/v1/videos/{s.video_id}/annotations", headers=headers, json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_unread_counts_follow_what_each_side_has_read(app, client, setup):
    s = setup
    first = note(client, s, s.coach_h, body="First")
    note(client, s, s.coach_h, body="Second")
    note(client, s, s.coach_h, body="Only me", private=True)
    with app.app_context():
        from webapp import db
        from webapp.annotations.review import unread_counts
        from webapp.auth.models import User
        from webapp.video.models import Video

        def counts(user_id):
            session = db.session()
            video = session.get(Video, s.video_id)
            return unread_counts([video], session.get(User, user_id))

        # The teacher has two new notes (not the coach's private one); the coach none of their own.
        assert counts(s.teacher.id) == {s.video_id: 2}
        assert counts(s.coach.id) == {}
        read = client.post(f"/api/v1/videos/{s.video_id}/annotations/read", headers=s.teacher_h)
        assert read.status_code == 204
        assert counts(s.teacher.id) == {}
        note(client, s, s.teacher_h, parent_id=first["id"], body="A reply")
        assert counts(s.coach.id) == {s.video_id: 1}
        assert counts(s.teacher.id) == {}


def test_unread_badge_on_the_video_list(client, setup, auth):
    s = setup
    note(client, s, s.coach_h, body="Look at 0:01")
    auth.login(s.teacher.email)
    for path in ("/videos", "/"):  # the list, and the recent lessons on the home page
        page = client.get(path).get_data(as_text=True)
        assert "Fractions lesson</a>" in page and "1 new" in page
    client.post(f"/api/v1/videos/{s.video_id}/annotations/read", headers=s.teacher_h)
    assert "1 new" not in client.get("/videos").get_data(as_text=True)


def test_marking_read_needs_access(client, setup, make_user):
    from tests.conftest import bearer

    stranger = bearer(client, make_user("coach").email)
    response = client.post(f"/api/v1/videos/{setup.video_id}/annotations/read", headers=stranger)
    assert response.status_code == 404


def test_review_page_embeds_moves_with_quick_keys_and_goals(client, setup, auth):
    auth.login(setup.coach.email)
    page = client.get(f"/videos/{setup.video_id}").get_data(as_text=True)
    assert 'id="review-data"' in page
    data = json.loads(re.search(r'id="review-data">(.*?)</script>', page, re.S).group(1))
    quick = [m["quick_key"] for m in data["moves"] if "quick_key" in m]
    assert quick == list(range(1, min(9, len(data["moves"])) + 1))
    assert [g["statement"] for g in data["goals"]] == ["More student talk", "Wait time"]
    assert data["can_annotate"] is True
    assert data["me"]["id"] == setup.coach.id


SRT = (
    b"1\n00:00:01,000 --> 00:00:02,000\nHello <b>class</b> & welcome\n\n"
    b"2\n00:00:03,000 --> 00:00:04,000\nA --> B\n"
)


def test_captions_are_normalised_stored_and_served(client, setup, auth):
    s = setup
    url = f"/api/v1/videos/{s.video_id}/captions?filename=lesson.srt"
    response = client.put(url, headers=s.teacher_h, data=SRT)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["cues"] == 2
    auth.login(s.coach.email)
    served = client.get(response.get_json()["url"])
    assert served.status_code == 200
    assert served.headers["Content-Type"].startswith("text/vtt")
    parsed = webvtt.from_string(served.get_data(as_text=True))
    assert [c.text for c in parsed.captions] == ["Hello class &amp; welcome", "A → B"]
    page = client.get(f"/videos/{s.video_id}").get_data(as_text=True)
    assert f'src="/videos/{s.video_id}/media/captions.vtt"' in page


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b"WEBVTT\n\nnot a cue at all", "no cues"),
        (b"just some words", "SubRip"),
    ],
)
def test_bad_caption_files_get_a_clear_error(client, setup, raw, message):
    url = f"/api/v1/videos/{setup.video_id}/captions?filename=x.vtt"
    response = client.put(url, headers=setup.teacher_h, data=raw)
    assert response.status_code == 422
    assert message in response.get_json()["error"]["message"]


def test_only_the_owner_manages_captions_and_removal_deletes_the_object(app, client, setup):
    s = setup
    url = f"/api/v1/videos/{s.video_id}/captions"
    assert client.put(url, headers=s.coach_h, data=SRT).status_code == 403
    assert client.put(url, headers=s.teacher_h, data=SRT).status_code == 201
    with app.app_context():
        from webapp import db
        from webapp.video.models import Video

        key = db.session().get(Video, s.video_id).captions_key
        assert storage().head(key).size > 0
    assert client.delete(url, headers=s.coach_h).status_code == 403
    assert client.delete(url, headers=s.teacher_h).status_code == 204
    with app.app_context():
        assert list(storage().list_keys(key)) == []


def test_summary_groups_by_goal_and_move_and_hides_others_private_notes(client, setup, auth):
    s = setup
    note(client, s, s.coach_h, body="Good wait", goal_id=s.goal_ids[1], move_id=s.move_ids[0])
    note(client, s, s.coach_h, body="Try cold call", kind="next_step", start_ms=5000)
    note(client, s, s.coach_h, body="Coach prep only", private=True)
    auth.login(s.teacher.email)
    page = client.get(f"/videos/{s.video_id}/summary").get_data(as_text=True)
    assert "Goal: Wait time" in page and "Good wait" in page
    assert page.index("Goal: Wait time") < page.index("Good wait")
    assert "Next steps" in page and "Try cold call" in page
    assert "Coach prep only" not in page
    assert f"/videos/{s.video_id}#t=5000" in page
    auth.login(s.coach.email)
    assert "Coach prep only" in client.get(f"/videos/{s.video_id}/summary").get_data(as_text=True)


def test_timeline_and_review_page_use_a_few_queries_however_many_notes(app, client, setup, auth):
    from sqlalchemy import event

    s = setup
    for i in range(30):
        note(client, s, s.coach_h, body=f"Note {i}", move_id=s.move_ids[i % 3], start_ms=i * 100)
    auth.login(s.coach.email)
    client.get(f"/videos/{s.video_id}")  # the first view is audited; later ones within 10 min not
    statements = []
    engine = app.extensions["db_engine"]

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        for path, most in (
            (f"/api/v1/videos/{s.video_id}/annotations", 5),  # 4 once the timeline is cached
            (f"/videos/{s.video_id}", 5),
        ):
            statements.clear()
            assert client.get(path).status_code == 200
            assert len(statements) <= most, path
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_cached_timeline_follows_every_write_and_each_readers_privacy(app, client, setup):
    s = setup
    url = f"/api/v1/videos/{s.video_id}/annotations"

    def bodies(headers):
        return [n["body"] for n in client.get(url, headers=headers).get_json()["annotations"]]

    shared = note(client, s, s.coach_h, body="Shared thought")
    note(client, s, s.coach_h, body="Coach prep", private=True, start_ms=2000)
    assert bodies(s.coach_h) == ["Shared thought", "Coach prep"]
    assert bodies(s.teacher_h) == ["Shared thought"]  # not the coach's cached copy
    with app.app_context():
        from webapp.queue import connection

        assert connection().keys(f"{app.config['QUEUE_NAME']}:timeline:{s.video_id}:*:*")
    edit = client.patch(f"/api/v1/annotations/{shared['id']}", headers=s.coach_h,
                        json={"body": "Edited thought"})  # fmt: skip
    assert edit.status_code == 200
    assert bodies(s.teacher_h) == ["Edited thought"]
    note(client, s, s.teacher_h, parent_id=shared["id"], body="A reply")
    assert bodies(s.coach_h) == ["Edited thought", "A reply", "Coach prep"]
    assert (
        client.delete(f"/api/v1/annotations/{shared['id']}", headers=s.coach_h).status_code == 204
    )
    assert bodies(s.coach_h) == ["Coach prep"]
    assert bodies(s.teacher_h) == []


def test_an_unchanged_timeline_is_answered_with_304(client, setup):
    s = setup
    url = f"/api/v1/videos/{s.video_id}/annotations"
    note(client, s, s.coach_h, body="First")
    first = client.get(url, headers=s.coach_h)
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = client.get(url, headers={**s.coach_h, "If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""
    teacher = client.get(url, headers={**s.teacher_h, "If-None-Match": tag})
    assert teacher.status_code == 200  # another reader, another validator
    note(client, s, s.teacher_h, body="Second")
    changed = client.get(url, headers={**s.coach_h, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert [n["body"] for n in changed.get_json()["annotations"]] == ["First", "Second"]
    polled = client.get(f"{url}?since=2000-01-01T00:00:00", headers=s.coach_h)
    assert "ETag" not in polled.headers and len(polled.get_json()["annotations"]) == 2
