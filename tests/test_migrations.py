"""The migrations build exactly the schema the models describe, and step down and up again."""

import os

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.conftest import PG_ADMIN_URL
from webapp import db
from webapp.models import Base


def test_migrated_schema_matches_the_models(database_url):
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert differences == []


@pytest.fixture
def empty_database_url(backend, database_url, tmp_path):
    """A database of its own, since stepping down drops every table (database_url: skip rules)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'steps.sqlite3'}"
        return
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"debrief_steps_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    yield admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_every_migration_steps_down_and_up(empty_database_url):
    config = db.alembic_config(empty_database_url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    engine = sa.create_engine(empty_database_url)
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    command.upgrade(config, "head")
    engine = sa.create_engine(empty_database_url)
    assert "cycles" in sa.inspect(engine).get_table_names()
    engine.dispose()
