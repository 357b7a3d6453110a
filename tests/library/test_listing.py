"""The library's lists: keyset pages, sorts and filters, always inside what a person may watch."""

from datetime import date, datetime, timedelta

import pytest

from tests.conftest import bearer
from webapp import db


@pytest.fixture
def school(make_user, pair_users, client):
    """A teacher with a paired coach, a second teacher of that coach, and a stranger."""
    people = {
        "teacher": make_user("teacher", name="Tess Teacher"),
        "other": make_user("teacher", name="Omar Other"),
        "coach": make_user("coach", name="Cody Coach"),
        "stranger": make_user("coach", name="Sid Stranger"),
    }
    pair_users(people["coach"], people["teacher"])
    pair_users(people["coach"], people["other"])
    return people


def _lessons(make_ready_video, owner, count: int, start: date, **columns) -> list[int]:
    """`count` lessons of `owner`, one a day going back from `start`."""
    return [
        make_ready_video(
            owner, title=f"Lesson {n}", lesson_date=start - timedelta(days=n), **columns
        )
        for n in range(count)
    ]


def _ids(reply) -> list[int]:
    assert reply.status_code == 200, reply.get_json()
    return [v["id"] for v in reply.get_json()["videos"]]


def _walk(client, headers, **params) -> list[int]:
    """Every page, following next_cursor, as one list of ids."""
    seen, cursor = [], ""
    while True:
        reply = client.get(
            "/api/v1/videos", query_string={**params, "cursor": cursor}, headers=headers
        )
        seen += _ids(reply)
        cursor = reply.get_json()["next_cursor"]
        if cursor is None:
            return seen


def test_pages_of_25_newest_lesson_first(client, school, make_ready_video):
    ids = _lessons(make_ready_video, school["teacher"], 30, date(2026, 5, 30))
    headers = bearer(client, school["teacher"].email)
    first = client.get("/api/v1/videos", headers=headers).get_json()
    assert [v["id"] for v in first["videos"]] == ids[:25]
    assert first["videos"][0]["lesson_date"] == "2026-05-30"
    second = client.get(
        "/api/v1/videos", query_string={"cursor": first["next_cursor"]}, headers=headers
    ).get_json()
    assert [v["id"] for v in second["videos"]] == ids[25:]
    assert second["next_cursor"] is None


def test_pages_stay_put_while_lessons_are_uploaded(client, school, make_ready_video):
    """A keyset page: new lessons go on page one, and page two still follows page one."""
    ids = _lessons(make_ready_video, school["teacher"], 28, date(2026, 5, 30))
    headers = bearer(client, school["teacher"].email)
    first = client.get("/api/v1/videos", headers=headers).get_json()
    _lessons(make_ready_video, school["teacher"], 3, date(2026, 6, 3))  # newer, mid-paging
    make_ready_video(school["teacher"], title="Same day", lesson_date=date(2026, 5, 30))
    second = client.get(
        "/api/v1/videos", query_string={"cursor": first["next_cursor"]}, headers=headers
    )
    assert _ids(second) == ids[25:]


def test_same_day_lessons_are_neither_skipped_nor_repeated(client, school, make_ready_video):
    ids = [make_ready_video(school["teacher"], lesson_date=date(2026, 3, 2)) for _ in range(27)]
    walked = _walk(client, bearer(client, school["teacher"].email))
    assert walked == sorted(ids, reverse=True)


def test_activity_sort_follows_notes_but_not_private_ones(app, client, school, make_ready_video):
    from webapp.annotations import services as notes
    from webapp.annotations.schemas import AnnotationCreate
    from webapp.auth.models import User
    from webapp.video.models import Video

    old, busy, private = (make_ready_video(school["teacher"], title=t) for t in "abc")
    with app.app_context():
        coach = db.session().get(User, school["coach"].id)
        for video_id in (old, busy, private):
            db.session().get(Video, video_id).activity_at = datetime(2026, 1, 1)
        db.session().flush()
        notes.create(db.session().get(Video, busy), coach, AnnotationCreate(start_ms=0, body="Hi"))
        notes.create(
            db.session().get(Video, private),
            coach,
            AnnotationCreate(start_ms=0, body="for me", private=True),
        )
        db.session().commit()
    headers = bearer(client, school["teacher"].email)
    reply = client.get("/api/v1/videos", query_string={"sort": "activity"}, headers=headers)
    assert _ids(reply)[0] == busy
    assert set(_ids(reply)[1:]) == {old, private}


def test_filters_narrow_by_teacher_cycle_status_and_dates(client, school, make_ready_video):
    from webapp.video.models import Status

    t, o = school["teacher"], school["other"]
    march = make_ready_video(t, lesson_date=date(2026, 3, 10))
    april = make_ready_video(t, lesson_date=date(2026, 4, 10))
    failed = make_ready_video(t, lesson_date=date(2026, 4, 12), status=Status.FAILED)
    others = make_ready_video(o, lesson_date=date(2026, 4, 11))
    coach = bearer(client, school["coach"].email)

    def listed(**params):
        return set(_walk(client, coach, **params))

    assert listed() == {march, april, failed, others}
    assert listed(teacher=o.id) == {others}
    assert listed(status="failed") == {failed}
    assert listed(**{"from": "2026-04-01"}) == {april, failed, others}
    assert listed(**{"from": "2026-04-01", "to": "2026-04-11"}) == {april, others}
    assert listed(scope="coached") == {march, april, failed, others}
    assert listed(scope="mine") == set()


def test_cycle_and_move_filters(app, client, school, make_ready_video):
    from webapp.annotations import services as notes
    from webapp.annotations.schemas import AnnotationCreate
    from webapp.auth.models import User
    from webapp.coaching.models import Cycle, Move
    from webapp.video.models import Video

    with app.app_context():
        move = db.session().query(Move).order_by(Move.id).first()
        cycle = Cycle(
            teacher_id=school["teacher"].id,
            coach_id=school["coach"].id,
            framework_id=move.framework_id,
            title="Questioning",
        )
        db.session().add(cycle)
        db.session().commit()
        move_id, cycle_id = move.id, cycle.id
    filed = make_ready_video(school["teacher"], cycle_id=cycle_id)
    tagged = make_ready_video(school["teacher"])
    hidden = make_ready_video(school["teacher"])
    with app.app_context():
        coach = db.session().get(User, school["coach"].id)
        notes.create(
            db.session().get(Video, tagged),
            coach,
            AnnotationCreate(start_ms=0, body="Nice", move_id=move_id),
        )
        notes.create(
            db.session().get(Video, hidden),
            coach,
            AnnotationCreate(start_ms=0, body="mine", move_id=move_id, private=True),
        )
        db.session().commit()
    teacher, coach = (bearer(client, school[k].email) for k in ("teacher", "coach"))
    assert _walk(client, teacher, cycle=cycle_id) == [filed]
    # The teacher cannot read the coach's private note, so its move does not find that lesson.
    assert _walk(client, teacher, move=move_id) == [tagged]
    assert set(_walk(client, coach, move=move_id)) == {tagged, hidden}


def test_filters_never_widen_access(client, school, make_ready_video):
    make_ready_video(school["teacher"])
    stranger = bearer(client, school["stranger"].email)
    for params in (
        {},
        {"teacher": school["teacher"].id},
        {"scope": "shared"},
        {"scope": "coached"},
        {"status": "ready"},
    ):
        assert _walk(client, stranger, **params) == []


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "not-a-cursor"},
        {"cursor": "MjAyNi0wMS0wMX4w"},
        {"from": "2026-05-01", "to": "2026-04-01"},
        {"from": "yesterday"},
        {"sort": "title"},
        {"status": "lost"},
        {"teacher": "0"},
    ],
)
def test_bad_list_arguments_answer_422_and_the_page_still_shows(client, auth, school, params):
    headers = bearer(client, school["teacher"].email)
    reply = client.get("/api/v1/videos", query_string=params, headers=headers)
    assert reply.status_code == 422 and reply.get_json()["error"]["message"]
    auth.login(school["teacher"].email)
    page = client.get("/videos", query_string=params)
    assert page.status_code == 200
    assert "Showing every lesson instead." in page.get_data(as_text=True)


def test_the_library_page_pages_filters_and_shows_details(client, auth, school, make_ready_video):
    ids = _lessons(
        make_ready_video, school["teacher"], 26, date(2026, 5, 30), class_name="7B", subject="Maths"
    )
    auth.login(school["coach"].email)
    html = client.get("/videos").get_data(as_text=True)
    assert html.count('class="video-item"') == 25
    assert "30 May 2026" in html and "7B · Maths" in html and "Tess Teacher" in html
    assert f"/videos/{ids[0]}/thumbnail.jpg" in html
    assert 'rel="next"' in html
    filtered = client.get("/videos", query_string={"to": "2026-05-05"}).get_data(as_text=True)
    assert filtered.count('class="video-item"') == 1 and "5 May 2026" in filtered
    empty = client.get("/videos", query_string={"to": "2001-01-01"}).get_data(as_text=True)
    assert "No lessons match these filters." in empty


def test_thumbnails_follow_access_and_are_not_views(app, client, school, make_ready_video):
    from tests.sharing.conftest import audit_rows

    video_id = make_ready_video(school["teacher"])
    coach, stranger = (bearer(client, school[k].email) for k in ("coach", "stranger"))
    reply = client.get(f"/videos/{video_id}/thumbnail.jpg", headers=coach)
    assert reply.status_code == 302 and "poster.jpg" in reply.headers["Location"]
    assert audit_rows(app, action="video.viewed") == []
    assert client.get(f"/videos/{video_id}/thumbnail.jpg", headers=stranger).status_code == 404
