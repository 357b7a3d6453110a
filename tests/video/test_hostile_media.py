"""Files that lie or cost too much: a container header claiming a short duration, and work
over the CPU budget, fail with a clear reason and publish nothing."""

import struct
import time

import pytest

from tests.video.conftest import make_clip, run_jobs, upload_via_api
from worker.ffrun import CpuBudget, CpuBudgetExceeded, run_ffmpeg


@pytest.fixture
def backend():
    return "sqlite"  # what these prove does not depend on the database


def lying_mkv(ffmpeg: str, path, *, seconds: int, claims_ms: float):
    """A real `seconds`-long Matroska file whose Segment Duration says `claims_ms`."""
    make_clip(ffmpeg, path, seconds=seconds, size="160x120", fps=10)
    data = bytearray(path.read_bytes())
    at = data.find(b"\x44\x89\x88")  # Duration element, 8-byte float, in TimecodeScale (ms)
    assert at > 0, "no Duration element"
    data[at + 3 : at + 11] = struct.pack(">d", claims_ms)
    path.write_bytes(bytes(data))
    return path


def _video(client, headers, video_id):
    return client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()


def _published(app, video_id) -> list[str]:
    from webapp import db
    from webapp.video.models import Video
    from webapp.video.storage import storage

    with app.app_context():
        prefix = db.session().get(Video, video_id).prefix
        return [k for k in storage().list_keys(prefix) if not k.startswith(prefix + "source/")]


def test_a_header_that_understates_the_length_fails_the_video(
    app, client, teacher_headers, binaries, tmp_path
):
    _, headers = teacher_headers
    source = lying_mkv(binaries.ffmpeg, tmp_path / "lesson.mkv", seconds=30, claims_ms=5000)
    app.config["MAX_VIDEO_SECONDS"] = 8
    video_id = upload_via_api(client, headers, source, content_type="video/x-matroska")
    started = time.monotonic()
    run_jobs(app)
    video = _video(client, headers, video_id)
    assert video["status"] == "failed"
    assert "longer than the limit of 8 s" in video["error"]
    assert "says it is 5 s long" in video["error"]
    assert video["playback"]["hls"] is None and video["playback"]["mp4"] is None
    assert _published(app, video_id) == []
    assert time.monotonic() - started < 60


def test_a_mislabelled_file_within_the_limit_fails_too(app, client, teacher_headers, binaries,
                                                       tmp_path):  # fmt: skip
    _, headers = teacher_headers
    source = lying_mkv(binaries.ffmpeg, tmp_path / "lesson.mkv", seconds=30, claims_ms=5000)
    video_id = upload_via_api(client, headers, source, content_type="video/x-matroska")
    run_jobs(app)
    video = _video(client, headers, video_id)
    assert video["status"] == "failed"
    assert "runs for more than 10 s" in video["error"] and "mislabelled" in video["error"]
    assert _published(app, video_id) == []


def test_work_over_the_cpu_budget_fails_with_a_clear_reason(
    app, client, teacher_headers, sample_mp4
):
    _, headers = teacher_headers
    app.config["VIDEO_CPU_SECONDS_PER_SECOND"] = 0.001  # 0.02 CPU s for this 4 s clip: any run
    video_id = upload_via_api(client, headers, sample_mp4)
    run_jobs(app)
    video = _video(client, headers, video_id)
    assert video["status"] == "failed"
    assert "more computer time" in video["error"]
    assert "320\N{MULTIPLICATION SIGN}180" in video["error"]
    assert _published(app, video_id) == []


def test_ffmpeg_is_killed_when_its_cpu_time_passes_the_budget(binaries):
    budget = CpuBudget(0.5)
    args = ["-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30:d=600", "-c:v", "libx264",
            "-preset", "medium", "-f", "null", "-"]  # fmt: skip
    started = time.monotonic()
    with pytest.raises(CpuBudgetExceeded):
        run_ffmpeg(binaries, args, cpu_budget=budget)
    assert 0.5 <= budget.used < 5 and time.monotonic() - started < 30
    with pytest.raises(CpuBudgetExceeded):  # nothing more starts once the budget is spent
        run_ffmpeg(binaries, args, cpu_budget=budget)


def test_a_claimed_frame_rate_cannot_inflate_the_cpu_budget():
    """The budget grows with the picture rate, but a header's frame rate is capped like ffmpeg's."""
    from worker.media import Limits, ProbeResult, for_recording

    def budget(fps: float) -> float:
        probe = ProbeResult(path="x", size_bytes=1, duration_s=60, format_name="mov",
                            has_video=True, has_audio=False, width=1920, height=1080,
                            fps=fps)  # fmt: skip
        return for_recording(Limits(), probe, 4.0).cpu_budget.total

    assert budget(1_000_000) == budget(240) == 8 * budget(30)
