"""One long lesson, many workers: the jobs that encode a video's parts and assemble them.

Each part reads the source in ranges from storage (no download) and stores what it made under
the attempt's prefix (`r<attempt>/parts/`); the assembly joins the chunks of each rung and the
once-encoded audio by copying, into exactly the outputs a single pass writes, and publishes
them in one step. The plan and the fair dispatch are webapp/video/parts.py's.
"""

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import ffmpeg
from flask import current_app

from webapp import db
from webapp.video import parts, processing
from webapp.video.models import EXTRAS, EncodePart, Status, Video
from webapp.video.storage import storage
from worker.artifacts import make_peaks, make_poster, storyboard_from_tiles
from worker.ffrun import CpuBudgetExceeded, run_ffmpeg
from worker.jobs import (
    binaries,
    budget_reason,
    media_limits,
    publish_outputs,
    reason_for,
    upload_tree,
    withdraw_attempt,
)
from worker.ladder import (
    AUDIO_BITRATE,
    assemble_graph,
    chunk_graph,
    output_frame_rate,
    plan_ladder,
    run_ladder,
)
from worker.media import (
    MediaRejected,
    ProbeResult,
    check_length,
    for_recording,
    open_input,
    probe,
)

log = logging.getLogger(__name__)

URL_SECONDS = 6 * 3600  # a part of a long lesson may run for a while


def encode_part(part_id: int) -> str:
    """Encode one part (a chunk of the picture, or the extras), then dispatch more work."""
    with current_app.app_context():
        started = parts.start(part_id)
        if started is None:
            return "nothing to do"
        video, part = started
        # Kept as plain values: the rows may be gone (a deletion) by the time the part ends.
        ids = (video.id, video.prefix, part.attempt, part.index)

        def work(scratch: Path) -> None:
            url, info = _probe(video)
            made = _extras(video, url, info, scratch) if part.index == EXTRAS else None
            if part.index != EXTRAS:
                _chunk(video, part, url, info, scratch)
            if not parts.finish(part.id, made):  # deleted, failed or started again meanwhile
                _withdraw_part(*ids)

        try:
            ran = _refusable(video, f"part-{ids[3]}", work)
            return f"part {ids[3]}" if ran else "rejected"
        finally:
            parts.dispatch()  # whatever became of this part, a worker is free for the next


def _withdraw_part(video_id: int, prefix: str, attempt: int, index: int) -> None:
    """Delete what a part stored after its attempt ended: everything of the attempt if the
    video was deleted meanwhile, else only its own chunk (the attempt may be published)."""
    store = storage()
    folder = f"{prefix}r{attempt}/"
    if db.session().get(Video, video_id) is None:
        store.delete_keys(list(store.list_keys(folder)))
    elif index != EXTRAS:
        store.delete_keys(list(store.list_keys(f"{folder}parts/{index:05d}/")))


def _refusable(video: Video, name: str, work: Callable[[Path], None]) -> bool:
    """Run `work` in a scratch folder; a source refused on the way fails the whole attempt."""
    scratch = Path(tempfile.mkdtemp(prefix=f"debrief-{name}-{video.id}-a{video.attempt}-"))
    try:
        work(scratch)
        return True
    except (MediaRejected, CpuBudgetExceeded) as refused:
        if isinstance(refused, MediaRejected):
            fail_attempt(video.id, refused.reason)
        else:
            fail_attempt(video.id, budget_reason(video, refused))
        return False
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def on_part_failure(job, connection, exc_type, exc_value, tb) -> None:
    """Called by rq on every failure: a retry runs the part alone; else the video fails."""
    with current_app.app_context():
        part = db.session().get(EncodePart, job.args[0])
        if part is None:
            return
        if job.retries_left:
            parts.requeued(part.id)
        else:
            fail_attempt(part.video_id, reason_for(exc_value))


def on_assemble_failure(job, connection, exc_type, exc_value, tb) -> None:
    if not job.retries_left:
        with current_app.app_context():
            fail_attempt(job.args[0], reason_for(exc_value))


def fail_attempt(video_id: int, reason: str) -> None:
    """Fail the video with its reason and remove everything its attempt had made."""
    video = db.session().get(Video, video_id)
    if video is None or video.status not in (Status.QUEUED, Status.PROCESSING):
        return
    prefix, attempt = video.prefix, video.attempt
    processing.fail(video_id, reason)
    parts.forget(video_id)
    withdraw_attempt(prefix, attempt)


def _probe(video: Video) -> tuple[str, ProbeResult]:
    url = storage().worker_url(video.source_key, URL_SECONDS)
    return url, probe(url, binaries(), media_limits(), size=video.size_bytes)


def _limits_for(info: ProbeResult, seconds: float):
    """The video's limits scaled to one part: its output length and its share of the CPU."""
    per_second = current_app.config["VIDEO_CPU_SECONDS_PER_SECOND"]
    return for_recording(media_limits(), replace(info, duration_s=seconds), per_second)


def _chunk(video: Video, part: EncodePart, url: str, info: ProbeResult, out: Path) -> None:
    rate = output_frame_rate(info)
    start = Fraction(part.first_frame) / rate
    seconds = float(part.frames / rate) if part.frames else info.duration_s - float(start)
    limits = _limits_for(info, seconds)
    ladder = plan_ladder(info)
    graph = chunk_graph(url, info, ladder, limits, part.first_frame, part.frames)
    produced = run_ffmpeg(
        binaries(), graph, duration_s=seconds, cwd=out, timeout=600 + seconds * 6,
        on_progress=PartProgress(part, video.id), cpu_budget=limits.cpu_budget,
    )  # fmt: skip
    if part.frames is None:
        check_length(produced, replace(info, duration_s=seconds), limits)
    prefix = f"{video.prefix}r{part.attempt}/parts/{part.index:05d}/"
    for rung in ladder:
        storage().upload_file(out / f"{rung.name}.mp4", f"{prefix}{rung.name}.mp4", "video/mp4")
    if (out / "thumbs.mjpeg").exists():  # a chunk shorter than 5 s may hold no tile
        storage().upload_file(out / "thumbs.mjpeg", f"{prefix}thumbs.mjpeg", "video/x-motion-jpeg")


def _extras(video: Video, url: str, info: ProbeResult, out: Path) -> dict:
    """The audio of the whole lesson (one encode, so no seams), poster and peaks.

    Not the storyboard: decoding a whole hour of HEVC again held a worker for a quarter of an
    hour while other teachers' clips waited; each chunk writes its own tiles instead.
    """
    tools, limits = binaries(), _limits_for(info, info.duration_s)
    outputs = {}
    if info.has_audio:
        source = open_input(url, limits)
        graph = ffmpeg.output(source[str(info.audio_index)], "parts/audio.m4a", map_metadata=-1,
                              **{"c:a": "aac", "b:a": AUDIO_BITRATE}, ac=2, ar=48000,
                              **limits.output_options(), format="mp4")  # fmt: skip
        (out / "parts").mkdir()
        produced = run_ffmpeg(tools, graph, duration_s=info.duration_s, cwd=out,
                              timeout=300 + info.duration_s,
                              cpu_budget=limits.cpu_budget)  # fmt: skip
        check_length(produced, info, limits)
    if make_poster(url, out / "poster.jpg", info, tools, limits):
        outputs["poster"] = "poster.jpg"
    step_timeout = 300 + info.duration_s
    if make_peaks(url, out / "peaks.json", info, tools, limits=limits, timeout=step_timeout):
        outputs["peaks"] = "peaks.json"
    upload_tree(out, f"{video.prefix}r{video.attempt}/")
    return outputs


def _joined_tiles(prefix: str, chunks: list[EncodePart], scratch: Path) -> Path:
    """The chunks' storyboard tiles, in lesson order, as one MJPEG stream (JPEGs back to back)."""
    joined, store = scratch / "thumbs.mjpeg", storage()
    stored = set(store.list_keys(f"{prefix}parts/"))
    with joined.open("wb") as stream:
        for part in chunks:
            key = f"{prefix}parts/{part.index:05d}/thumbs.mjpeg"
            if key in stored:  # a chunk shorter than 5 s may hold no tile
                stream.write(store.read(key))
    return joined


class PartProgress:
    """A chunk's progress, stored at most every two seconds (and the video's with it)."""

    def __init__(self, part: EncodePart, video_id: int, interval: float = 2.0) -> None:
        self.part_id, self.video_id, self.interval = part.id, video_id, interval
        self.last = 0.0

    def __call__(self, percent: float) -> None:
        now = time.monotonic()
        if now - self.last >= self.interval or percent >= 100:
            self.last = now
            parts.record_progress(self.part_id, self.video_id, int(percent))


def assemble_video(video_id: int, attempt: int) -> str:
    """Join the parts of an attempt into the ladder and the MP4 fallback, and publish them."""
    with current_app.app_context():
        video = db.session().get(Video, video_id)
        if video is None or video.status != Status.PROCESSING or video.attempt != attempt:
            return "nothing to do"
        done = parts.parts_of(video)
        if not done or any(p.state != "done" for p in done):
            return "not yet"
        ran = _refusable(video, "assemble", lambda scratch: _assemble(video, done, scratch))
        return "ready" if ran else "rejected"


def _assemble(video: Video, done: list[EncodePart], scratch: Path) -> None:
    _, info = _probe(video)
    limits = _limits_for(info, info.duration_s)
    ladder = plan_ladder(info)
    prefix = f"{video.prefix}r{video.attempt}/"
    store = storage()
    chunks = [p for p in done if p.index != EXTRAS]
    lists = []
    for rung in ladder:
        lines = []
        for part in chunks:
            local = scratch / "parts" / f"{part.index:05d}" / f"{rung.name}.mp4"
            local.parent.mkdir(parents=True, exist_ok=True)
            store.download_file(f"{prefix}parts/{part.index:05d}/{rung.name}.mp4", local)
            lines.append(f"file '{local}'")
        lists.append(scratch / f"{rung.name}.txt")
        lists[-1].write_text("\n".join(lines) + "\n")
    audio = None
    if info.has_audio:
        audio = scratch / "audio.m4a"
        store.download_file(f"{prefix}parts/audio.m4a", audio)
    graph, mp4 = assemble_graph(lists, audio, info, ladder, limits)
    out = scratch / "out"
    result = run_ladder(graph, mp4, out, info, ladder, binaries(), limits=limits,
                        on_progress=processing.ProgressRecorder(video, start=95, end=99),
                        timeout=600 + info.duration_s)  # fmt: skip
    outputs = {**next(p for p in done if p.index == EXTRAS).result}
    tiles = _joined_tiles(prefix, chunks, scratch) if info.has_video else None
    if tiles and storyboard_from_tiles(tiles, out, info, binaries(), limits):
        outputs["thumbnails_vtt"] = "thumbs.vtt"
    upload_tree(out, prefix)
    publish_outputs(video, prefix, {**outputs, "hls": result.master, "mp4": result.mp4}, result)
    parts.forget(video.id)
    store.delete_keys(list(store.list_keys(f"{prefix}parts/")))
