"""Private Redis and SeaweedFS in a temp dir, plus the app settings that point at them."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from webapp import devservices

ROOT = Path(__file__).resolve().parent.parent  # the project, where app processes run
BUCKET = "debrief-bench"
S3_KEYS = ("debrief-bench", "debrief-bench-secret")
SECRET_KEY = "bench-secret-key-that-is-long-enough-0123456789"
BIG_LIMIT = 64 * 1024**3  # bytes; the benchmarks choose their own sizes


@dataclass(frozen=True)
class Services:
    """Where the private services listen, and the temp dir that holds their data."""

    redis_url: str
    s3_url: str
    root: Path

    def settings(self) -> dict[str, str]:
        """Return the app settings, by their environment variable names, for these services."""
        return {
            "DATABASE_URL": f"sqlite:///{self.root / 'debrief.sqlite3'}",
            "REDIS_URL": self.redis_url,
            "S3_ENDPOINT_URL": self.s3_url,
            "S3_BUCKET": BUCKET,
            "S3_ACCESS_KEY_ID": S3_KEYS[0],
            "S3_SECRET_ACCESS_KEY": S3_KEYS[1],
            "SECRET_KEY": SECRET_KEY,
            "MAX_UPLOAD_BYTES": str(BIG_LIMIT),
        }

    def env(self) -> dict[str, str]:
        """Return an environment for app processes: our settings, instance/ kept in the temp dir."""
        return {**os.environ, **self.settings(), "DEBRIEF_INSTANCE": str(self.root / "instance")}


@contextmanager
def running() -> Iterator[Services]:
    """Start a private Redis and SeaweedFS on free ports; stop them and delete their data after."""
    with tempfile.TemporaryDirectory(prefix="debrief-bench-") as tmp:
        root = Path(tmp)
        redis_port = devservices.free_port_block(1, start=16000, stop=19000)[0]
        redis = devservices.start_redis(redis_port, root / "redis")
        try:
            ports = devservices.SeaweedPorts(*devservices.free_port_block(5))
            weed = devservices.start_seaweed(ports, root / "seaweedfs", *S3_KEYS, bucket=BUCKET)
            try:
                yield Services(redis.address, weed.address, root)
            finally:
                weed.stop()
        finally:
            redis.stop()


def stop_group(proc: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a process we started in its own session, with its children: TERM, then KILL."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@contextmanager
def gunicorn(
    svc: Services, workers: int = 1, app: str = "webapp:create_app()", **settings: str
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Serve an app from gunicorn sync workers, as production does; yield its URL and master."""
    port = devservices.free_port_block(1, start=30000, stop=32000)[0]
    argv = [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "-k", "sync",
            "-b", f"127.0.0.1:{port}", "--timeout", "900", app]  # fmt: skip
    with open(svc.root / "gunicorn.log", "ab") as log:
        proc = subprocess.Popen(
            argv, env={**svc.env(), **settings}, cwd=ROOT, stdout=log, stderr=log,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not devservices.port_open("127.0.0.1", port):
            if proc.poll() is not None or time.monotonic() > deadline:
                log = (svc.root / "gunicorn.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"gunicorn did not start:\n{log}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        stop_group(proc)
