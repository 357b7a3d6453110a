"""The video API checks its bodies strictly and answers in the shapes the browser reads."""

import re

import pytest

from tests.conftest import bearer
from tests.video.test_video_api import _count_videos, _create

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
VIDEO_KEYS = {
    "id", "title", "status", "progress", "error", "duration_ms", "width", "height", "has_video",
    "has_audio", "owner", "cycle_id", "filename", "size_bytes", "renditions", "created_at",
    "playback", "consent", "lesson_date", "lesson_date_source", "class_name", "subject", "grade",
    "activity_at",
}  # fmt: skip


@pytest.fixture(params=["sqlite"])
def backend(request):
    """What is tested is validation and shapes, not the database."""
    return request.param


def _fields(reply) -> dict:
    assert reply.status_code == 422, reply.get_json()
    return reply.get_json()["error"]["fields"]


@pytest.mark.parametrize("field,value", [
    ("title", ["Lesson"]), ("title", 12), ("filename", None), ("size_bytes", "1000"),
    ("size_bytes", 1000.0), ("size_bytes", True), ("content_type", 5), ("cycle_id", "3"),
    ("cycle_id", True), ("cycle_id", 0), ("consent", "true"), ("consent", 1),
])  # fmt: skip
def test_create_refuses_wrong_types_before_anything_is_made(
    app, client, teacher_headers, field, value
):
    _, headers = teacher_headers
    assert field in _fields(_create(client, headers, **{field: value}))
    assert _count_videos(app) == 0


def test_create_refuses_unknown_fields(app, client, teacher_headers):
    _, headers = teacher_headers
    assert _fields(_create(client, headers, private=False)) == {"private": "Unknown field."}
    assert _count_videos(app) == 0


def test_create_accepts_what_the_upload_page_sends(client, teacher_headers):
    """static/js/upload/upload.js: an empty content_type, a numeric cycle_id, a consent flag."""
    teacher, headers = teacher_headers
    cycle = _my_cycle(client, teacher)
    reply = _create(client, headers, content_type="", cycle_id=cycle, consent=False)
    assert reply.status_code == 201, reply.get_json()
    assert reply.get_json()["cycle_id"] == cycle


def test_an_empty_file_is_refused_with_advice(client, teacher_headers):
    _, headers = teacher_headers
    reply = _create(client, headers, size_bytes=0)
    assert "size_bytes" in _fields(reply)
    assert "This file is empty" in reply.get_json()["error"]["message"]


def test_created_video_carries_its_upload_plan_and_the_one_time_format(client, teacher_headers):
    teacher, headers = teacher_headers
    body = _create(client, headers, title="  Fractions  ", size_bytes=1000).get_json()
    assert set(body) == VIDEO_KEYS | {"upload"}
    assert body["title"] == "Fractions" and body["status"] == "uploading"
    assert body["owner"] == {"id": teacher.id, "name": teacher.name, "role": "teacher"}
    assert STAMP.fullmatch(body["created_at"])
    assert body["consent"] == {"confirmed_at": None, "policy_version": None}
    kinds = ("hls", "mp4", "poster", "thumbnails_vtt", "peaks", "preview")
    assert body["playback"] == dict.fromkeys(kinds)
    assert body["renditions"] == [] and body["error"] is None
    plan = body["upload"]
    assert set(plan) == {"upload_id", "part_size", "expires_in", "parts", "uploaded"}
    assert [(p["part_number"], p["size"]) for p in plan["parts"]] == [(1, 1000)]
    assert plan["uploaded"] == []
    assert client.get(f"/api/v1/videos/{body['id']}", headers=headers).get_json() == {
        k: v for k, v in body.items() if k != "upload"
    }


def test_playback_urls_go_through_the_media_gateway(app, client, teacher_headers, make_ready_video):
    teacher, headers = teacher_headers
    ready = make_ready_video(teacher, outputs={"poster": "poster.jpg", "hls": "hls/master.m3u8"},
                             renditions=[{"height": 360, "width": 640, "pixel_height": 360,
                                          "maxrate_kbps": 900}])  # fmt: skip
    quick = make_ready_video(teacher, status="processing", quick_key="videos/q/quick.mp4")
    body = client.get(f"/api/v1/videos/{ready}", headers=headers).get_json()
    assert body["playback"] == {
        "hls": f"/videos/{ready}/media/hls/master.m3u8",
        "mp4": None,
        "poster": f"/videos/{ready}/media/poster.jpg",
        "thumbnails_vtt": None,
        "peaks": None,
        "preview": None,
    }
    assert body["renditions"][0]["maxrate_kbps"] == 900
    processing = client.get(f"/api/v1/videos/{quick}", headers=headers).get_json()
    assert processing["playback"]["mp4"] == f"/videos/{quick}/media/quick.mp4"
    assert processing["playback"]["poster"] is None  # published only once ready
    listed = client.get("/api/v1/videos", headers=headers).get_json()["videos"]
    assert {v["id"]: v["playback"] for v in listed} == {
        ready: body["playback"],
        quick: processing["playback"],
    }


def test_patch_changes_only_what_it_sends(client, teacher_headers, make_ready_video):
    teacher, headers = teacher_headers
    cycle = _my_cycle(client, teacher)
    video_id = make_ready_video(teacher, cycle_id=cycle, title="Before")
    url = f"/api/v1/videos/{video_id}"
    renamed = client.patch(url, json={"title": "After"}, headers=headers).get_json()
    assert renamed["title"] == "After" and renamed["cycle_id"] == cycle
    unfiled = client.patch(url, json={"cycle_id": None}, headers=headers).get_json()
    assert unfiled["title"] == "After" and unfiled["cycle_id"] is None
    refiled = client.patch(url, json={"cycle_id": cycle}, headers=headers).get_json()
    assert refiled["title"] == "After" and refiled["cycle_id"] == cycle
    assert client.patch(url, json={}, headers=headers).get_json() == refiled


@pytest.mark.parametrize("body,field", [
    ({"title": None}, "title"), ({"title": ["x"]}, "title"), ({"title": ""}, "title"),
    ({"cycle_id": "1"}, "cycle_id"), ({"cycle_id": 1.0}, "cycle_id"),
    ({"status": "ready"}, "status"),
])  # fmt: skip
def test_patch_is_strict(client, teacher_headers, make_ready_video, body, field):
    teacher, headers = teacher_headers
    video_id = make_ready_video(teacher, title="Kept")
    url = f"/api/v1/videos/{video_id}"
    assert field in _fields(client.patch(url, json=body, headers=headers))
    assert client.get(url, headers=headers).get_json()["title"] == "Kept"


@pytest.mark.parametrize("parts,field", [
    ({"part_number": 1, "etag": "x"}, "parts"),
    ([{"part_number": "1", "etag": "x"}], "parts.0.part_number"),
    ([{"part_number": 1}], "parts.0.etag"),
    ([{"part_number": 1, "etag": 7}], "parts.0.etag"),
    ([{"part_number": 0, "etag": "x"}], "parts.0.part_number"),
    ([{"part_number": 1, "etag": "x", "size": 5}], "parts.0.size"),
])  # fmt: skip
def test_complete_checks_each_part(client, teacher_headers, parts, field):
    _, headers = teacher_headers
    video_id = _create(client, headers, size_bytes=5).get_json()["id"]
    url = f"/api/v1/videos/{video_id}/upload/complete"
    assert field in _fields(client.post(url, json={"parts": parts}, headers=headers))
    video = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
    assert video["status"] == "uploading"


def test_an_empty_parts_list_is_the_owners_business(client, make_user, teacher_headers):
    """Well-formed, so others learn nothing from it: the video stays hidden behind its 404."""
    _, headers = teacher_headers
    video_id = _create(client, headers, size_bytes=5).get_json()["id"]
    url = f"/api/v1/videos/{video_id}/upload/complete"
    stranger = bearer(client, make_user("teacher").email)
    assert client.post(url, json={"parts": []}, headers=stranger).status_code == 404
    assert _fields(client.post(url, json={"parts": []}, headers=headers)) == {"parts": "Required."}


def _my_cycle(client, teacher) -> int:
    """A cycle of the teacher's own (a row: the coaching rules have their own tests)."""
    from webapp import db
    from webapp.coaching import services as coaching
    from webapp.coaching.models import Cycle

    with client.application.app_context():
        framework_id = coaching.default_framework().id
        cycle = Cycle(teacher_id=teacher.id, framework_id=framework_id, title="Mine")
        db.session().add(cycle)
        db.session().commit()
        return cycle.id
