"""Storage enforces what the app was told: part sizes are signed, mismatches leave nothing,
and each teacher's quota is checked before any byte moves."""

import re

import requests

from tests.video.test_video_api import MIB, _count_videos, _create


def _pending_and_stored(app, video_id):
    from webapp import db
    from webapp.video.models import Video
    from webapp.video.storage import storage

    with app.app_context():
        prefix = db.session().get(Video, video_id).prefix
        pending = [u for u in storage().pending_uploads() if u.key.startswith(prefix)]
        return pending, list(storage().list_keys(prefix))


def test_part_urls_bind_each_part_size_and_expire_soon(client, teacher_headers):
    _, headers = teacher_headers
    plan = _create(client, headers, size_bytes=16 * MIB + 10).get_json()["upload"]
    assert [p["size"] for p in plan["parts"]] == [16 * MIB, 10]
    assert 300 < plan["expires_in"] < 900  # 16 MiB at 1 Mbit/s, plus five minutes
    for part in plan["parts"]:
        assert "content-length" in re.search(r"X-Amz-SignedHeaders=([^&]+)", part["url"])[1]
        assert f"X-Amz-Expires={plan['expires_in']}" in part["url"]


def test_a_part_bigger_or_smaller_than_declared_is_refused_by_s3(app, client, teacher_headers):
    _, headers = teacher_headers
    created = _create(client, headers, size_bytes=1000).get_json()
    url = created["upload"]["parts"][0]["url"]
    assert requests.put(url, data=b"x" * (40 * MIB), timeout=120).status_code == 403
    assert requests.put(url, data=b"x" * 999, timeout=30).status_code == 403
    pending, _ = _pending_and_stored(app, created["id"])
    with app.app_context():
        from webapp.video.storage import storage

        assert storage().list_parts(pending[0].key, pending[0].upload_id) == []
    assert requests.put(url, data=b"x" * 1000, timeout=30).status_code == 200


def test_a_size_mismatch_at_complete_leaves_no_object_or_upload(app, client, teacher_headers):
    """A part sent around the signed URL (here with the server's own keys) is caught too."""
    from webapp import db
    from webapp.video.models import Video
    from webapp.video.storage import storage

    _, headers = teacher_headers
    created = _create(client, headers, size_bytes=1000).get_json()
    with app.app_context():
        video = db.session().get(Video, created["id"])
        reply = storage().client.upload_part(
            Bucket=app.config["S3_BUCKET"], Key=video.source_key, UploadId=video.upload_id,
            PartNumber=1, Body=b"y" * 4000,
        )  # fmt: skip
    done = client.post(
        f"/api/v1/videos/{created['id']}/upload/complete",
        json={"parts": [{"part_number": 1, "etag": reply["ETag"]}]},
        headers=headers,
    )
    assert done.get_json()["status"] == "failed"
    assert "3.9 KB" in done.get_json()["error"] and "1000 bytes" in done.get_json()["error"]
    assert _pending_and_stored(app, created["id"]) == ([], [])


def test_the_storage_quota_refuses_before_any_byte(app, client, teacher_headers, make_user):
    from tests.conftest import bearer

    _, headers = teacher_headers
    app.config["MAX_USER_BYTES"] = 3 * MIB
    assert _create(client, headers, size_bytes=2 * MIB).status_code == 201
    reply = _create(client, headers, size_bytes=2 * MIB)
    assert reply.status_code == 413
    error = reply.get_json()["error"]
    assert error["code"] == "quota_exceeded" and "size_bytes" in error["fields"]
    assert "2.0 MB" in error["message"] and "1.0 MB" in error["message"]
    assert "3.0 MB" in error["message"]
    assert _count_videos(app) == 1
    other = bearer(client, make_user("teacher").email)  # the quota is per teacher
    assert _create(client, other, size_bytes=2 * MIB).status_code == 201
