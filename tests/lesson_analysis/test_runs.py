"""A run against everything that can happen while it works: a deletion, a re-run, the
teacher's own captions, a server with analysis turned off. Each run is named by its token, so
a run that lost its place stores nothing and leaves no object behind."""

import pytest

from tests.conftest import bearer
from tests.lesson_analysis.conftest import fake_result, queued_ids
from tests.lesson_analysis.test_analysis import _publish, _row
from webapp.queue import Priority, get_queue

TEACHER_CAPTIONS = b"WEBVTT\n\n00:01.000 --> 00:03.000\nMy own words.\n"


@pytest.fixture
def lesson(app, client, make_user, make_ready_video):
    """A teacher's video just published: its analysis waits for a worker."""
    teacher = make_user("teacher")
    headers = bearer(client, teacher.email)
    video_id = make_ready_video(teacher, status="processing")
    _publish(app, video_id, has_audio=True)
    return video_id, headers


def _begin(app, video_id):
    from webapp.analysis import running

    token = _row(app, video_id).run_token
    with app.app_context():
        assert running.begin(video_id, token) is not None
    return token


def _stored(app, video_id):
    from webapp import db
    from webapp.video.models import Video
    from webapp.video.storage import storage

    with app.app_context():
        prefix = db.session().get(Video, video_id).prefix + "analysis/"
        return sorted(key.removeprefix(prefix) for key in storage().list_keys(prefix))


def _audits(app, action):
    from webapp import db
    from webapp.sharing.models import AuditEvent

    with app.app_context():
        return db.session().query(AuditEvent).filter_by(action=action).count()


def test_a_run_deleted_while_it_works_stops_and_stores_nothing(app, client, lesson):
    from webapp.analysis import running

    video_id, headers = lesson
    old = _begin(app, video_id)
    assert client.delete(f"/api/v1/videos/{video_id}/analysis", headers=headers).status_code == 204
    with app.app_context():
        with pytest.raises(running.RunCancelled):  # its next progress report stops it
            running.ProgressRecorder(video_id, old, interval=0)(50)
        assert running.finish(video_id, old, fake_result()) is False
    assert _row(app, video_id) is None and _stored(app, video_id) == []

    # Asked for again while the old job may still be winding down: a job of its own.
    again = client.post(f"/api/v1/videos/{video_id}/analysis", headers=headers)
    assert again.status_code == 202 and again.get_json()["status"] == "pending"
    new = _row(app, video_id).run_token
    assert new != old and any(new in job for job in queued_ids(app, priority=Priority.LOW))
    with app.app_context():
        assert running.begin(video_id, old) is None  # the old run cannot take it back
        assert running.finish(video_id, old, fake_result()) is False
    assert _row(app, video_id).status == "pending"
    assert _begin(app, video_id) == new
    with app.app_context():
        assert running.finish(video_id, new, fake_result())
    assert _row(app, video_id).status == "done"
    assert [name.split("-")[0] for name in _stored(app, video_id)] == ["analysis", "captions"]


def test_captions_uploaded_while_a_run_works_win(app, client, lesson):
    from webapp import db
    from webapp.analysis import running
    from webapp.video.models import Video

    video_id, headers = lesson
    token = _begin(app, video_id)
    put = client.put(f"/api/v1/videos/{video_id}/captions?filename=mine.vtt",
                     data=TEACHER_CAPTIONS, headers=headers)  # fmt: skip
    assert put.status_code == 201
    with app.app_context():
        assert running.finish(video_id, token, fake_result())
        video = db.session().get(Video, video_id)
        assert video.captions_key.endswith("/captions.vtt") and not video.captions_automatic
    assert [name.split("-")[0] for name in _stored(app, video_id)] == ["analysis"]
    vtt = client.get(f"/videos/{video_id}/media/captions.vtt", headers=headers)
    assert "My own words" in vtt.get_data(as_text=True)


def test_a_re_run_replaces_its_objects_and_a_silent_one_removes_automatic_captions(
    app, client, lesson
):
    from webapp import db
    from webapp.analysis import running
    from webapp.video.models import Video

    video_id, headers = lesson
    first = _begin(app, video_id)
    with app.app_context():
        assert running.finish(video_id, first, fake_result())
    assert client.post(f"/api/v1/videos/{video_id}/analysis", headers=headers).status_code == 202
    assert _audits(app, "analysis.rerun") == 1
    second = _begin(app, video_id)
    silent = fake_result() | {"transcript": []}
    with app.app_context():
        assert running.finish(video_id, second, silent)
        video = db.session().get(Video, video_id)
        assert video.captions_key is None and not video.captions_automatic
    # Only this run's result is left: the first run's result and captions went.
    assert _stored(app, video_id) == [f"analysis-{second}.json"]


def test_nothing_to_delete_records_nothing(app, client, make_user, make_ready_video):
    teacher = make_user("teacher")
    headers = bearer(client, teacher.email)
    never = make_ready_video(teacher)  # ready before analysis existed
    assert client.delete(f"/api/v1/videos/{never}/analysis", headers=headers).status_code == 204
    assert _audits(app, "analysis.deleted") == 0


def test_turned_off_server_turns_waiting_analyses_off(app, client, lesson):
    from webapp.maintenance import reconcile

    video_id, headers = lesson
    with app.app_context():
        get_queue(Priority.LOW).empty()  # the job is gone, and analysis was then turned off
    app.config["ANALYSIS_ENABLED"] = False
    try:
        with app.app_context():
            reconcile()
    finally:
        app.config["ANALYSIS_ENABLED"] = True
    reply = client.get(f"/api/v1/videos/{video_id}/analysis", headers=headers).get_json()
    assert reply["status"] == "off" and "ANALYSIS_ENABLED" in reply["error"]
