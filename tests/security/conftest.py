"""Security tests run on SQLite only: what they prove does not depend on the database."""

import pytest


@pytest.fixture(params=["sqlite"])
def backend(request):
    return request.param


SERVICE_KEYS = ("DATABASE_URL", "REDIS_URL", "S3_ENDPOINT_URL", "S3_BUCKET", "S3_ACCESS_KEY_ID",
                "S3_SECRET_ACCESS_KEY", "SECRET_KEY", "QUEUE_NAME", "TESTING",
                "ARGON2_TIME_COST", "ARGON2_MEMORY_KIB")  # fmt: skip


@pytest.fixture
def twin_app(app):
    """Build another app instance on the same database, Redis and store (like a second worker)."""
    from webapp import create_app

    made = []

    def make(**overrides):
        made.append(create_app({**{k: app.config[k] for k in SERVICE_KEYS}, **overrides}))
        return made[-1]

    yield make
    for twin in made:
        twin.extensions["db_engine"].dispose()
