"""The PostgreSQL leg runs or fails loudly: a private server when none is there, never a skip."""

import os
import shutil
import socket
import subprocess
import sys

import psycopg
import pytest

from tests.conftest import ROOT
from webapp import devservices

# One small PostgreSQL-parametrised test (it needs no Redis or S3).
PG_TEST = "tests/test_migrations.py::test_migrated_schema_matches_the_models[postgresql]"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again as we leave


def _suite(**env) -> subprocess.CompletedProcess:
    """Run PG_TEST in a fresh pytest, with `env` (None removes a variable)."""
    merged = {k: v for k, v in {**os.environ, **env}.items() if v is not None}
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", PG_TEST]
    return subprocess.run(
        argv, cwd=ROOT, env=merged, capture_output=True, text=True, timeout=240,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.slow
def test_an_unreachable_test_database_url_fails_the_suite():
    port = _closed_port()
    run = _suite(TEST_DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
    assert run.returncode != 0, run.stdout
    assert f"PostgreSQL is not reachable at postgresql+psycopg://postgres@127.0.0.1:{port}" in (
        run.stdout
    ), run.stdout
    assert "skipped: 0" in run.stdout and "1 error" in run.stdout, run.stdout


@pytest.fixture(scope="module")
def private_postgres():
    """A private server started the way the suite starts one."""
    service = devservices.start_postgres(devservices.free_port_block(1, 31000, 32000)[0])
    yield service
    service.stop()
    shutil.rmtree(service.log_path.parent, ignore_errors=True)


@pytest.mark.slow
def test_private_server_starts_takes_databases_and_stops(private_postgres):
    url = private_postgres.address.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
        conn.execute("CREATE DATABASE debrief_private_check")
        conn.execute("DROP DATABASE debrief_private_check")
    data = private_postgres.log_path.parent
    assert (data / "data" / "PG_VERSION").exists()
    assert list(data.glob(".s.PGSQL.*"))  # its socket is in its own directory, not /var/run


@pytest.mark.slow
def test_a_role_without_createdb_fails_the_suite(private_postgres):
    url = private_postgres.address.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS debrief_nocreate")
        conn.execute("CREATE ROLE debrief_nocreate LOGIN NOCREATEDB")
    port = private_postgres.address.rsplit(":", 1)[1].split("/")[0]
    run = _suite(
        TEST_DATABASE_URL=f"postgresql+psycopg://debrief_nocreate@127.0.0.1:{port}/postgres"
    )
    assert run.returncode != 0, run.stdout
    assert "refused CREATE DATABASE (the role needs CREATEDB)" in run.stdout, run.stdout


@pytest.mark.slow
def test_without_any_server_the_suite_starts_its_own_and_runs_the_leg():
    """TEST_DATABASE_URL unset and nothing on the probed port: the PostgreSQL test runs."""
    run = _suite(TEST_DATABASE_URL=None, TEST_POSTGRES_PORT=str(_closed_port()))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout and "skipped: 0" in run.stdout, run.stdout
