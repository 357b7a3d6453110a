"""The sweeper: stale multipart uploads aborted, abandoned videos failed, orphans deleted."""

from datetime import timedelta

import requests

from tests.video.conftest import run_jobs, upload_via_api


def test_sweep_cleans_stale_uploads_and_orphans_but_keeps_live_videos(
    app, client, teacher_headers, sample_mp4
):
    from webapp import db
    from webapp.db import utcnow
    from webapp.video.models import Video
    from webapp.video.storage import storage
    from webapp.video.sweeper import ABANDONED, sweep

    _, headers = teacher_headers
    kept_id = upload_via_api(client, headers, sample_mp4)
    run_jobs(app)
    stale = client.post("/api/v1/videos", headers=headers, json={
        "title": "Never finished", "filename": "big.mov", "size_bytes": 5,
        "content_type": "video/quicktime"}).get_json()  # fmt: skip
    requests.put(stale["upload"]["parts"][0]["url"], data=b"12345", timeout=30)
    with app.app_context():
        storage().client.put_object(Bucket=storage().bucket, Key="videos/orphan/x.bin", Body=b"x")
        summary = sweep(older_than=utcnow() + timedelta(days=1))
        assert summary["aborted_uploads"] >= 1 and summary["abandoned_videos"] == 1
        assert summary["orphaned_prefixes"] >= 1
        kept = db.session().get(Video, kept_id)
        abandoned = db.session().get(Video, stale["id"])
        assert abandoned.status == "failed" and abandoned.failure_reason == ABANDONED
        assert not any(u.key.startswith(abandoned.prefix) for u in storage().pending_uploads())
        assert list(storage().list_keys("videos/orphan/")) == []
        assert any(k.endswith("master.m3u8") for k in storage().list_keys(kept.prefix))


def test_worker_checks_the_size_limit_again(app, client, teacher_headers, sample_mp4):
    _, headers = teacher_headers
    video_id = upload_via_api(client, headers, sample_mp4)
    app.config["MAX_UPLOAD_BYTES"] = 1000
    run_jobs(app)
    video = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
    assert video["status"] == "failed" and "larger than the limit" in video["error"]
