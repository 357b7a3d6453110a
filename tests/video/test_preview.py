"""The preview: an upload that is not H.264 plays from a growing playlist before its ladder.

Real Redis, storage and ffmpeg; the queues are run one at a time in this process, so "before
the ladder" is a fact of the test, not a race.
"""

import json
import subprocess

import pytest
import requests
from rq import SimpleWorker

from tests.media.matrix import iphone_portrait
from tests.video.conftest import run_jobs, upload_via_api
from webapp import queue


@pytest.fixture
def backend():
    return "sqlite"


def run_queue(app, priority):
    with app.app_context():
        worker = SimpleWorker(
            [queue.get_queue(priority)], connection=queue.connection(), serializer=queue.SERIALIZER
        )
        worker.work(burst=True)


def fetch(client, headers, url) -> bytes:
    """Through the media gateway: playlists come from the app, media by a redirect."""
    reply = client.get(url, headers=headers)
    if reply.status_code == 302:
        media = requests.get(reply.headers["Location"], timeout=30)
        media.raise_for_status()
        return media.content
    assert reply.status_code == 200, reply.status_code
    return reply.data


def frames(binaries, path) -> list[dict]:
    out = subprocess.run(
        [binaries.ffprobe, "-v", "error", "-show_entries", "frame=pts_time,width,height",
         "-select_streams", "v:0", "-of", "json", str(path)],
        capture_output=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)["frames"]


def test_hevc_portrait_plays_from_the_preview_before_its_ladder(
    app, client, teacher_headers, binaries, tmp_path
):
    app.config["PREVIEW_SLICE_SECONDS"] = 8  # 20 s: three slices, so slices must join
    sample = iphone_portrait(binaries, tmp_path, seconds=20)
    _, headers = teacher_headers
    video_id = upload_via_api(client, headers, sample.path, content_type="video/quicktime")

    run_queue(app, queue.Priority.HIGH)  # the preview only: the ladder has not started
    video = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
    assert video["status"] == "queued" and video["playback"]["mp4"] is None
    assert video["playback"]["hls"] == video["playback"]["preview"]
    playlist = fetch(client, headers, video["playback"]["hls"]).decode()
    assert "#EXT-X-PLAYLIST-TYPE:EVENT" in playlist
    assert playlist.rstrip().endswith("#EXT-X-ENDLIST")
    base = video["playback"]["hls"].rsplit("/", 1)[0]
    lines = playlist.splitlines()
    durations = [float(line[8:].rstrip(",")) for line in lines if line.startswith("#EXTINF:")]
    assert abs(sum(durations) - 20) < 0.2 and max(durations) <= 4.1
    by_slice: dict[int, list[str]] = {}
    for line in lines:
        if line.endswith(".m4s"):
            by_slice.setdefault(int(line.split("_")[1]), []).append(line)
    assert sorted(by_slice) == [0, 1, 2]
    starts = []
    for k, segments in by_slice.items():
        path = tmp_path / f"slice{k}.mp4"
        parts = [f"init_{k}.mp4", *segments]
        path.write_bytes(b"".join(fetch(client, headers, f"{base}/{name}") for name in parts))
        decoded = frames(binaries, path)
        assert {(f["width"], f["height"]) for f in decoded} == {(180, 320)}  # upright portrait
        starts.append(float(decoded[0]["pts_time"]))
        assert abs(len(decoded) - 30 * (8 if k < 2 else 4)) <= 1  # no frame lost or doubled
    # The lesson's own times, within a frame: the first slice's audio priming (21 ms) moves it.
    assert all(abs(start - 8 * k) < 1 / 30 for k, start in enumerate(starts)), starts

    run_jobs(app)  # now the ladder, which replaces the preview
    video = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
    assert video["status"] == "ready", video["error"]
    assert video["playback"]["preview"] is None and "preview" not in video["playback"]["hls"]
    assert client.get(f"{base}/index.m3u8", headers=headers).status_code == 404
    with app.app_context():
        from webapp import db
        from webapp.video.models import Video
        from webapp.video.storage import storage

        prefix = db.session().get(Video, video_id).prefix
        assert list(storage().list_keys(prefix + "preview/")) == []


def test_a_preview_far_ahead_of_any_viewer_waits_for_real_time():
    from datetime import timedelta
    from types import SimpleNamespace

    from webapp.db import utcnow
    from worker.preview import PREVIEW_LEAD_S, _pace

    video = SimpleNamespace(uploaded_at=utcnow() - timedelta(seconds=60))
    assert _pace(video, ready_until=64 + PREVIEW_LEAD_S - 10) == 0  # less than the lead ahead
    # 20 minutes ready a minute after upload: wait until it is only the lead ahead again.
    assert abs(_pace(video, ready_until=1200) - (1200 - 60 - PREVIEW_LEAD_S)) < 2
