"""A lesson's details: its date from the recording's own tags, edited by its owner only."""

import subprocess
from datetime import date, timedelta

import pytest

from tests.conftest import bearer, csrf_token
from webapp import db
from webapp.db import utcnow


def _record(binaries, path, *tags: str) -> str:
    """A one-second clip with container tags, as a phone writes them."""
    subprocess.run(
        [
            binaries.ffmpeg,
            "-v",
            "error",
            "-nostdin",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=s=160x90:r=15:d=1",
            "-f",
            "lavfi",
            "-i",
            "sine=d=1",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-shortest",
            *tags,
            str(path),
        ],
        check=True,
    )
    return str(path)


def test_iphone_files_give_the_local_day_they_were_recorded(binaries, tmp_path):
    """Apple's tag carries the phone's own offset: 21:30 in New York is 02:30 UTC next day."""
    from worker.media import probe

    path = _record(
        binaries,
        tmp_path / "IMG_0042.mov",
        "-movflags",
        "use_metadata_tags",
        "-metadata",
        "com.apple.quicktime.creationdate=2026-03-05T21:30:00-0500",
        "-metadata",
        "creation_time=2026-03-06T02:30:00.000000Z",
    )
    assert probe(path, binaries).recorded_on == date(2026, 3, 5)


def test_android_files_give_their_utc_creation_day(binaries, tmp_path):
    from worker.media import probe

    path = _record(
        binaries,
        tmp_path / "VID_20260305.mp4",
        "-metadata",
        "creation_time=2026-03-05T14:12:33.000000Z",
    )
    assert probe(path, binaries).recorded_on == date(2026, 3, 5)


@pytest.mark.parametrize(
    "stamp", [None, "1970-01-01T00:00:00Z", "1904-01-01T00:00:00Z", "2099-01-01T00:00:00Z"]
)
def test_no_tag_or_an_unset_clock_says_nothing(binaries, tmp_path, stamp):
    from worker.media import probe

    tags = ["-metadata", f"creation_time={stamp}"] if stamp else []
    assert probe(_record(binaries, tmp_path / "clip.mp4", *tags), binaries).recorded_on is None


def test_the_recording_date_becomes_the_lesson_date_unless_the_owner_set_one(
    app, make_user, make_ready_video
):
    from webapp.video import processing
    from webapp.video.models import Video

    teacher = make_user("teacher")
    found, chosen = make_ready_video(teacher), make_ready_video(teacher)
    with app.app_context():
        db.session().get(Video, chosen).lesson_date_source = "owner"
        db.session().commit()
        for video_id in (found, chosen):
            processing.record_probe(
                db.session().get(Video, video_id),
                duration_ms=1000,
                width=160,
                height=90,
                has_video=True,
                has_audio=True,
                recorded_on=date(2026, 2, 3),
            )
        db.session().expire_all()
        found_row, chosen_row = (db.session().get(Video, i) for i in (found, chosen))
        assert (found_row.lesson_date, found_row.lesson_date_source) == (
            date(2026, 2, 3),
            "recording",
        )
        assert (
            chosen_row.lesson_date == utcnow().date() and chosen_row.lesson_date_source == "owner"
        )


def test_the_owner_edits_every_detail_through_the_api(client, make_user, make_ready_video):
    teacher = make_user("teacher")
    video_id = make_ready_video(teacher)
    headers = bearer(client, teacher.email)
    reply = client.patch(
        f"/api/v1/videos/{video_id}",
        headers=headers,
        json={
            "title": "Fractions, day 2",
            "lesson_date": "2026-02-03",
            "class_name": " 7B ",
            "subject": "Maths",
            "grade": "7",
        },
    )
    assert reply.status_code == 200, reply.get_json()
    body = reply.get_json()
    assert (body["title"], body["lesson_date"], body["lesson_date_source"]) == (
        "Fractions, day 2",
        "2026-02-03",
        "owner",
    )
    assert (body["class_name"], body["subject"], body["grade"]) == ("7B", "Maths", "7")
    cleared = client.patch(f"/api/v1/videos/{video_id}", headers=headers, json={"class_name": ""})
    assert cleared.get_json()["class_name"] is None and cleared.get_json()["subject"] == "Maths"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lesson_date": (date.today() + timedelta(days=3)).isoformat()}, "lesson_date"),
        ({"lesson_date": "1999-12-31"}, "lesson_date"),
        ({"lesson_date": "03/05/2026"}, "lesson_date"),
        ({"grade": "x" * 41}, "grade"),
        ({"title": "   "}, "title"),
        ({"lesson_date": None}, None),
    ],
)
def test_bad_details_are_refused_and_change_nothing(
    client, make_user, make_ready_video, body, field
):
    teacher = make_user("teacher")
    video_id = make_ready_video(teacher, title="Kept")
    headers = bearer(client, teacher.email)
    reply = client.patch(
        f"/api/v1/videos/{video_id}", headers=headers, json={"subject": "Changed?", **body}
    )
    assert reply.status_code == 422
    if field:
        assert field in reply.get_json()["error"]["fields"]
    after = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
    assert after["title"] == "Kept" and after["subject"] is None


def test_only_the_owner_changes_details(client, make_user, pair_users, make_ready_video):
    teacher, coach = make_user("teacher"), make_user("coach")
    pair_users(coach, teacher)
    video_id = make_ready_video(teacher)
    reply = client.patch(
        f"/api/v1/videos/{video_id}",
        headers=bearer(client, coach.email),
        json={"lesson_date": "2026-01-02"},
    )
    assert reply.status_code == 403


def test_the_watch_page_form_saves_details_and_moves_the_lesson_between_cycles(
    app, client, auth, make_user, pair_users, make_ready_video
):
    from webapp.coaching.models import Cycle, Framework
    from webapp.video.models import Video

    teacher, coach = make_user("teacher"), make_user("coach")
    pair_users(coach, teacher)
    with app.app_context():
        framework = db.session().query(Framework).first()
        cycle = Cycle(
            teacher_id=teacher.id, coach_id=coach.id, framework_id=framework.id, title="Wait time"
        )
        db.session().add(cycle)
        db.session().commit()
        cycle_id = cycle.id
    video_id = make_ready_video(teacher)
    auth.login(teacher.email)
    page = client.get(f"/videos/{video_id}").get_data(as_text=True)
    assert "Lesson details" in page and "Wait time" in page
    form = {
        "csrf_token": csrf_token(client, f"/videos/{video_id}"),
        "title": "Wait time 1",
        "lesson_date": "2026-04-01",
        "class_name": "8C",
        "subject": "",
        "grade": "",
        "cycle_id": str(cycle_id),
    }
    reply = client.post(f"/videos/{video_id}/details", data=form)
    assert reply.status_code == 302
    with app.app_context():
        video = db.session().get(Video, video_id)
        assert (video.title, video.lesson_date, video.class_name, video.cycle_id) == (
            "Wait time 1",
            date(2026, 4, 1),
            "8C",
            cycle_id,
        )
    out = client.post(f"/videos/{video_id}/details", data={**form, "cycle_id": ""})
    assert out.status_code == 302
    bad = client.post(
        f"/videos/{video_id}/details", data={**form, "lesson_date": "soon"}, follow_redirects=True
    )
    assert "Use a date like 2026-09-01." in bad.get_data(as_text=True)
    with app.app_context():
        video = db.session().get(Video, video_id)
        assert video.cycle_id is None and video.lesson_date == date(2026, 4, 1)
