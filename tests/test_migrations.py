"""The migrations build exactly the schema the models describe, and step down and up again."""

import os

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.conftest import create_database, drop_database
from webapp import db
from webapp.library.search_index import include_name
from webapp.models import Base


def test_migrated_schema_matches_the_models(database_url):
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        # The full-text index is the migrations' alone (webapp/library/search_index.py).
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


@pytest.fixture
def empty_database_url(request, backend, tmp_path):
    """A database of its own, since stepping down drops every table."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'steps.sqlite3'}"
        return
    admin_url = request.getfixturevalue("postgresql_admin_url")
    name = f"debrief_steps_{os.getpid()}"
    yield create_database(admin_url, name)
    drop_database(admin_url, name)


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
