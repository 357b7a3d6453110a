"""(e) Upload-complete to playable (quick MP4) and to fully processed, with a real worker."""

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from redis import Redis
from rq import Worker

from bench import api, services
from bench.media import recording
from bench.report import Check, Result
from worker.media import find_binaries

POLL_S = 0.25


@dataclass(frozen=True)
class Served:
    """The app in-process on private services, a signed-in teacher, and running workers."""

    svc: services.Services
    client: Any
    headers: dict

    def upload_and_watch(self, src, timeout: float, until: str = "ready") -> tuple:
        """Upload `src` as the teacher; return the upload and the seconds to playable/ready."""
        upload = api.presigned_upload(self.client, self.headers, src)
        times = watch(self.svc, self.client, self.headers, upload.video_id, upload.parts_done,
                      timeout, until=until)  # fmt: skip
        return upload, times


@contextmanager
def served(workers: int = 1, *, pinned: bool = False, **settings: str) -> Iterator[Served]:
    """Fresh services, the app and its teacher, and `workers` real `debrief worker`s."""
    with services.running() as svc:
        client = api.make_app(svc).test_client()
        with worker_pool(svc, workers, pinned=pinned, **settings):
            yield Served(svc, client, api.bearer(client))


@contextmanager
def worker_pool(
    svc: services.Services, count: int, *, pinned: bool = False, **settings: str
) -> Iterator[list[subprocess.Popen]]:
    """Run `count` workers (with `pinned`, worker i on CPU core i only, by taskset)."""
    procs = []
    try:
        with open(svc.root / "worker.log", "ab") as log:
            for i in range(count):
                argv = [sys.executable, "-m", "webapp.cli", "worker"]
                procs.append(subprocess.Popen(
                    ["taskset", "-c", str(i), *argv] if pinned else argv,
                    env={**svc.env(), **settings}, cwd=services.ROOT, stdout=log, stderr=log,
                    stdin=subprocess.DEVNULL, start_new_session=True,
                ))  # fmt: skip
        for proc in procs:
            wait_registered(svc, proc, count=count)
        yield procs
    finally:
        for proc in procs:
            services.stop_group(proc)


def wait_registered(
    svc: services.Services, proc: subprocess.Popen, timeout: float = 60, count: int = 1
) -> None:
    """Wait until the workers listen on Redis, so their start-up is not counted."""
    redis = Redis.from_url(svc.redis_url)
    deadline = time.monotonic() + timeout
    while len(Worker.all(connection=redis)) < count:
        if proc.poll() is not None or time.monotonic() > deadline:
            log = (svc.root / "worker.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"the worker did not start:\n{log}")
        time.sleep(0.2)
    redis.close()


def watch(
    svc: services.Services, client, headers: dict, video_id: int, since: float, timeout: float,
    until: str = "ready",
) -> dict:  # fmt: skip
    """Poll GET /api/v1/videos/{id}; return seconds since `since` to playable and to ready
    (or only to playable, with until="playable")."""
    seen: dict[str, float] = {}
    while until not in seen:
        video = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
        now = time.perf_counter() - since
        if video["status"] == "failed" or now > timeout:
            log = (svc.root / "worker.log").read_text(errors="replace")[-4000:]
            raise RuntimeError(f"failed or over {timeout:.0f} s: {video}\nworker log:\n{log}")
        if video["playback"]["mp4"] or video["playback"]["hls"]:
            seen.setdefault("playable", now)
        if video["status"] == "ready":
            seen["ready"] = now
        time.sleep(POLL_S)
    return seen


def run(quick: bool) -> Result:
    """Upload a long 1080p recording through the API and time what the teacher waits for."""
    seconds = 120 if quick else 600
    src = recording(find_binaries(), seconds)
    with served() as app:
        upload, times = app.upload_and_watch(src, timeout=600 + seconds * 8)
    return result(seconds, src.stat().st_size, upload, times)


def result(seconds: int, size: int, upload: api.Upload, times: dict) -> Result:
    """Report both waits next to the recording's length; the issue set no goal for them."""
    return Result(
        name="playable",
        title=f"(e) Upload-complete to playable, 1080p30 H.264 recording of {seconds // 60} min",
        figures=[
            ("recording length", seconds, "s"),
            ("file size", size / 1e6, "MB"),
            ("presigned upload (parts + complete)", upload.completed - upload.started, "s"),
            ("complete → playable (quick MP4 copy)", times["playable"], "s"),
            ("complete → fully processed (status ready)", times["ready"], "s"),
            ("processing speed", seconds / times["ready"], "x real time"),
        ],
        checks=[Check("complete → playable (s)", times["playable"])],
    )
