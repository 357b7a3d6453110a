"""The whole path: presigned multipart upload to S3, the rq job, published outputs."""

from tests.video.conftest import run_jobs, upload_via_api


def test_upload_process_and_play(app, client, teacher_headers, sample_mp4):
    _, headers = teacher_headers
    video_id = upload_via_api(client, headers, sample_mp4)
    queued = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
    assert queued["status"] == "queued"
    run_jobs(app)
    video = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
    assert video["status"] == "ready", video["error"]
    assert abs(video["duration_ms"] - 4000) < 300
    assert (video["width"], video["height"]) == (320, 180)
    assert video["progress"] == 100
    playback = video["playback"]
    assert all(playback[k] for k in ("hls", "mp4", "poster", "thumbnails_vtt", "peaks"))
    master = client.get(playback["hls"], headers=headers)
    assert master.status_code == 200
    assert master.content_type.startswith("application/vnd.apple.mpegurl")
    assert "#EXT-X-STREAM-INF" in master.get_data(as_text=True)
    mp4 = client.get(playback["mp4"], headers=headers)
    assert mp4.status_code == 302 and "X-Amz-Signature" in mp4.location
