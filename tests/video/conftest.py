"""Video fixtures: real media made with ffmpeg, uploaded through the real API to real S3."""

import subprocess

import pytest
import requests
from rq import SimpleWorker

from tests.conftest import bearer
from webapp import queue


def make_clip(ffmpeg: str, path, *, seconds: int, size: str = "320x180", fps: int = 25):
    """Write an H.264/AAC test recording (lavfi pattern and tone) of the given length."""
    subprocess.run(
        [ffmpeg, "-v", "error", "-f", "lavfi", "-i", f"testsrc2=s={size}:r={fps}:d={seconds}",
         "-f", "lavfi", "-i", f"sine=f=440:d={seconds}", "-c:v", "libx264", "-preset", "ultrafast",
         "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)],
        check=True,
    )  # fmt: skip
    return path


@pytest.fixture(scope="session")
def sample_mp4(tmp_path_factory, binaries):
    """A 4-second 320x180 H.264/AAC clip, like a short phone recording."""
    return make_clip(binaries.ffmpeg, tmp_path_factory.mktemp("samples") / "lesson.mp4", seconds=4)


def upload_via_api(client, headers, path, title="Lesson", content_type="video/mp4", cycle_id=None):
    """Create, PUT every part to its presigned URL, complete: what the browser does."""
    data = path.read_bytes()
    body = {
        "title": title,
        "filename": path.name,
        "size_bytes": len(data),
        "content_type": content_type,
    }
    if cycle_id:
        body["cycle_id"] = cycle_id
    created = client.post("/api/v1/videos", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    video = created.get_json()
    plan = video["upload"]
    parts = []
    for part in plan["parts"]:
        start = (part["part_number"] - 1) * plan["part_size"]
        reply = requests.put(part["url"], data=data[start : start + plan["part_size"]], timeout=30)
        assert reply.status_code == 200, reply.text
        parts.append({"part_number": part["part_number"], "etag": reply.headers["ETag"]})
    done = client.post(
        f"/api/v1/videos/{video['id']}/upload/complete", json={"parts": parts}, headers=headers
    )
    assert done.status_code == 202, done.get_json()
    return video["id"]


def run_jobs(app):
    """Run queued processing jobs (not analysis) to completion here, against the real Redis."""
    with app.app_context():  # as `debrief worker` runs its loop: jobs find the app there
        queues = [queue.get_queue(queue.Priority.HIGH), queue.get_queue(queue.Priority.DEFAULT)]
        worker = SimpleWorker(queues, connection=queue.connection(), serializer=queue.SERIALIZER)
        worker.work(burst=True)


@pytest.fixture
def teacher_headers(client, make_user):
    teacher = make_user("teacher")
    return teacher, bearer(client, teacher.email)
