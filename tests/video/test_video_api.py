"""Upload rules, resume, streaming PUT, permissions, retry and deletion, on both databases."""

import os

import pytest
import requests

from tests.conftest import bearer
from tests.video.conftest import run_jobs, upload_via_api

MIB = 1024 * 1024


def _create(client, headers, **overrides):
    body = {
        "title": "Lesson",
        "filename": "lesson.mp4",
        "size_bytes": 1000,
        "content_type": "video/mp4",
        **overrides,
    }
    return client.post("/api/v1/videos", json=body, headers=headers)


def _count_videos(app):
    from sqlalchemy import func, select

    from webapp import db
    from webapp.video.models import Video

    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Video))


def test_too_large_is_refused_before_any_byte(app, client, teacher_headers):
    _, headers = teacher_headers
    app.config["MAX_UPLOAD_BYTES"] = 10 * MIB
    reply = _create(client, headers, size_bytes=11 * MIB)
    assert reply.status_code == 422
    message = reply.get_json()["error"]["message"]
    assert "11.0 MB" in message and "10.0 MB" in message
    assert _count_videos(app) == 0


@pytest.mark.parametrize("filename,content_type", [
    ("notes.txt", "text/plain"), ("slides.pdf", "application/pdf"), ("noext", ""),
])  # fmt: skip
def test_not_a_video_is_refused(app, client, teacher_headers, filename, content_type):
    _, headers = teacher_headers
    reply = _create(client, headers, filename=filename, content_type=content_type)
    assert reply.status_code == 422
    assert "does not look like a video" in reply.get_json()["error"]["message"]
    assert _count_videos(app) == 0


def test_missing_fields_and_bad_title(client, teacher_headers):
    _, headers = teacher_headers
    missing = client.post("/api/v1/videos", json={"title": "x"}, headers=headers)
    assert set(missing.get_json()["error"]["fields"]) == {"filename", "size_bytes"}
    long_title = _create(client, headers, title="x" * 201)
    assert long_title.status_code == 422 and "title" in long_title.get_json()["error"]["fields"]


def test_cycle_must_be_my_own(client, make_user, pair_users, teacher_headers):
    _, headers = teacher_headers
    coach, other = make_user("coach"), make_user("teacher")
    pair_users(coach, other)
    coach_h = bearer(client, coach.email)
    cycle = client.post(
        "/api/v1/cycles", json={"teacher_id": other.id, "title": "Theirs"}, headers=coach_h
    ).get_json()
    reply = _create(client, headers, cycle_id=cycle["id"])
    assert reply.status_code == 422 and "cycle_id" in reply.get_json()["error"]["fields"]


def test_reload_resumes_with_parts_already_stored(client, teacher_headers, tmp_path):
    _, headers = teacher_headers
    data = os.urandom(17 * MIB)  # two parts of 16 MiB
    created = _create(client, headers, size_bytes=len(data)).get_json()
    plan = created["upload"]
    assert plan["part_size"] == 16 * MIB and len(plan["parts"]) == 2
    first = requests.put(plan["parts"][0]["url"], data=data[: 16 * MIB], timeout=60)
    assert first.status_code == 200
    # The page reloads: it asks what is stored, and gets fresh URLs.
    resumed = client.get(f"/api/v1/videos/{created['id']}/upload", headers=headers).get_json()
    assert [p["part_number"] for p in resumed["uploaded"]] == [1]
    assert resumed["uploaded"][0]["etag"] == first.headers["ETag"].strip('"')
    parts = [{"part_number": 1, "etag": resumed["uploaded"][0]["etag"]}]
    early = client.post(
        f"/api/v1/videos/{created['id']}/upload/complete", json={"parts": parts}, headers=headers
    )
    assert (
        early.status_code == 422 and "expected parts 1 to 2" in early.get_json()["error"]["message"]
    )
    second = requests.put(resumed["parts"][1]["url"], data=data[16 * MIB :], timeout=60)
    parts.append({"part_number": 2, "etag": second.headers["ETag"]})
    done = client.post(
        f"/api/v1/videos/{created['id']}/upload/complete", json={"parts": parts}, headers=headers
    )
    assert done.status_code == 202 and done.get_json()["status"] == "queued"
    again = client.post(
        f"/api/v1/videos/{created['id']}/upload/complete", json={"parts": parts}, headers=headers
    )
    assert again.status_code == 409


def test_wrong_etag_is_refused(client, teacher_headers):
    _, headers = teacher_headers
    created = _create(client, headers, size_bytes=5).get_json()
    requests.put(created["upload"]["parts"][0]["url"], data=b"12345", timeout=30)
    reply = client.post(
        f"/api/v1/videos/{created['id']}/upload/complete",
        json={"parts": [{"part_number": 1, "etag": "0" * 32}]},
        headers=headers,
    )
    assert (
        reply.status_code == 422
        and "did not reach storage intact" in reply.get_json()["error"]["message"]
    )


def test_put_source_streams_and_queues(app, client, teacher_headers, sample_mp4):
    _, headers = teacher_headers
    data = sample_mp4.read_bytes()
    created = _create(client, headers, size_bytes=len(data)).get_json()
    url = f"/api/v1/videos/{created['id']}/source"
    wrong = client.put(url, data=data[:-1], headers=headers)
    assert wrong.status_code == 422
    reply = client.put(url, data=data, headers={**headers, "Content-Type": "video/mp4"})
    assert reply.status_code == 202 and reply.get_json()["status"] == "queued"
    assert client.put(url, data=data, headers=headers).status_code == 409
    run_jobs(app)
    assert (
        client.get(f"/api/v1/videos/{created['id']}", headers=headers).get_json()["status"]
        == "ready"
    )


def test_who_sees_a_video(app, client, make_user, pair_users, teacher_headers, sample_mp4):
    teacher, headers = teacher_headers
    coach, stranger_coach = make_user("coach"), make_user("coach")
    other_teacher, admin = make_user("teacher"), make_user("admin")
    pair_users(coach, teacher)
    video_id = upload_via_api(client, headers, sample_mp4)
    url = f"/api/v1/videos/{video_id}"
    assert client.get(url, headers=bearer(client, coach.email)).status_code == 200
    for outsider in (stranger_coach, other_teacher, admin):
        assert client.get(url, headers=bearer(client, outsider.email)).status_code == 404
    assert client.get(url).status_code == 401
    coach_h = bearer(client, coach.email)
    assert client.patch(url, json={"title": "Mine now"}, headers=coach_h).status_code == 403
    assert client.delete(url, headers=coach_h).status_code == 403
    listed = client.get("/api/v1/videos", headers=coach_h).get_json()["videos"]
    assert [v["id"] for v in listed] == [video_id]
    assert (
        client.get("/api/v1/videos", headers=bearer(client, admin.email)).get_json()["videos"] == []
    )


def test_media_gateway_checks_access_and_names(app, client, make_user, teacher_headers, sample_mp4):
    _, headers = teacher_headers
    video_id = upload_via_api(client, headers, sample_mp4)
    run_jobs(app)
    video = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
    stranger = bearer(client, make_user("coach").email)
    assert client.get(video["playback"]["mp4"], headers=stranger).status_code == 404
    base = f"/videos/{video_id}/media/"
    for name in ("source/lesson.mp4", "../../etc/passwd", "hls/../../x.m3u8", "secret.txt"):
        assert client.get(base + name, headers=headers).status_code == 404, name


def test_rename_and_delete_remove_every_object(app, client, teacher_headers, sample_mp4):
    from webapp.video.storage import storage

    _, headers = teacher_headers
    video_id = upload_via_api(client, headers, sample_mp4)
    run_jobs(app)
    url = f"/api/v1/videos/{video_id}"
    assert (
        client.patch(url, json={"title": "Fractions, period 3"}, headers=headers).get_json()[
            "title"
        ]
        == "Fractions, period 3"
    )
    with app.app_context():
        from webapp import db
        from webapp.video.models import Video

        prefix = db.session().get(Video, video_id).prefix
        keys = list(storage().list_keys(prefix))
    assert any(k.endswith("master.m3u8") for k in keys) and any("/source/" in k for k in keys)
    assert client.delete(url, headers=headers).status_code == 204
    with app.app_context():
        assert list(storage().list_keys(prefix)) == []
    assert client.get(url, headers=headers).status_code == 404
    assert _count_videos(app) == 0


def test_failed_video_can_be_retried(app, client, teacher_headers, tmp_path):
    _, headers = teacher_headers
    bogus = tmp_path / "lesson.mp4"
    bogus.write_text("not a video at all " * 100)
    video_id = upload_via_api(client, headers, bogus)
    run_jobs(app)
    url = f"/api/v1/videos/{video_id}"
    failed = client.get(url, headers=headers).get_json()
    assert failed["status"] == "failed" and failed["error"]
    retried = client.post(f"{url}/retry", headers=headers)
    assert retried.status_code == 202 and retried.get_json()["status"] == "queued"
    assert client.post(f"{url}/retry", headers=headers).status_code == 409
    run_jobs(app)
    assert client.get(url, headers=headers).get_json()["status"] == "failed"


def test_cancelled_upload_leaves_nothing(app, client, teacher_headers):
    from webapp.video.storage import storage

    _, headers = teacher_headers
    created = _create(client, headers, size_bytes=5).get_json()
    requests.put(created["upload"]["parts"][0]["url"], data=b"12345", timeout=30)
    with app.app_context():
        from webapp import db
        from webapp.video.models import Video

        prefix = db.session().get(Video, created["id"]).prefix
        assert any(u.key.startswith(prefix) for u in storage().pending_uploads())
    assert client.delete(f"/api/v1/videos/{created['id']}", headers=headers).status_code == 204
    with app.app_context():
        assert not any(u.key.startswith(prefix) for u in storage().pending_uploads())
    assert _count_videos(app) == 0
