"""(i) A teacher's 60-minute lesson and a colleague's 2-minute clip uploaded one second apart
(1080p HEVC portrait, as iPhones record): the clip must not wait behind the lesson. Two
workers, as a small school's server has."""

import threading
import time

from bench import api
from bench.media import hevc_portrait
from bench.playable import served
from bench.report import Check, Result
from worker.media import find_binaries


def run(quick: bool) -> Result:
    lesson_s, clip_s = (600, 60) if quick else (3600, 120)
    binaries = find_binaries()
    lesson, clip = hevc_portrait(binaries, lesson_s), hevc_portrait(binaries, clip_s)
    with served(2) as app:
        colleague = api.bearer(app.client, api.COLLEAGUE)
        first = threading.Thread(target=api.presigned_upload, args=(app.client, colleague, lesson))
        first.start()
        time.sleep(1)
        _, times = app.upload_and_watch(clip, timeout=3600)
        first.join()
    return Result(
        name="fairness",
        title=f"(i) A {clip_s // 60} min clip uploaded 1 s after a {lesson_s // 60} min lesson",
        figures=[
            ("clip: complete → playable", times["playable"], "s"),
            ("clip: complete → ready", times["ready"], "s"),
            ("clip: ready / its own length", times["ready"] / clip_s, "x"),
        ],
        checks=[
            Check("clip complete → playable (s)", times["playable"], "<=", 15),
            Check("clip ready / its length", times["ready"] / clip_s, "<=", 3),
        ],
    )
