"""Every kind of recording teachers upload goes through the real pipeline: API, S3, rq, ffmpeg.

Valid inputs end `ready` with the right duration and orientation; bad ones end `failed` with a
reason a teacher can act on, and the worker keeps going.
"""

import mimetypes

import pytest

from tests.media import matrix
from tests.video.conftest import run_jobs, upload_via_api

pytestmark = pytest.mark.slow


@pytest.fixture
def backend():
    """Media handling does not depend on the database; SQLite keeps this quick."""
    return "sqlite"


VALID = ["iphone", "hlg", "vfr", "webm-vp8", "webm-vp9", "mjpeg", "audio", "cover-art",
         "video-only", "surround", "odd", "uhd60"]  # fmt: skip


@pytest.mark.parametrize("name", VALID)
def test_valid_recordings_end_ready(app, client, teacher_headers, sample, name):
    _, headers = teacher_headers
    src = sample(name)
    content_type = mimetypes.guess_type(src.path.name)[0] or "application/octet-stream"
    video_id = upload_via_api(client, headers, src.path, title=name, content_type=content_type)
    run_jobs(app)
    video = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
    assert video["status"] == "ready", video["error"]
    assert abs(video["duration_ms"] - src.duration * 1000) <= 300
    assert video["has_video"] == src.has_video and video["has_audio"] == src.has_audio
    if src.has_video:
        assert (video["width"], video["height"]) == (src.width, src.height)
        assert video["playback"]["hls"] and video["playback"]["thumbnails_vtt"]
    master = client.get(video["playback"]["hls"], headers=headers).get_data(as_text=True)
    assert master.startswith("#EXTM3U")
    if src.has_audio:
        assert video["playback"]["peaks"]


def _bad_inputs(binaries, directory):
    segment = matrix.four_seconds(binaries, directory)
    return {
        "text renamed .mp4": (matrix.text_file(binaries, directory), NOT_A_RECORDING),
        "truncated": (matrix.truncated(binaries, directory), NOT_A_RECORDING),
        "disguised playlist": (matrix.disguised_playlist(binaries, directory, segment),
                               "not a supported video or audio format (it looks like a playlist"),
        "pixel bomb": (matrix.pixel_bomb(binaries, directory),
                       "is 12000\N{MULTIPLICATION SIGN}12000 pixels, larger than we accept"),
    }  # fmt: skip


# Each reason is asserted whole enough that no other failure message contains it.
NOT_A_RECORDING = "not a video or audio recording we can read — it may be damaged or incompletely"


def test_bad_recordings_fail_with_reasons_and_worker_survives(
    app, client, teacher_headers, binaries, tmp_path, sample
):
    _, headers = teacher_headers
    bad = _bad_inputs(binaries, tmp_path)
    ids = {label: upload_via_api(client, headers, path, title=label)
           for label, (path, _) in bad.items()}  # fmt: skip
    good_id = upload_via_api(client, headers, sample("odd").path, title="after the bad ones")
    run_jobs(app)
    for label, (_, reason) in bad.items():
        video = client.get(f"/api/v1/videos/{ids[label]}", headers=headers).get_json()
        assert video["status"] == "failed", label
        assert reason in video["error"], (label, video["error"])
    good = client.get(f"/api/v1/videos/{good_id}", headers=headers).get_json()
    assert good["status"] == "ready"


def test_over_length_recording_fails_with_the_limit(
    app, client, teacher_headers, binaries, tmp_path
):
    app.config["MAX_VIDEO_SECONDS"] = 2
    _, headers = teacher_headers
    video_id = upload_via_api(client, headers, matrix.four_seconds(binaries, tmp_path))
    run_jobs(app)
    video = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
    assert video["status"] == "failed"
    assert "is 4 s long; the limit is 2 s" in video["error"], video["error"]


def test_zero_bytes_is_refused_before_upload(client, teacher_headers):
    _, headers = teacher_headers
    reply = client.post(
        "/api/v1/videos",
        headers=headers,
        json={
            "title": "Empty",
            "filename": "empty.mp4",
            "size_bytes": 0,
            "content_type": "video/mp4",
        },
    )
    assert reply.status_code == 422
    assert "This file is empty. Choose the recording again." in reply.get_json()["error"]["message"]
