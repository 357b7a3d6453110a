"""(d) Peak RSS of a real gunicorn web worker during a streamed PUT …/source: goal < 150 MB."""

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import requests

from bench import api, services
from bench.report import Check, Result

GIB = 1024**3
BLOCK = os.urandom(1024 * 1024)


class Body:
    """A body made on the fly; len() makes requests send Content-Length, not chunks.

    A bare generator plus a Content-Length header makes requests send both that header and
    Transfer-Encoding: chunked, which servers must refuse.
    """

    def __init__(self, size: int) -> None:
        self.size = size

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, self.size, len(BLOCK)):
            yield BLOCK[: self.size - start]


def status_mb(pid: int, field: str) -> float:
    """Return a memory figure (VmRSS, VmHWM…) of a process from /proc, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024 / 1e6
    raise KeyError(field)


def reset_peak(pid: int) -> None:
    """Reset the kernel's VmHWM, so it then holds the upload's peak, not sign-in's argon2 hash."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


class Sampler(threading.Thread):
    """Sample a process's VmRSS every 100 ms until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples, self.done = pid, [], threading.Event()

    def run(self) -> None:
        while True:
            self.samples.append(status_mb(self.pid, "VmRSS"))
            if self.done.wait(0.1):
                return

    def stop(self) -> list[float]:
        self.done.set()
        self.join()
        return self.samples


def worker_pid(master: int, timeout: float = 30) -> int:
    """Wait for gunicorn's master to fork its one worker and return the worker's pid."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def create_video(base: str, size: int) -> tuple[dict, int]:
    """Sign in and create the video over HTTP; returns the auth header and the video id."""
    http = requests.Session()
    reply = http.post(f"{base}/api/v1/tokens", json={"email": api.EMAIL, "password": api.PASSWORD})
    api.expect(201, reply.status_code, reply.text)
    headers = {"Authorization": f"Bearer {reply.json()['token']}"}
    reply = http.post(f"{base}/api/v1/videos", json=api.video_request("big.mp4", size),
                      headers=headers)  # fmt: skip
    api.expect(201, reply.status_code, reply.text)
    return headers, reply.json()["id"]


def run(quick: bool) -> Result:
    """Stream the body to PUT …/source while sampling the web worker's memory."""
    size = (1 if quick else 2) * GIB
    with services.running() as svc:
        api.make_app(svc)  # migrates the database and adds the teacher
        with services.gunicorn(svc) as (base, master):
            pid = worker_pid(master.pid)
            headers, video_id = create_video(base, size)
            idle = status_mb(pid, "VmRSS"), status_mb(pid, "VmHWM")
            reset_peak(pid)
            sampler = Sampler(pid)
            sampler.start()
            start = time.perf_counter()
            reply = requests.put(f"{base}/api/v1/videos/{video_id}/source", data=Body(size),
                                 headers=headers, timeout=900)  # fmt: skip
            elapsed = time.perf_counter() - start
            samples, hwm = sampler.stop(), status_mb(pid, "VmHWM")
            api.expect(202, reply.status_code, reply.text)
    return result(size, idle, samples, hwm, elapsed)


def result(
    size: int, idle: tuple[float, float], samples: list[float], hwm: float, elapsed: float
) -> Result:
    """Judge the higher of the sampled peak and the kernel's high-water mark."""
    peak = max([*samples, hwm])
    return Result(
        name="putmem",
        title=f"(d) Web worker memory during PUT /api/v1/videos/{{id}}/source, {size // GIB} GiB",
        figures=[
            ("worker RSS before the upload", idle[0], "MB"),
            ("worker VmHWM before the upload (reset then)", idle[1], "MB"),
            (f"worker RSS peak of {len(samples)} samples (100 ms)", max(samples), "MB"),
            ("worker VmHWM during the upload", hwm, "MB"),
            ("upload time", elapsed, "s"),
            ("upload throughput", size / 1e6 / elapsed, "MB/s"),
        ],
        checks=[Check("peak RSS (MB)", peak, "<", 150)],
    )
