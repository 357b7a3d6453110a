"""rq jobs. They take ids only, run inside the worker's app, and let rq see every failure.

A permanent problem with the file (MediaRejected, or a CPU budget overrun, which a retry
would repeat) fails the video at once with its reason.
Anything else raises, so rq retries with backoff; the failure callback records the reason
once no retry is left.
"""

import logging
import math
import mimetypes
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask import current_app

from webapp import db
from webapp.video import parts, processing
from webapp.video.models import Video
from webapp.video.services import human_size
from webapp.video.storage import StorageError, storage
from worker.artifacts import make_peaks, make_poster, make_storyboard
from worker.ffrun import CpuBudgetExceeded, FFmpegError, FFmpegTimeout
from worker.ladder import Outputs, gop_frames, output_frame_rate, plan_ladder, transcode
from worker.media import (
    Limits,
    MediaRejected,
    ProbeResult,
    find_binaries,
    for_recording,
    human_duration,
    probe,
)

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".vtt": "text/vtt",
    ".json": "application/json",
    ".jpg": "image/jpeg",
}


def process_video(video_id: int) -> str:
    """Probe, validate and transcode one video, then publish its outputs atomically."""
    with current_app.app_context():
        video = processing.begin_attempt(video_id)
        if video is None:
            return "nothing to do"
        scratch = Path(tempfile.mkdtemp(prefix=f"debrief-video-{video.id}-a{video.attempt}-"))
        try:
            outcome = _process(video, scratch)
        except (MediaRejected, CpuBudgetExceeded) as refused:
            if isinstance(refused, MediaRejected):
                _reject(video, refused.reason)
            else:
                _reject(video, budget_reason(video, refused))
            return "rejected"
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return outcome


def media_limits() -> Limits:
    return Limits(max_seconds=current_app.config["MAX_VIDEO_SECONDS"])


def _reject(video: Video, reason: str) -> None:
    """Fail a file that can never be processed, withdrawing its quick copy or preview too."""
    processing.fail(video.id, reason)
    withdraw_early_playback(video.prefix)


def withdraw_early_playback(video_prefix: str) -> None:
    """Delete the quick copy and the preview, which only play while a video is pending."""
    store = storage()
    store.delete_keys(
        [k for k in store.list_keys(video_prefix) if _early_playback(k, video_prefix)]
    )


def _early_playback(key: str, video_prefix: str) -> bool:
    rest = key[len(video_prefix) :]
    return rest == "quick.mp4" or rest.startswith("preview/")


def budget_reason(video: Video, exceeded: CpuBudgetExceeded) -> str:
    size = f"{video.width}\N{MULTIPLICATION SIGN}{video.height} " if video.width else ""
    length = human_duration((video.duration_ms or 0) / 1000)
    return (
        f"Converting this recording needed more computer time than a {length} {size}recording "
        f"should ({exceeded.budget.total:.0f} CPU seconds), so it was stopped. The file may be "
        "unusually hard to convert: export it again at a normal size and frame rate, then upload "
        "it."
    )


def binaries():
    """ffmpeg and ffprobe as configured, else found on the machine."""
    return find_binaries(
        current_app.config["FFMPEG"] or None, current_app.config["FFPROBE"] or None
    )


def _process(video: Video, scratch: Path) -> str:
    tools, limits = binaries(), media_limits()
    size_limit = current_app.config["MAX_UPLOAD_BYTES"]
    size = storage().head(video.source_key).size
    if size > size_limit:
        raise MediaRejected(
            f"This file is larger than the limit of {human_size(size_limit)}. "
            "Trim the recording or export it at a lower quality."
        )
    info = probe(storage().worker_url(video.source_key, 3600), tools, limits, size=size)
    limits = for_recording(limits, info, current_app.config["VIDEO_CPU_SECONDS_PER_SECOND"])
    record_probe(video, info)
    if _plan_chunks(video, info):
        return "chunked"
    source = scratch / f"source{Path(video.original_filename).suffix.lower() or '.bin'}"
    storage().download_file(video.source_key, source)
    out = scratch / "out"
    out.mkdir()
    outputs = {}
    if make_poster(source, out / "poster.jpg", info, tools, limits):
        outputs["poster"] = "poster.jpg"
    step_timeout = 300 + info.duration_s  # each reads the whole file once
    if make_storyboard(source, out, info, tools, limits=limits, timeout=step_timeout):
        outputs["thumbnails_vtt"] = "thumbs.vtt"
    if make_peaks(source, out / "peaks.json", info, tools, limits=limits, timeout=step_timeout):
        outputs["peaks"] = "peaks.json"
    ladder = plan_ladder(info)
    result = transcode(
        source,
        out,
        info,
        ladder,
        tools,
        on_progress=processing.ProgressRecorder(video, start=5, end=95),
        timeout=600 + info.duration_s * 6,
        limits=limits,
    )
    outputs.update(hls=result.master, mp4=result.mp4)
    prefix = f"{video.prefix}r{video.attempt}/"
    upload_tree(out, prefix)
    publish_outputs(video, prefix, outputs, result)
    return "ready"


def record_probe(video: Video, info: ProbeResult) -> None:
    """Store what probing found: the preview job does too, so its player knows the length."""
    processing.record_probe(
        video,
        duration_ms=round(info.duration_s * 1000),
        width=info.width or None,
        height=info.height or None,
        has_video=info.has_video,
        has_audio=info.has_audio,
        recorded_on=info.recorded_on,
    )


def _plan_chunks(video: Video, info: ProbeResult) -> bool:
    """Cut a long video into parts for any free worker (webapp/video/parts.py), or decline:
    short ones and voice memos are one pass. Chunks are whole GOPs: they join on keyframes."""
    chunk_s = current_app.config["LADDER_CHUNK_SECONDS"]
    if not (chunk_s and info.has_video and info.duration_s >= 2 * chunk_s):
        return False
    rate, gop = output_frame_rate(info), gop_frames(info)
    chunk_frames = max(1, round(chunk_s * rate / gop)) * gop
    parts.plan(video, math.ceil(info.duration_s * rate), chunk_frames)
    processing.ProgressRecorder(video, start=5, end=95)(0)
    parts.dispatch()
    return True


def publish_outputs(video: Video, prefix: str, outputs: dict, result: Outputs) -> None:
    """Publish an attempt's uploaded outputs in one step, then remove every other attempt's."""
    renditions = [
        {
            "height": r.height,
            "width": r.width_px,
            "pixel_height": r.height_px,
            "maxrate_kbps": r.maxrate_k,
        }
        for r in result.rungs
    ]
    processing.publish(video, prefix=prefix, outputs=outputs, renditions=renditions)
    _remove_other_attempts(video.prefix, keep=prefix)


def withdraw_attempt(video_prefix: str, attempt: int) -> None:
    """Delete what one failed attempt made, and the quick copy or preview."""
    store = storage()
    keys = store.list_keys(video_prefix)
    store.delete_keys([key for key in keys if key.startswith(f"{video_prefix}r{attempt}/")
                       or _early_playback(key, video_prefix)])  # fmt: skip


def upload_tree(root: Path, prefix: str) -> None:
    """Upload every file under root, a few at a time."""
    files = [p for p in root.rglob("*") if p.is_file()]
    store = storage()  # resolved here: the pool's threads have no app context

    def upload(path: Path) -> None:
        suffix = path.suffix.lower()
        content_type = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0]
        key = prefix + path.relative_to(root).as_posix()
        store.upload_file(path, key, content_type or "application/octet-stream")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(upload, files))


def _remove_other_attempts(video_prefix: str, keep: str) -> None:
    """Delete outputs of earlier or abandoned attempts, the quick copy and the preview, once
    published."""
    store = storage()
    stale = []
    for key in store.list_keys(video_prefix):
        rest = key[len(video_prefix) :]
        if (rest.startswith("r") and not key.startswith(keep)) or _early_playback(
            key, video_prefix
        ):
            stale.append(key)
    store.delete_keys(stale)


def reason_for(exc: BaseException | None) -> str:
    """Turn an internal failure into a sentence a teacher can act on."""
    if isinstance(exc, FFmpegTimeout):
        return (
            "Processing took far longer than this recording should need and was stopped. "
            "Select Retry; if it happens again, contact your program admin."
        )
    if isinstance(exc, FFmpegError):
        return (
            "We could not convert this recording; the file may be damaged. "
            "Try exporting it again from your phone or camera app, then upload it."
        )
    if isinstance(exc, (StorageError, OSError)):
        return (
            "Storage was unavailable while processing this recording. "
            "Select Retry in a few minutes."
        )
    return "Processing failed unexpectedly. Select Retry; if it happens again, contact your admin."


def on_process_failure(job, connection, exc_type, exc_value, tb) -> None:
    """Called by rq on every failure: re-queue while retries remain, else record why."""
    video_id = job.args[0]
    with current_app.app_context():
        if job.retries_left:
            processing.requeue_for_retry(video_id)
        else:
            processing.fail(video_id, reason_for(exc_value))
            video = db.session().get(Video, video_id)
            if video is not None:
                withdraw_early_playback(video.prefix)
