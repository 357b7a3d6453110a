"""The annotation API reads its bodies and query strings strictly, and PATCH changes only what
was sent; what the review page's scripts send is accepted as it is. SQLite only: what is tested
is the app's reading of requests (the timeline's JSON is checked on both in test_timeline_json).
"""

from datetime import timedelta

import pytest

from webapp import db


@pytest.fixture(params=["sqlite"])
def backend(request):
    return request.param


def _notes(s):
    return f"/api/v1/videos/{s.video_id}/annotations"


def _post(client, s, headers=None, **body):
    return client.post(_notes(s), headers=headers or s.coach_h, json=body)


def _fields(reply) -> dict:
    assert reply.status_code == 422, reply.get_json()
    return reply.get_json()["error"]["fields"]


NOTE = {"start_ms": 1000, "body": "Nice wait time"}


@pytest.mark.parametrize("change,field,message", [
    ({"private": "false"}, "private", "Must be true or false."),
    ({"private": 0}, "private", "Must be true or false."),
    ({"start_ms": "1000"}, "start_ms", "Must be a whole number."),
    ({"start_ms": 1000.5}, "start_ms", "Must be a whole number."),
    ({"end_ms": True}, "end_ms", "Must be a whole number."),
    ({"body": ["a", "list"]}, "body", "Must be text."),
    ({"body": "x" * 5001}, "body", "At most 5000 characters."),
    ({"kind": "grade"}, "kind", "Choose one of 'comment'"),
    ({"kind": None}, "kind", "Choose one of 'comment'"),
    ({"move_id": "3"}, "move_id", "Must be a whole number."),
    ({"goal_id": 0}, "goal_id", "At least 1."),
    ({"parent_id": True}, "parent_id", "Must be a whole number."),
    ({"surprise": 1}, "surprise", "Unknown field."),
])  # fmt: skip
def test_a_new_note_is_read_strictly(client, setup, change, field, message):
    fields = _fields(_post(client, setup, **NOTE | change))
    assert message in fields[field]


def test_a_note_needs_a_body_and_a_moment_but_a_reply_only_a_body(client, setup):
    s = setup
    assert _fields(_post(client, s, start_ms=1000)) == {"body": "This field is required."}
    assert _fields(_post(client, s, body="Where?")) == {"start_ms": "Required."}
    thread = _post(client, s, **NOTE).get_json()
    reply = _post(client, s, s.teacher_h, parent_id=thread["id"], body="Yes")
    assert reply.status_code == 201 and reply.get_json()["start_ms"] == 1000


def test_what_the_review_page_sends_is_accepted(client, setup):
    """composer.js sends every field, null for the empty ones; list.js replies and edits."""
    s = setup
    sent = {"start_ms": 2000, "end_ms": None, "body": "Wait time", "kind": "comment",
            "move_id": None, "goal_id": None, "private": False}  # fmt: skip
    note = _post(client, s, **sent)
    assert note.status_code == 201, note.get_json()
    assert {k: note.get_json()[k] for k in sent} == sent
    ranged = _post(client, s, **sent | {"end_ms": 4000, "move_id": s.move_ids[0]})
    assert ranged.status_code == 201, ranged.get_json()
    note_id = note.get_json()["id"]
    reply = _post(client, s, s.teacher_h, parent_id=note_id, body="Thanks")
    assert reply.status_code == 201, reply.get_json()
    url = f"/api/v1/annotations/{note_id}"
    assert client.patch(url, headers=s.coach_h, json={"body": "Edited"}).status_code == 200
    assert client.patch(url, headers=s.teacher_h, json={"resolved": True}).status_code == 200


def test_a_patch_changes_only_the_fields_it_sends(client, setup):
    s = setup
    tags = {"kind": "strength", "move_id": s.move_ids[0], "goal_id": s.goal_ids[0]}
    created = _post(client, s, start_ms=1000, end_ms=3000, body="Turn and talk", **tags).get_json()
    url = f"/api/v1/annotations/{created['id']}"
    unchanged = ("video_id", "author", "created_at", "parent_id", "deleted")

    def patch(change: dict, expected: dict, headers=None) -> dict:
        reply = client.patch(url, headers=headers or s.coach_h, json=change)
        assert reply.status_code == 200, reply.get_json()
        after = reply.get_json()
        for key in after.keys() - {"updated_at"}:
            want = expected.get(key, before[key])
            assert after[key] == want, (change, key)
        assert {k: after[k] for k in unchanged} == {k: created[k] for k in unchanged}
        return after

    before = created
    before = patch({"resolved": True}, {"resolved": True}, s.teacher_h)  # not an edit
    before = patch({"body": "Turn and talk, then share"},
                   {"body": "Turn and talk, then share", "edited": True})  # fmt: skip
    before = patch({"end_ms": None}, {"end_ms": None})  # a range becomes a moment
    before = patch({"move_id": None}, {"move_id": None})
    before = patch({"kind": "question", "private": True}, {"kind": "question", "private": True})
    before = patch({}, {})
    assert before["goal_id"] == s.goal_ids[0] and before["start_ms"] == 1000


@pytest.mark.parametrize("change,field", [
    ({"resolved": "yes"}, "resolved"), ({"resolved": None}, "resolved"),
    ({"body": None}, "body"), ({"kind": None}, "kind"), ({"kind": "grade"}, "kind"),
    ({"private": 1}, "private"), ({"start_ms": None}, "start_ms"),
    ({"end_ms": "2000"}, "end_ms"), ({"move_id": 1.0}, "move_id"),
    ({"author_id": 1}, "author_id"), ({"deleted": True}, "deleted"),
])  # fmt: skip
def test_a_patch_is_read_strictly(client, setup, change, field):
    note = _post(client, setup, **NOTE).get_json()
    reply = client.patch(f"/api/v1/annotations/{note['id']}", headers=setup.coach_h, json=change)
    assert field in _fields(reply)
    listed = client.get(_notes(setup), headers=setup.coach_h).get_json()["annotations"]
    assert listed[0]["updated_at"] == note["updated_at"]  # nothing was changed


@pytest.mark.parametrize("query,field", [
    ({"limit": "0"}, "limit"), ({"limit": "1001"}, "limit"), ({"limit": "-3"}, "limit"),
    ({"limit": "9" * 40}, "limit"), ({"since": "yesterday"}, "since"),
    ({"since": "2026-13-01T00:00:00Z"}, "since"), ({"cursor": "1.2.3"}, "cursor"),
])  # fmt: skip
def test_out_of_range_limits_and_bad_times_are_refused_not_clamped(client, setup, query, field):
    reply = client.get(_notes(setup), query_string=query, headers=setup.teacher_h)
    assert field in _fields(reply)


def test_the_largest_page_and_an_empty_cursor_are_accepted(client, setup):
    _post(client, setup, **NOTE)
    for query in ({"limit": "1000"}, {"limit": "1"}, {"cursor": ""}):
        reply = client.get(_notes(setup), query_string=query, headers=setup.teacher_h)
        assert reply.status_code == 200 and len(reply.get_json()["annotations"]) == 1, query


def test_since_takes_rfc3339_with_z_an_offset_or_none(client, setup):
    """The review page polls without a zone (meaning UTC); other clients send Z or an offset."""
    s = setup
    _post(client, s, **NOTE)
    before, after = db.utcnow() - timedelta(hours=1), db.utcnow() + timedelta(hours=1)
    cases = [
        (before.isoformat() + "Z", 1), (after.isoformat() + "Z", 0),
        (before.isoformat(), 1), (after.isoformat(), 0),
        ((before + timedelta(hours=2)).isoformat() + "+02:00", 1),  # the same moment as before
        ((after + timedelta(hours=2)).isoformat() + "+02:00", 0),
    ]  # fmt: skip
    for since, count in cases:
        reply = client.get(_notes(s), query_string={"since": since}, headers=s.teacher_h)
        assert reply.status_code == 200, (since, reply.get_json())
        assert len(reply.get_json()["annotations"]) == count, since


@pytest.mark.parametrize("path,query", [
    ("annotations.vtt", {"inline": "perhaps"}), ("annotations.csv", {"private": "perhaps"}),
])  # fmt: skip
def test_export_flags_are_booleans(client, setup, path, query):
    reply = client.get(f"/api/v1/videos/{setup.video_id}/{path}", query_string=query,
                       headers=setup.coach_h)  # fmt: skip
    assert set(query) <= set(_fields(reply))


def test_export_flags_take_true_as_well_as_1(client, setup):
    s = setup
    _post(client, s, **NOTE | {"private": True, "body": "Only me"})
    for flag in ("1", "true"):
        sheet = client.get(f"{_notes(s)}.csv", query_string={"private": flag}, headers=s.coach_h)
        assert "Only me" in sheet.get_data(as_text=True)
        track = client.get(f"{_notes(s)}.vtt", query_string={"inline": flag}, headers=s.coach_h)
        assert "Content-Disposition" not in track.headers and track.mimetype == "text/vtt"
    assert (
        "attachment"
        in client.get(f"{_notes(s)}.vtt", headers=s.coach_h).headers["Content-Disposition"]
    )


def test_captions_come_as_a_raw_body_or_a_form_file(client, setup):
    import io

    s = setup
    url = f"/api/v1/videos/{s.video_id}/captions"
    vtt = b"WEBVTT\n\n00:01.000 --> 00:02.000\nGood morning, class.\n"
    srt = b"1\n00:00:01,000 --> 00:00:02,000\nGood morning\n"
    raw = client.put(url, headers={**s.teacher_h, "Content-Type": "text/vtt"}, data=vtt)
    assert raw.status_code == 201 and raw.get_json()["cues"] == 1
    form = client.put(url, headers=s.teacher_h, data={"file": (io.BytesIO(srt), "lesson.srt")})
    assert form.status_code == 201, form.get_json()
    assert form.get_json() == {"cues": 1, "url": f"/videos/{s.video_id}/media/captions.vtt"}
