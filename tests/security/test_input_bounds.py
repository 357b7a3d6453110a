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


@pytest.mark.parametrize("constant", ["Infinity", "-Infinity", "NaN"])
def test_non_finite_numbers_are_invalid_input(client, make_user, make_ready_video, constant):
    """Python's JSON parser takes NaN and Infinity; no field of ours does."""
    teacher = make_user("teacher")
    headers = bearer(client, teacher.email)
    video_id = client.post("/api/v1/videos", headers=headers, json={
        "title": "T", "filename": "t.mp4", "size_bytes": 10, "content_type": "video/mp4"
    }).get_json()["id"]  # fmt: skip
    body = '{"parts": [{"part_number": ' + constant + ', "etag": "x"}]}'
    reply = client.post(f"/api/v1/videos/{video_id}/upload/complete", data=body,
                        content_type="application/json", headers=headers)  # fmt: skip
    assert reply.status_code == 422 and "finite" in reply.get_json()["error"]["message"]


@pytest.mark.parametrize("depth", [500, 5_000, 100_000])
def test_deeply_nested_json_is_invalid_input(client, make_user, depth):
    headers = bearer(client, make_user("coach").email)
    body = '{"title": ' + "[" * depth + "]" * depth + "}"
    for path, extra in (("/api/v1/tokens", {}), ("/api/v1/cycles", headers)):
        reply = client.post(path, data=body, content_type="application/json", headers=extra)
        assert reply.status_code == 422, (path, depth)
        assert reply.get_json()["error"]["message"]


@pytest.mark.parametrize("page", ["\u00b2", "\u0661", "1e3", "-1", "0x10", "9" * 5000])
def test_page_numbers_are_ascii_digits(client, make_user, make_ready_video, page):
    teacher = make_user("teacher")
    headers = bearer(client, teacher.email)
    video_id = make_ready_video(teacher)
    reply = client.get(f"/api/v1/videos/{video_id}/audit", query_string={"page": page},
                       headers=headers)  # fmt: skip
    if page.isascii() and page.isdigit():  # a long number is refused without being converted
        assert reply.status_code == 422 and reply.get_json()["error"]["fields"]["page"]
    else:
        assert reply.status_code == 422 and "page" in reply.get_json()["error"]["fields"]


@pytest.mark.parametrize("content_type", [
    "video/mp4\r\nX-Amz-Acl: public-read", "video/mp4\nx", "video/ mp4", "video/" + "x" * 200,
])  # fmt: skip
def test_content_types_with_line_breaks_are_refused(client, make_user, content_type):
    headers = bearer(client, make_user("teacher").email)
    reply = client.post(
        "/api/v1/videos",
        headers=headers,
        json={
            "title": "Lesson",
            "filename": "l.mp4",
            "size_bytes": 10,
            "content_type": content_type,
        },
    )
    assert reply.status_code == 422
    assert "content_type" in reply.get_json()["error"]["fields"]
