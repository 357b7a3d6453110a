"""(g) Upload-complete to playable for an iPhone-like recording: 1080p HEVC portrait .mov.

Nothing of it can be stream-copied for browsers, so it plays from the growing preview
(worker/preview.py). One worker on the whole machine, as `make run` has.
"""

import time

from bench.media import hevc_portrait
from bench.playable import served
from bench.report import Check, Result
from worker.media import find_binaries


def run(quick: bool) -> Result:
    seconds = 120 if quick else 600
    src = hevc_portrait(find_binaries(), seconds)
    with served() as app:
        upload, times = app.upload_and_watch(src, timeout=600, until="playable")
        # How far the preview had got by then, and how it keeps ahead of a viewer.
        started = time.perf_counter()
        time.sleep(20)
        playlist = _playlist(app.client, app.headers, upload.video_id)
        ahead = sum(float(line[8:].rstrip(",")) for line in playlist.splitlines()
                    if line.startswith("#EXTINF:"))  # fmt: skip
        elapsed = time.perf_counter() - started + times["playable"]
    return Result(
        name="hevc",
        title=f"(g) Upload-complete to playable, 1080p HEVC portrait .mov of {seconds // 60} min",
        figures=[
            ("recording length", seconds, "s"),
            ("file size", src.stat().st_size / 1e6, "MB"),
            ("complete → playable (preview playlist)", times["playable"], "s"),
            ("preview ready after that many seconds", elapsed, "s"),
            ("preview length by then", ahead, "s of lesson"),
            ("preview speed", ahead / elapsed, "x real time"),
        ],
        checks=[Check("complete → playable (s)", times["playable"], "<=", 15)],
    )


def _playlist(client, headers, video_id: int) -> str:
    video = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
    return client.get(video["playback"]["hls"], headers=headers).get_data(as_text=True)
