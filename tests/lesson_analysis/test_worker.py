"""The whole path with the real engine: upload, processing on the main queue, the analysis job
on the low queue, figures stored, automatic captions, re-run, the teacher's captions winning,
delete. SQLite only: what is tested is the job, not the database (test_analysis covers both)."""

import pytest

from tests.lesson_analysis.conftest import queued_ids, run_worker
from tests.video.conftest import run_jobs, upload_via_api
from webapp.queue import Priority

TEACHER_CAPTIONS = b"WEBVTT\n\n00:01.000 --> 00:03.000\nMy own words, typed by me.\n"


@pytest.fixture
def backend():
    return "sqlite"


def _analysis(client, headers, video_id):
    reply = client.get(f"/api/v1/videos/{video_id}/analysis", headers=headers)
    assert reply.status_code == 200, reply.get_json()
    return reply.get_json()


def _captions(client, headers, video_id) -> str:
    reply = client.get(f"/videos/{video_id}/media/captions.vtt", headers=headers)
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


def _stored(app, video_id) -> list[str]:
    from webapp import db
    from webapp.video.models import Video
    from webapp.video.storage import storage

    with app.app_context():
        prefix = db.session().get(Video, video_id).prefix
        prefix += "analysis/"
        return [k[len(prefix) :] for k in storage().list_keys(prefix)]


def test_ready_video_is_analysed_on_the_low_queue(app, client, teacher_headers, spoken_clip):
    _, headers = teacher_headers
    video_id = upload_via_api(client, headers, spoken_clip.path)
    assert _analysis(client, headers, video_id)["status"] == "pending"  # still processing
    run_jobs(app)  # the main queue only: the video becomes ready, the analysis waits
    assert client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()["status"] == "ready"
    waiting = _analysis(client, headers, video_id)
    assert waiting["status"] == "pending" and waiting["metrics"] is None
    assert waiting["transcript"] == [] and waiting["questions"] == []
    assert queued_ids(app, priority=Priority.DEFAULT) == []
    assert len(queued_ids(app, priority=Priority.LOW)) == 1
    assert queued_ids(app, priority=Priority.LOW)[0].startswith("analyse-video-")

    run_worker(app)
    done = _analysis(client, headers, video_id)
    assert done["status"] == "done", done["error"]
    assert done["version"] and "tiny.en" in done["model"] and done["language"] == "en"
    figures = done["metrics"]
    assert 5 < figures["speech_s"] < spoken_clip.duration_s
    assert figures["teacher_talk_s"] > 0 and figures["questions"] >= 1
    assert figures["talk_per_minute"]
    words = " ".join(cue["text"] for cue in done["transcript"]).lower()
    assert "fractions" in words
    assert any(q["open"] and q["wait_ms"] and q["wait_ms"] > 2000 for q in done["questions"])
    assert done["turns"] and {t["speaker"] for t in done["turns"]} <= {
        "teacher", "student", "unknown"}  # fmt: skip
    stored = sorted(_stored(app, video_id))  # named after the run that made them
    assert [name.split("-")[0] for name in stored] == ["analysis", "captions"], stored

    # The machine transcript is the captions, labelled as automatic on the page.
    assert "fractions" in _captions(client, headers, video_id).lower()
    page = client.get(f"/videos/{video_id}", headers=headers).get_data(as_text=True)
    assert "Automatic transcript" in page

    # The teacher's own captions win, and a re-run keeps them.
    put = client.put(f"/api/v1/videos/{video_id}/captions?filename=mine.vtt",
                     data=TEACHER_CAPTIONS, headers=headers)  # fmt: skip
    assert put.status_code == 201, put.get_json()
    rerun = client.post(f"/api/v1/videos/{video_id}/analysis", headers=headers)
    assert rerun.status_code == 202 and rerun.get_json()["status"] == "pending"
    assert rerun.get_json()["metrics"] is None
    assert len(queued_ids(app, priority=Priority.LOW)) == 1
    run_worker(app)
    again = _analysis(client, headers, video_id)
    assert again["status"] == "done" and again["metrics"]["questions"] >= 1
    assert "My own words" in _captions(client, headers, video_id)
    page = client.get(f"/videos/{video_id}", headers=headers).get_data(as_text=True)
    assert "Automatic transcript" not in page

    # Deleting the analysis removes it and its stored results; the teacher's captions stay.
    assert client.delete(f"/api/v1/videos/{video_id}/analysis", headers=headers).status_code == 204
    gone = _analysis(client, headers, video_id)
    assert gone["status"] == "off" and gone["metrics"] is None and gone["transcript"] == []
    assert _stored(app, video_id) == []
    assert "My own words" in _captions(client, headers, video_id)
