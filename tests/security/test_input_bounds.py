"""Inputs the database cannot hold answer 4xx, not 500 (regressions schemathesis found)."""

import pytest

from tests.conftest import bearer


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    return request.param


def test_ids_too_long_for_a_key_are_not_found(client, make_user):
    headers = bearer(client, make_user("teacher").email)
    for path in ("/api/v1/videos/2147483648", "/api/v1/videos/722881073918979249021124608"):
        assert client.get(path, headers=headers).status_code == 404
    assert client.delete("/api/v1/tokens/99999999999", headers=headers).status_code == 404
    assert client.post("/api/v1/cycles/99999999999/goals", headers=headers,
                       json={"statement": "x"}).status_code == 404  # fmt: skip


def test_numbers_wider_than_64_bits_are_refused(client, make_user):
    coach = make_user("coach")
    headers = bearer(client, coach.email)
    reply = client.post("/api/v1/cycles", headers=headers,
                        json={"teacher_id": 2**70, "title": "Talk"})  # fmt: skip
    assert reply.status_code == 422
    assert "Whole numbers" in reply.get_json()["error"]["message"]


def test_values_the_database_refuses_are_invalid_input(client, make_user):
    coach = make_user("coach")
    headers = bearer(client, coach.email)
    wide = client.post("/api/v1/cycles", headers=headers,
                       json={"teacher_id": 2**40, "title": "Talk"})  # fmt: skip
    assert wide.status_code in (404, 422)  # PostgreSQL keys are 32-bit; SQLite finds nobody
    nul = client.post("/api/v1/tokens", json={"email": "a\x00@b.org", "password": "x"})
    assert nul.status_code in (401, 422)
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # the session recovered
