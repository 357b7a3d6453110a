"""Lesson analysis around the engine: when it is asked for, turned off, reconciled, failed,
stored and deleted, with the automatic captions. The engine only runs where a test needs its
refusal (no audio, not a recording); results are made up (conftest.fake_result)."""

import io
import subprocess
from types import SimpleNamespace

from tests.conftest import bearer
from tests.lesson_analysis.conftest import fake_result, queued_ids, run_worker
from webapp.queue import Priority, get_queue

TEACHER_CAPTIONS = b"WEBVTT\n\n00:01.000 --> 00:03.000\nMy own words.\n"


def _publish(app, video_id, **columns):
    """What the processing job's last step does: the video is ready, in one commit."""
    from webapp import db
    from webapp.video import processing
    from webapp.video.models import Video

    with app.app_context():
        video = db.session().get(Video, video_id)
        for name, value in columns.items():
            setattr(video, name, value)
        processing.publish(video, prefix=video.output_prefix, outputs=video.outputs, renditions=[])


def _row(app, video_id):
    from webapp import db
    from webapp.analysis.models import LessonAnalysis

    with app.app_context():
        return db.session().get(LessonAnalysis, video_id)


def _set(app, video_id, **columns):
    from webapp import db
    from webapp.analysis.models import LessonAnalysis

    with app.app_context():
        analysis = db.session().get(LessonAnalysis, video_id)
        for name, value in columns.items():
            setattr(analysis, name, value)
        db.session().commit()


def _finish(app, video_id, result=None):
    """Store a result as the job does once the engine answered."""
    from webapp.analysis import running

    token = _row(app, video_id).run_token
    with app.app_context():
        assert running.begin(video_id, token) is not None
        assert running.finish(video_id, token, result or fake_result())


def _teacher(client, make_user):
    teacher = make_user("teacher")
    return teacher, bearer(client, teacher.email)


def _get(client, headers, video_id):
    reply = client.get(f"/api/v1/videos/{video_id}/analysis", headers=headers)
    assert reply.status_code == 200, reply.get_json()
    return reply.get_json()


def test_a_ready_video_gets_one_job_on_the_low_queue(app, client, make_user, make_ready_video):
    teacher, headers = _teacher(client, make_user)
    video_id = make_ready_video(teacher, status="processing")
    assert _get(client, headers, video_id)["status"] == "pending"
    _publish(app, video_id, has_audio=True)
    again = client.post(f"/api/v1/videos/{video_id}/analysis", headers=headers)
    assert again.status_code == 202  # already waiting: left alone, not doubled
    assert (
        queued_ids(app, priority=Priority.DEFAULT) == []
        and len(queued_ids(app, priority=Priority.LOW)) == 1
    )
    _finish(app, video_id)
    done = _get(client, headers, video_id)
    assert done["status"] == "done" and done["progress"] == 100
    assert done["metrics"]["student_talk_pct"] == 40.0 and done["metrics"]["questions"] == 1
    assert done["questions"] == [{"start_ms": 1000, "end_ms": 4000, "open": True,
                                  "text": "Why do you think one half is bigger?",
                                  "wait_ms": 3500, "next_speaker": "student"}]  # fmt: skip
    assert done["transcript"][1] == {"start_ms": 7500, "end_ms": 9500, "text": "Fewer pieces."}
    assert [t["speaker"] for t in done["turns"]] == ["teacher", "student"]


def test_turned_off(app, client, make_user, make_ready_video):
    app.config["ANALYSIS_ENABLED"] = False
    teacher, headers = _teacher(client, make_user)
    video_id = make_ready_video(teacher, status="processing")
    _publish(app, video_id, has_audio=True)
    off = _get(client, headers, video_id)
    assert off["status"] == "off" and "ANALYSIS_ENABLED=0" in off["error"]
    assert queued_ids(app, priority=Priority.LOW) == []
    again = client.post(f"/api/v1/videos/{video_id}/analysis", headers=headers)
    assert again.status_code == 409 and "turned off" in again.get_json()["error"]["message"]


def test_no_audio_track(app, client, make_user, make_ready_video, binaries, tmp_path):
    from webapp.video.storage import storage

    teacher, headers = _teacher(client, make_user)
    known = make_ready_video(teacher, status="processing")
    _publish(app, known, has_audio=False)  # the probe said so: no job at all
    assert _get(client, headers, known) == {
        **_get(client, headers, known),
        "status": "off",
        "error": "This recording has no audio track.",
    }
    assert queued_ids(app, priority=Priority.LOW) == []
    # Not probed (an older row): the job finds out, and says the same.
    silent = tmp_path / "silent.mp4"
    subprocess.run([binaries.ffmpeg, "-v", "error", "-f", "lavfi", "-i",
                    "testsrc2=s=160x120:r=5:d=1", "-c:v", "libx264", "-preset", "ultrafast",
                    "-pix_fmt", "yuv420p", str(silent)], check=True)  # fmt: skip
    unknown = make_ready_video(teacher, status="processing", source_key="videos/s/source/s.mp4",
                               outputs={})  # fmt: skip
    with app.app_context():
        storage().upload_file(silent, "videos/s/source/s.mp4", "video/mp4")
    _publish(app, unknown, has_audio=None)
    run_worker(app)
    off = _get(client, headers, unknown)
    assert (off["status"], off["error"]) == ("off", "This recording has no audio track.")
    assert client.post(f"/api/v1/videos/{known}/analysis", headers=headers).status_code == 409


def test_engine_failures_end_in_failed_with_a_reason(app, client, make_user, make_ready_video):
    from webapp.video.storage import storage
    from worker import analyse_job

    teacher, headers = _teacher(client, make_user)
    garbage = make_ready_video(teacher, status="processing", source_key="videos/g/source/g.mp4",
                               outputs={})  # fmt: skip
    with app.app_context():
        storage().put_stream("videos/g/source/g.mp4", io.BytesIO(b"not a video" * 100), "video/mp4")
    _publish(app, garbage, has_audio=True)
    missing = make_ready_video(teacher, status="processing", source_key="videos/m/source/m.mp4",
                               outputs={})  # fmt: skip
    _publish(app, missing, has_audio=True)
    run_worker(app)  # survives both
    refused = _get(client, headers, garbage)
    assert refused["status"] == "failed" and refused["error"]
    # Storage trouble is retried: the analysis waits again, never stuck "running"...
    assert _get(client, headers, missing)["status"] == "pending"
    # ...and once no retry is left, it fails with a reason a teacher can act on.
    with app.app_context():
        job = SimpleNamespace(args=(missing, _row(app, missing).run_token), retries_left=0)
        analyse_job.on_analysis_failure(job, None, OSError, OSError("gone"), None)
    failed = _get(client, headers, missing)
    assert failed["status"] == "failed" and "Storage was unavailable" in failed["error"]
    rerun = client.post(f"/api/v1/videos/{missing}/analysis", headers=headers)
    assert rerun.status_code == 202 and rerun.get_json()["status"] == "pending"


def test_reconciler_re_enqueues_a_stuck_analysis(app, client, make_user, make_ready_video):
    from webapp.analysis.queueing import MAX_ATTEMPTS
    from webapp.maintenance import reconcile

    teacher, headers = _teacher(client, make_user)
    stuck, doomed = (make_ready_video(teacher, status="processing") for _ in range(2))
    for video_id in (stuck, doomed):
        _publish(app, video_id, has_audio=True)
    with app.app_context():
        get_queue(Priority.LOW).empty()  # Redis lost the jobs; the workers were killed mid-job
    _set(app, stuck, status="running", attempt=1, progress=40)
    _set(app, doomed, status="running", attempt=MAX_ATTEMPTS)
    with app.app_context():
        reconcile()
    assert _row(app, stuck).status == "pending" and _row(app, stuck).progress == 0
    assert len(queued_ids(app, priority=Priority.LOW)) == 1
    given_up = _get(client, headers, doomed)
    assert given_up["status"] == "failed" and "stopped 3 times" in given_up["error"]
    with app.app_context():
        reconcile()  # its job is alive now: nothing doubles
    assert len(queued_ids(app, priority=Priority.LOW)) == 1


def test_teachers_captions_win_and_delete_removes_everything(
    app, client, make_user, make_ready_video
):
    from webapp import db
    from webapp.sharing.models import AuditEvent
    from webapp.video.models import Video
    from webapp.video.storage import storage

    teacher, headers = _teacher(client, make_user)
    auto, own = (make_ready_video(teacher, status="processing") for _ in range(2))
    for video_id in (auto, own):
        _publish(app, video_id, has_audio=True)
    put = client.put(f"/api/v1/videos/{own}/captions?filename=mine.vtt", data=TEACHER_CAPTIONS,
                     headers=headers)  # fmt: skip
    assert put.status_code == 201
    for video_id in (auto, own):
        _finish(app, video_id)
    auto_vtt = client.get(f"/videos/{auto}/media/captions.vtt", headers=headers)
    assert "Why do you think" in auto_vtt.get_data(as_text=True)
    own_vtt = client.get(f"/videos/{own}/media/captions.vtt", headers=headers)
    assert "My own words" in own_vtt.get_data(as_text=True)
    page = client.get(f"/videos/{auto}", headers=headers).get_data(as_text=True)
    assert "Automatic transcript" in page
    # The teacher deletes the automatic captions like any others (the analysis stays).
    assert client.delete(f"/api/v1/videos/{auto}/captions", headers=headers).status_code == 204
    assert client.get(f"/videos/{auto}/media/captions.vtt", headers=headers).status_code == 404
    assert _get(client, headers, auto)["status"] == "done"
    assert client.post(f"/api/v1/videos/{auto}/analysis", headers=headers).status_code == 202
    _finish(app, auto)
    # Deleting the analysis takes its rows, stored objects and automatic captions.
    assert client.delete(f"/api/v1/videos/{auto}/analysis", headers=headers).status_code == 204
    with app.app_context():
        video = db.session().get(Video, auto)
        assert video.captions_key is None and not video.captions_automatic
        assert list(storage().list_keys(video.prefix + "analysis/")) == []
        assert db.session().query(AuditEvent).filter_by(action="analysis.deleted").count() == 1
    assert _row(app, auto) is None
    # Deleting the video takes its analysis with it.
    with app.app_context():
        prefix = db.session().get(Video, own).prefix
        assert list(storage().list_keys(prefix + "analysis/"))
    assert client.delete(f"/api/v1/videos/{own}", headers=headers).status_code == 204
    assert _row(app, own) is None
    with app.app_context():
        assert list(storage().list_keys(prefix)) == []


def test_before_ready_and_after_failure(app, client, make_user, make_ready_video):
    teacher, headers = _teacher(client, make_user)
    failed = make_ready_video(teacher, status="failed")
    old = make_ready_video(teacher)  # ready before analysis existed: no row
    assert _get(client, headers, failed)["status"] == "off"
    never = _get(client, headers, old)
    assert never["status"] == "off" and "not been analysed" in never["error"]
    assert client.post(f"/api/v1/videos/{failed}/analysis", headers=headers).status_code == 409
    started = client.post(f"/api/v1/videos/{old}/analysis", headers=headers)
    assert started.status_code == 202 and started.get_json()["status"] == "pending"
    assert len(queued_ids(app, priority=Priority.LOW)) == 1
