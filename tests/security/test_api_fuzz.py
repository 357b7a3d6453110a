"""schemathesis against /api/v1/openapi.json through the WSGI app: no 5xx, answers match the doc.

Signed in with a bearer token (on data a teacher and coach really have): valid input (the
positive phase), and invalid input (the negative phase), which must be refused with a 4xx.
Then once without credentials. Examples per operation are few so the file stays quick.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import bearer

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Signed out, every operation answers 401 before reading its input: fewer examples suffice.
EXAMPLES, ANONYMOUS_EXAMPLES = 15, 5


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    """Both databases: they reject out-of-range and odd values differently."""
    return request.param


@pytest.fixture
def schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def teacher_headers(client, make_user, pair_users, make_ready_video):
    """A teacher with a coach, a cycle, a ready video and a note, so ids 1 and 2 exist."""
    teacher, coach = make_user("teacher"), make_user("coach")
    pair_users(coach, teacher)
    coach_h, teacher_h = bearer(client, coach.email), bearer(client, teacher.email)
    cycle = client.post("/api/v1/cycles", headers=coach_h, json={
        "teacher_id": teacher.id, "title": "Talk", "goals": ["More student talk"]},
    ).get_json()  # fmt: skip
    video_id = make_ready_video(teacher, cycle["id"])
    note = {"start_ms": 1000, "body": "Nice wait time"}
    client.post(f"/api/v1/videos/{video_id}/annotations", headers=coach_h, json=note)
    return teacher_h


def _fuzz(schema, headers: dict, examples: int, mode=GenerationMode.POSITIVE) -> None:
    checks = [*CHECKS, negative_data_rejection] if mode.is_negative else CHECKS
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if mode.is_negative and not _takes_input(schema, operation):
            continue  # nothing to make invalid

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def run(case):
            case.call_and_validate(headers=headers, checks=checks)

        try:
            run()
        except (Exception, BaseExceptionGroup) as err:  # report every operation's failures
            failures.append(f"{operation.label}: {err}")
    assert not failures, "\n\n".join(failures)


def _takes_input(schema, operation) -> bool:
    item = schema.raw_schema["paths"][operation.path]
    op = item[operation.method.lower()]
    return bool(item.get("parameters") or op.get("parameters") or op.get("requestBody"))


def test_signed_in_with_a_bearer_token(schema, teacher_headers):
    _fuzz(schema, teacher_headers, EXAMPLES)


def test_invalid_input_is_refused_with_a_4xx(schema, teacher_headers):
    _fuzz(schema, teacher_headers, EXAMPLES, GenerationMode.NEGATIVE)


def test_without_credentials(schema):
    _fuzz(schema, {}, ANONYMOUS_EXAMPLES)
