"""Test services are real: a private Redis and SeaweedFS per session, SQLite and PostgreSQL.

PostgreSQL: TEST_DATABASE_URL names the server (its role needs CREATEDB: the suite creates and
drops its own database there). Unset, the suite uses postgres@127.0.0.1:5432 when something
answers there (TEST_POSTGRES_PORT picks another port), else starts a private server for the
session from the installed PostgreSQL binaries. A server that cannot be used fails the
PostgreSQL tests with the reason; they are never skipped.
"""

import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from webapp import create_app, db, devservices
from webapp.models import Base

S3_KEYS = ("debrief-test", "debrief-test-secret")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    port = devservices.free_port_block(1, start=16000, stop=19000)[0]
    service = devservices.start_redis(port, tmp_path_factory.mktemp("redis"))
    yield service.address
    service.stop()


@pytest.fixture(scope="session")
def s3_service(tmp_path_factory):
    """A real SeaweedFS S3 server for the whole session."""
    ports = devservices.free_port_block(5)
    args = {
        "ports": devservices.SeaweedPorts(*ports),
        "data_dir": tmp_path_factory.mktemp("seaweedfs"),
        "access_key": S3_KEYS[0],
        "secret_key": S3_KEYS[1],
        "bucket": "debrief-test",
    }
    service = devservices.start_seaweed(**args)
    service.restart_args = args  # fault tests stop and restart the store
    yield service
    service.stop()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    db.upgrade(url)
    return url


@pytest.fixture(scope="session")
def postgresql_admin_url():
    """A PostgreSQL URL whose role may create databases (see the module docstring)."""
    if os.environ.get("TEST_DATABASE_URL"):
        yield os.environ["TEST_DATABASE_URL"]
        return
    port = int(os.environ.get("TEST_POSTGRES_PORT", "5432"))
    if devservices.port_open("127.0.0.1", port):
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        return
    try:
        service = devservices.start_postgres(devservices.free_port_block(1, 30000, 31000)[0])
    except devservices.ServiceError as err:
        pytest.fail(f"No PostgreSQL for the PostgreSQL tests: {err}", pytrace=False)
    yield service.address
    service.stop()
    shutil.rmtree(service.log_path.parent, ignore_errors=True)


def create_database(admin_url: str, name: str) -> str:
    """(Re)create database `name` on the admin URL's server; fail the test with the reason."""
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    shown, problem = admin.url.render_as_string(hide_password=True), None
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
    except sa.exc.OperationalError as err:
        problem = f"PostgreSQL is not reachable at {shown}: {err.orig}"
    except sa.exc.ProgrammingError as err:
        problem = (
            f"PostgreSQL at {shown} refused CREATE DATABASE (the role needs CREATEDB): {err.orig}"
        )
    finally:
        admin.dispose()
    if problem:  # outside the except: the reason alone, without a chained traceback
        pytest.fail(f"{problem}\n{PG_HINT}", pytrace=False)
    return admin.url.set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, name: str) -> None:
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


PG_HINT = (
    "Point TEST_DATABASE_URL at a PostgreSQL whose role has CREATEDB, or unset it: the suite"
    " then uses 127.0.0.1:5432 if something answers there, else starts its own."
)


@pytest.fixture(scope="session")
def postgresql_url(postgresql_admin_url):
    name = f"debrief_test_{os.getpid()}"
    url = create_database(postgresql_admin_url, name)
    db.upgrade(url)
    yield url
    drop_database(postgresql_admin_url, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    return request.param


@pytest.fixture
def database_url(request, backend):
    return request.getfixturevalue(f"{backend}_url")


@pytest.fixture
def app(database_url, redis_url, s3_service, tmp_path):
    """A fresh app on the chosen database; every table is emptied afterwards."""
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "S3_ENDPOINT_URL": s3_service.address,
            "S3_BUCKET": "debrief-test",
            "S3_ACCESS_KEY_ID": S3_KEYS[0],
            "S3_SECRET_ACCESS_KEY": S3_KEYS[1],
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "QUEUE_NAME": f"test-{uuid.uuid4().hex[:8]}",
            "TESTING": True,
            "ARGON2_TIME_COST": 1,  # still argon2id, just cheap: tests create many accounts
            "REVIEW_POLL_MS": 500,
            "ARGON2_MEMORY_KIB": 1024,
        }
    )
    yield app
    app.extensions["db_engine"].dispose()
    _empty_tables(database_url)


def _empty_tables(url: str) -> None:
    engine = db.make_engine(url)
    with engine.begin() as conn:
        tables = list(reversed(Base.metadata.sorted_tables))
        if engine.dialect.name == "postgresql":
            names = ", ".join(t.name for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
    engine.dispose()
    db.seed(url)  # what `debrief db upgrade` gives every installation


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token a page hands the browser (forms post it back)."""
    html = client.get(path, follow_redirects=True).get_data(as_text=True)
    return CSRF_RE.search(html).group(1)


@pytest.fixture
def make_user(app):
    """Create a user with a role; returns the user (detached, ids usable)."""
    from webapp.auth import services as accounts

    counter = iter(range(1, 10_000))

    def make(
        role: str = "teacher",
        email: str | None = None,
        name: str | None = None,
        password: str = "correct horse battery",
        school: str = "Test School",
    ):
        n = next(counter)
        with app.app_context():
            user = accounts.create_user(
                email=email or f"{role}{n}@example.org",
                name=name or f"{role.title()} {n}",
                role=role,
                password=password,
                school=accounts.get_or_create_school(school),
            )
            db.session().commit()
            return user

    return make


@pytest.fixture
def pair_users(app):
    """Pair a coach with a teacher who has accepted them (an active pairing)."""
    from webapp.coaching import pairings

    def pair(coach, teacher):
        with app.app_context():
            teacher = db.session().merge(teacher)
            pairing = pairings.pair(db.session().merge(coach), teacher)
            pairings.respond(pairing, teacher, accept=True)
            db.session().commit()

    return pair


@pytest.fixture
def make_ready_video(app):
    """Create a processed video row (the pipeline has its own tests); returns its id.

    It is 60 s long with a poster the media gateway can sign a URL for; `created_at`,
    `status`, `duration_ms` or any other column may be given.
    """
    from webapp.video.models import Status, Video

    def make(owner, cycle_id=None, title="Fractions lesson", *, created_at=None, **columns):
        values = {"status": Status.READY, "duration_ms": 60_000, "width": 640, "height": 360,
                  "size_bytes": 1, "original_filename": "l.mp4", "content_type": "video/mp4",
                  "source_key": "videos/x/source/l.mp4", "output_prefix": "videos/x/r1/",
                  "outputs": {"poster": "poster.jpg"}, **columns}  # fmt: skip
        with app.app_context():
            video = Video(owner_id=owner.id, cycle_id=cycle_id, title=title, **values)
            if created_at is not None:
                video.created_at = created_at
                video.lesson_date = columns.get("lesson_date", created_at.date())
            db.session().add(video)
            db.session().commit()
            return video.id

    return make


class Auth:
    """Sign a test client in and out through the real login form."""

    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = "correct horse battery"):
        token = csrf_token(self.client)
        return self.client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def logout(self):
        token = csrf_token(self.client, "/")
        return self.client.post("/logout", data={"csrf_token": token})

    def json_headers(self) -> dict:
        return {"X-CSRFToken": csrf_token(self.client, "/")}


@pytest.fixture
def auth(client):
    return Auth(client)


def bearer(client, email: str, password: str = "correct horse battery") -> dict:
    reply = client.post("/api/v1/tokens", json={"email": email, "password": password})
    assert reply.status_code == 201, reply.get_json()
    return {"Authorization": f"Bearer {reply.get_json()['token']}"}


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def binaries():
    from worker.media import find_binaries

    return find_binaries()


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media-inputs")


@pytest.fixture(scope="session")
def sample(binaries, media_dir):
    """Return a function generating (once per session) the named sample of tests/media/matrix."""
    from tests.media import matrix

    cache = {}

    def get(name: str):
        if name not in cache:
            cache[name] = matrix.GOOD[name](binaries, media_dir)
        return cache[name]

    return get


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Always say how many tests were skipped (the reasons are in the short summary above)."""
    skipped = len(terminalreporter.stats.get("skipped", []))
    terminalreporter.write_line(f"skipped: {skipped}", bold=True, yellow=skipped > 0)
