"""Redis and the embedded SeaweedFS are no back door: media only through S3 with keys, and
nothing planted in Redis runs on a worker."""

import json
import pickle
import socket
import zlib
from pathlib import Path

import pytest
import requests
from redis import Redis

from tests.conftest import S3_KEYS
from tests.video.conftest import run_jobs


def test_weed_serves_media_through_s3_only(app, s3_service):
    """The session store is started like `make run` starts it (devservices.start_seaweed)."""
    from webapp.video.storage import S3Storage, StorageError, storage

    key = "videos/probe/source/lesson.mp4"
    with app.app_context():
        storage().put_stream(key, _Bytes(b"private lesson" * 100), "video/mp4")
        assert storage().read(key) == b"private lesson" * 100  # S3 with keys still works
    ports = s3_service.restart_args["ports"]
    bucket = app.config["S3_BUCKET"]
    direct = [
        f"http://127.0.0.1:{ports.filer}/buckets/{bucket}/{key}",
        f"http://127.0.0.1:{ports.filer}/buckets/{bucket}/",
        f"http://127.0.0.1:{ports.filer}/",
        *[f"http://127.0.0.1:{ports.volume}/{vid},01637037d6" for vid in range(1, 8)],
        f"http://127.0.0.1:{ports.volume}/ui/index.html",
    ]
    for url in direct:
        reply = requests.get(url, timeout=5)
        assert reply.status_code in (401, 403, 404), (url, reply.status_code)
        assert b"private lesson" not in reply.content
    stranger = S3Storage(s3_service.address, bucket, S3_KEYS[0], "wrong-secret", "us-east-1")
    assert requests.get(f"{s3_service.address}/{bucket}/{key}", timeout=5).status_code == 403
    with pytest.raises(StorageError, match=r"SignatureDoesNotMatch|403"):
        stranger.read(key)


def test_weed_grpc_ports_want_weeds_own_client_certificate(s3_service, tmp_path):
    """Every gRPC port (master, volume, filer, S3, admin: HTTP port + 10000) and its Unix socket
    in /tmp speak mutual TLS: no client certificate, one from another CA, or plaintext gRPC
    gets nothing."""
    from webapp import devservices

    ports = s3_service.restart_args["ports"]
    ours = s3_service.restart_args["data_dir"] / devservices.TLS_DIR
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    devservices._make_certificates(theirs)  # a look-alike set from a CA of their own
    (theirs / "ca.pem").write_bytes((ours / "ca.pem").read_bytes())  # they trust our server
    for service in ("master", "volume", "filer", "s3", "admin"):
        port = getattr(ports, service) + 10000
        settings = devservices.tls_reply(port, ours, client_cert=True)
        assert settings[3:4] == b"\x04", (service, settings)  # weed itself gets HTTP/2 SETTINGS
        assert _refused(port, ours, client_cert=False), service
        assert _refused(port, theirs, client_cert=True), service
        assert not _plaintext_grpc_answers(socket.AF_INET, ("127.0.0.1", port)), service
        local = Path(f"/tmp/seaweedfs-{service}-grpc-{port}.sock")  # weed mini's shortcut
        assert not _plaintext_grpc_answers(socket.AF_UNIX, str(local)), service


def _plaintext_grpc_answers(family, address):
    """What an insecure gRPC client sends first; a gRPC server answers with a SETTINGS frame."""
    from webapp import devservices

    with socket.socket(family) as plain:
        plain.settimeout(5)
        try:
            plain.connect(address)
            plain.sendall(devservices.HTTP2_PREFACE)
            reply = plain.recv(4096)
        except (FileNotFoundError, ConnectionRefusedError, ConnectionResetError):
            return False
    return reply[3:4] == b"\x04"


def test_weed_master_hands_out_no_fid_or_token(s3_service):
    """/dir/assign and /dir/lookup (fids, write JWTs, volume addresses) need weed's own client
    certificate: plain HTTP and HTTPS without it get no answer."""
    from webapp import devservices

    ports = s3_service.restart_args["ports"]
    ours = s3_service.restart_args["data_dir"] / devservices.TLS_DIR
    paths = ["/dir/assign", "/dir/lookup?volumeId=1", "/dir/status", "/cluster/status"]
    for path in paths:
        try:
            reply = requests.get(f"http://127.0.0.1:{ports.master}{path}", timeout=5)
        except requests.ConnectionError:
            continue
        assert reply.status_code == 400, (path, reply.status_code)  # "HTTP to an HTTPS server"
        assert "Authorization" not in reply.headers and b"fid" not in reply.content
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(f"https://127.0.0.1:{ports.master}{path}", verify=ours / "ca.pem")
    request = b"GET /dir/assign HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
    assert _refused(ports.master, ours, False, request)
    granted = devservices.tls_reply(ports.master, ours, True, request)  # weed itself still may
    assert granted.startswith(b"HTTP/1.0 200") and b"Authorization: Bearer" in granted


def _refused(port, tls, client_cert, request=b""):
    """TLS to a weed port (verifying its certificate against `tls`/ca.pem) with `tls`'s client
    certificate or none: refused at the handshake or the first read, or closed without a word."""
    from webapp import devservices

    try:
        return devservices.tls_reply(port, tls, client_cert, request) == b""
    except OSError:  # ssl.SSLError (e.g. "certificate required", "unknown ca") or a reset
        return True


def test_weed_certificates_are_private_and_reused(s3_service):
    from webapp import devservices

    tls = s3_service.restart_args["data_dir"] / devservices.TLS_DIR
    assert tls.stat().st_mode & 0o777 == 0o700
    keys = sorted(tls.glob("*.key"))
    assert [k.stem for k in keys] == sorted(devservices.GRPC_COMPONENTS)  # no CA key kept
    assert all(k.stat().st_mode & 0o777 == 0o600 for k in keys)
    before = {f.name: f.read_bytes() for f in tls.iterdir()}
    assert devservices._weed_certificates(tls) == tls
    assert {f.name: f.read_bytes() for f in tls.iterdir()} == before


def test_weed_without_tls_is_not_started(monkeypatch, tmp_path):
    """weed serves plaintext when it cannot load its certificates; start_seaweed refuses that."""
    from webapp import devservices

    protection = devservices._internal_port_protection

    def without_tls(data_dir):
        return {k: v for k, v in protection(data_dir).items() if "_GRPC_" not in k}

    monkeypatch.setattr(devservices, "_internal_port_protection", without_tls)
    ports = devservices.SeaweedPorts(*devservices.free_port_block(5, start=21000))
    with pytest.raises(devservices.ServiceError, match="did not answer a TLS handshake"):
        devservices.start_seaweed(ports, tmp_path / "weed", *S3_KEYS, "debrief-plain")
    assert not devservices.port_open("127.0.0.1", ports.s3)  # and it was stopped


class _Bytes:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, size: int = -1) -> bytes:
        chunk, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return chunk


def test_jobs_are_stored_as_json(app):
    from webapp.queue import get_queue
    from webapp.video.queueing import PROCESS_JOB

    with app.app_context():
        job = get_queue().enqueue_call(PROCESS_JOB, args=(424242,))
    raw = zlib.decompress(Redis.from_url(app.config["REDIS_URL"]).hget(job.key, "data"))
    assert not raw.startswith(b"\x80")  # every pickle protocol ≥ 2 starts so
    assert json.loads(raw) == [PROCESS_JOB, None, [424242], {}]


class _Planted:
    """Unpickling this creates a file: the proof a worker ran code from Redis."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_pickle_planted_in_redis_is_not_run(app, tmp_path):
    from webapp.queue import get_queue
    from webapp.video.queueing import PROCESS_JOB

    marker = tmp_path / "ran"
    with app.app_context():
        job = get_queue().enqueue_call(PROCESS_JOB, args=(424242,))
    payload = pickle.dumps((PROCESS_JOB, None, (_Planted(marker),), {}))
    redis = Redis.from_url(app.config["REDIS_URL"])
    redis.hset(job.key, "data", zlib.compress(payload))
    run_jobs(app)
    assert not marker.exists()
    pickle.loads(payload)  # what rq's default serializer would have done
    assert marker.exists()
