"""Fault tests with real forked rq workers: nothing accepted is lost, nothing stays stuck.

A worker killed with SIGKILL mid-transcode, Redis flushed with work queued, S3 stopped while
a job runs: every accepted upload still ends ready, with exactly one published rendition set.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest
from redis import Redis
from sqlalchemy import select

from tests.video.conftest import make_clip, upload_via_api
from webapp import devservices

pytestmark = pytest.mark.slow


@pytest.fixture
def backend():
    return "sqlite"


@pytest.fixture(scope="session")
def long_clip(tmp_path_factory, binaries):
    """20 s of 720p: long enough to kill a worker while ffmpeg is busy with it."""
    path = tmp_path_factory.mktemp("fault-media") / "long.mp4"
    return make_clip(binaries.ffmpeg, path, seconds=20, size="1280x720", fps=30)


class Workers:
    """Start real `debrief worker` processes configured like the test app."""

    def __init__(self, app):
        keys = ("DATABASE_URL", "REDIS_URL", "S3_ENDPOINT_URL", "S3_BUCKET", "S3_ACCESS_KEY_ID",
                "S3_SECRET_ACCESS_KEY", "SECRET_KEY", "QUEUE_NAME", "LADDER_CHUNK_SECONDS",
                "PREVIEW_SLICE_SECONDS")  # fmt: skip
        self.env = {**os.environ, **{k: str(app.config[k]) for k in keys}}
        self.processes: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "webapp.cli", "worker"],
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker, its work horse and ffmpeg at once, as a machine crash would."""
        for pid in [process.pid, *descendants(process.pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


def descendants(pid: int) -> list[int]:
    """Every process below pid (rq's horse and ffmpeg start their own sessions)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


@pytest.fixture
def workers(app):
    pool = Workers(app)
    yield pool
    pool.stop_all()


def wait_for(client, headers, video_id, predicate, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        video = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
        if predicate(video):
            return video
        time.sleep(0.3)
    raise AssertionError(f"video {video_id} stuck: {video}")


def published_attempts(app, video_id) -> set[str]:
    from webapp import db
    from webapp.video.models import Video
    from webapp.video.storage import storage

    with app.app_context():
        prefix = db.session().get(Video, video_id).prefix
        keys = list(storage().list_keys(prefix))
    return {k[len(prefix) :].split("/")[0] for k in keys if k[len(prefix) :].startswith("r")}


def test_worker_killed_mid_transcode_is_recovered(app, client, teacher_headers, workers, long_clip):
    _, headers = teacher_headers
    first = workers.start()
    video_id = upload_via_api(client, headers, long_clip)
    wait_for(client, headers, video_id, lambda v: v["status"] == "processing" and v["progress"] > 5)
    workers.kill(first)
    workers.start()  # a restarted worker reconciles what the database says is pending
    video = wait_for(client, headers, video_id, lambda v: v["status"] in ("ready", "failed"), 240)
    assert video["status"] == "ready", video["error"]
    assert abs(video["duration_ms"] - 20_000) < 300
    assert published_attempts(app, video_id) == {"r2"}


def test_redis_flushed_with_work_queued(app, client, teacher_headers, workers, sample_mp4):
    _, headers = teacher_headers
    ids = [upload_via_api(client, headers, sample_mp4, title=f"v{i}") for i in range(2)]
    Redis.from_url(app.config["REDIS_URL"]).flushall()
    workers.start()
    for video_id in ids:
        video = wait_for(client, headers, video_id, lambda v: v["status"] in ("ready", "failed"))
        assert video["status"] == "ready", video["error"]
        assert published_attempts(app, video_id) == {"r1"}


@pytest.mark.parametrize("chunk_seconds", [0, 8], ids=["one pass", "chunked"])
def test_redis_flushed_under_running_workers(
    app, client, teacher_headers, workers, long_clip, chunk_seconds
):
    """No worker restarts: the running one registers again and runs the reconciler itself."""
    _, headers = teacher_headers
    app.config["LADDER_CHUNK_SECONDS"] = workers.env["LADDER_CHUNK_SECONDS"] = str(chunk_seconds)
    workers.start()
    processing = upload_via_api(client, headers, long_clip, title="processing")
    wait_for(client, headers, processing, lambda v: v["status"] == "processing")
    queued = upload_via_api(client, headers, long_clip, title="queued")
    Redis.from_url(app.config["REDIS_URL"]).flushall()
    for video_id in (processing, queued):
        video = wait_for(
            client, headers, video_id, lambda v: v["status"] in ("ready", "failed"), 300
        )
        assert video["status"] == "ready", video["error"]
        assert published_attempts(app, video_id) == {"r1"}  # neither was started twice
    assert all(process.poll() is None for process in workers.processes)


def running_part(app, video_id, timeout=60) -> int:
    """Wait until a chunk of the video is being encoded; return its index."""
    from webapp import db
    from webapp.video.models import EncodePart, PartState

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            part = db.session().scalar(
                select(EncodePart).where(EncodePart.video_id == video_id,
                                         EncodePart.state == PartState.RUNNING,
                                         EncodePart.index >= 0, EncodePart.progress > 0)
            )  # fmt: skip
            if part is not None:
                return part.index
        time.sleep(0.1)
    raise AssertionError("no chunk was encoded")


def test_work_horse_killed_mid_chunk_retries_that_chunk(
    app, client, teacher_headers, workers, long_clip
):
    _, headers = teacher_headers
    app.config["LADDER_CHUNK_SECONDS"] = workers.env["LADDER_CHUNK_SECONDS"] = "8"
    worker = workers.start()
    video_id = upload_via_api(client, headers, long_clip)
    running_part(app, video_id)
    ffmpeg = next(pid for pid in descendants(worker.pid) if command(pid) == "ffmpeg")
    horse = parent_of(ffmpeg)  # the work horse running the chunk's job; its worker lives on
    for pid in [horse, *descendants(horse)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    video = wait_for(client, headers, video_id, lambda v: v["status"] in ("ready", "failed"), 300)
    assert video["status"] == "ready", video["error"]
    assert published_attempts(app, video_id) == {"r1"}  # the chunk alone ran again
    assert worker.poll() is None


def parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


def command(pid: int) -> str:
    with open(f"/proc/{pid}/comm") as comm:
        return comm.read().strip()


def test_s3_down_while_processing_is_retried(
    app, client, teacher_headers, workers, sample_mp4, s3_service, tmp_path_factory
):
    _, headers = teacher_headers
    video_id = upload_via_api(client, headers, sample_mp4)
    s3_service.stop()
    try:
        workers.start()
        video = wait_for(client, headers, video_id, lambda v: v["status"] == "processing", 30)
        time.sleep(3)  # the job is failing against the stopped store
    finally:
        restarted = devservices.start_seaweed(**s3_service.restart_args)
        s3_service.process = restarted.process
    video = wait_for(client, headers, video_id, lambda v: v["status"] in ("ready", "failed"), 240)
    assert video["status"] == "ready", video["error"]
    assert len(published_attempts(app, video_id)) == 1
