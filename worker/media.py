"""Probe and validate uploaded recordings, and run ffmpeg safely.

Pure functions on local paths: no Flask, database, S3 or queue. Every ffmpeg command opens its
input through `open_input()` and every ffprobe call through `input_args()`, which set the same
options: only the local-file protocol and real container demuxers, so a playlist disguised as a
video can never make ffmpeg open another file.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from typing import Any

import ffmpeg

from webapp.mediatools import Binaries, find_binaries  # noqa: F401 - part of this API
from worker.ffrun import CpuBudget, FFmpegError, FFmpegTimeout, kill_group
from worker.recorded import recording_date

# Demuxers we accept. Playlists (hls, concat, dash), image sequences and devices are left out on
# purpose: they open further files. ffmpeg matches each comma-separated part of a demuxer's
# name, so "mov" admits "mov,mp4,m4a,3gp,3g2,mj2" and "matroska" admits "matroska,webm".
ALLOWED_FORMATS = (
    "mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm", "avi", "mpegts", "mp3",
    "wav", "ogg", "flac", "aac", "asf", "flv", "mpeg",
)  # fmt: skip
PROBE_SIZE = 20_000_000  # bytes read to find streams; bounds work on hostile input
ANALYZE_US = 20_000_000  # microseconds analysed to find streams
HDR_TRANSFERS = frozenset({"smpte2084", "arib-std-b67"})
PROBE_TIMEOUT_S = 60.0
REMOTE_PROTOCOLS = {"http": "http,tcp", "https": "https,tls,tcp"}
REMOTE_TIMEOUT_US = 30_000_000  # a store that stops answering for this long fails the read
REMOTE_RECONNECT_S = 4  # reconnect briefly; a store that is down fails the job, which retries
# A container may state a wrong duration. Outputs may run this much past it before we call the
# file mislabelled: a few seconds and a few percent, more than honest files ever differ by.
LENGTH_SLACK_S, LENGTH_SLACK_RATIO = 5.0, 0.05
OVERRUN_S = 1.0  # ffmpeg writes this far past the allowed length, so an overrun is visible
# CPU budget: per second of 1080p30-equivalent picture, plus start-up costs, never below it.
BUDGET_REFERENCE_RATE = 1920 * 1080 * 30
BUDGET_START_S = 15.0


class MediaRejected(Exception):
    """The upload can never be processed; `.reason` tells the teacher what to do."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    """What we accept, so one huge or hostile upload cannot hog a worker."""

    max_seconds: float = 3 * 3600
    max_side: int = 8192
    max_pixels: int = 8192 * 8192
    max_streams: int = 16
    min_side: int = 16
    # Set once a recording is probed (for_recording): its allowed output length and CPU budget.
    output_seconds: float | None = None
    cpu_budget: CpuBudget | None = None

    def output_options(self) -> dict[str, str]:
        """`-t` for every ffmpeg output: nothing runs on past the allowed length."""
        if self.output_seconds is None:
            return {}
        return {"t": f"{self.output_seconds + OVERRUN_S:.3f}"}


MAX_BUDGET_FPS = 240


def for_recording(limits: Limits, probe: ProbeResult, cpu_per_second: float) -> Limits:
    """Limits for one probed recording: output length from its stated duration, CPU budget
    from its duration and picture rate (pixels per second, at least 1080p30's)."""
    allowed = min(limits.max_seconds, probe.duration_s * (1 + LENGTH_SLACK_RATIO) + LENGTH_SLACK_S)
    # A claimed frame rate is bounded like r_frame_rate, so a file cannot inflate its own budget.
    rate = probe.width * probe.height * min(probe.fps or 30, MAX_BUDGET_FPS)
    scale = max(1.0, rate / BUDGET_REFERENCE_RATE)
    budget = cpu_per_second * scale * (probe.duration_s + BUDGET_START_S)
    return replace(limits, output_seconds=allowed, cpu_budget=CpuBudget(budget))


def check_length(produced_s: float, probe: ProbeResult, limits: Limits) -> None:
    """Reject a recording that ran past its allowed length: its stated duration was false."""
    if limits.output_seconds is None or produced_s <= limits.output_seconds:
        return
    stated = f"its file says it is {human_duration(probe.duration_s)} long"
    if produced_s > limits.max_seconds:
        raise MediaRejected(
            f"This recording runs longer than the limit of {human_duration(limits.max_seconds)}, "
            f"although {stated}. Please trim it and upload again."
        )
    raise MediaRejected(
        f"This recording runs for more than {human_duration(limits.output_seconds)}, although "
        f"{stated}: the file is damaged or mislabelled. Export it again from the camera or phone "
        "app, then upload it."
    )


@dataclass(frozen=True)
class ProbeResult:
    """What we learnt about a recording; dimensions are as displayed (after rotation)."""

    path: str
    size_bytes: int
    duration_s: float
    format_name: str
    has_video: bool
    has_audio: bool
    video_index: int | None = None
    video_codec: str | None = None
    width: int = 0
    height: int = 0
    rotation: int = 0  # clockwise degrees the player must turn the stored picture
    fps: float = 0.0
    frame_rate: Fraction | None = None  # exact average rate, when known
    is_vfr: bool = False
    pix_fmt: str | None = None
    bit_depth: int = 8
    color_transfer: str | None = None
    is_hdr: bool = False
    audio_index: int | None = None
    audio_codec: str | None = None
    audio_channels: int = 0
    audio_sample_rate: int = 0
    can_remux_fast: bool = False
    recorded_on: date | None = None  # the day the file says it was recorded (worker/recorded.py)

    @property
    def short_side(self) -> int:
        """Return the smaller displayed dimension, which names a rendition (720p…)."""
        return min(self.width, self.height)

    @property
    def is_portrait(self) -> bool:
        """Return True when the picture is taller than wide as displayed."""
        return self.height > self.width


def is_remote(path: str | os.PathLike[str]) -> bool:
    """A presigned URL of our own store (webapp.video.storage.worker_url), read in ranges."""
    return isinstance(path, str) and path.startswith(("http://", "https://"))


def _input_options(path: str | os.PathLike[str], limits: Limits | None) -> dict[str, str]:
    """One protocol only (the local file, or our store's URL), real containers only (so
    nothing opens a further file or address), bounded probing and picture size."""
    options = {"format_whitelist": ",".join(ALLOWED_FORMATS), "probesize": str(PROBE_SIZE),
               "analyzeduration": str(ANALYZE_US),
               "max_pixels": str((limits or Limits()).max_pixels)}  # fmt: skip
    if not is_remote(path):
        return {"protocol_whitelist": "file", **options}
    scheme = str(path).split(":", 1)[0]
    return {"protocol_whitelist": REMOTE_PROTOCOLS[scheme], "rw_timeout": str(REMOTE_TIMEOUT_US),
            "reconnect": "1", "reconnect_on_network_error": "1",
            "reconnect_delay_max": str(REMOTE_RECONNECT_S), **options}  # fmt: skip


def local_url(path: str | os.PathLike[str]) -> str:
    """Name a local file so that "concat:x" or "a:b.mp4" is never read as a protocol."""
    return str(path) if is_remote(path) else "file:" + os.path.abspath(path)


def input_args(path: str | os.PathLike[str], limits: Limits | None = None) -> list[str]:
    """Return hardened `-i` arguments as strings, for ffprobe (ffmpeg-python builds no ffprobe
    command lines) and the benches' hand-written ffmpeg runs."""
    options = _input_options(path, limits)
    return [*(arg for key, value in options.items() for arg in (f"-{key}", value)), "-i",
            local_url(path)]  # fmt: skip


def open_input(path: str | os.PathLike[str], limits: Limits | None = None, **options: str) -> Any:
    """Return the hardened input of an ffmpeg-python graph; `options` adds others (ss=...)."""
    return ffmpeg.input(local_url(path), **_input_options(path, limits), **options)


def probe(
    path: str | os.PathLike[str], binaries: Binaries, limits: Limits | None = None,
    size: int | None = None,
) -> ProbeResult:  # fmt: skip
    """Describe a recording, or raise MediaRejected with a reason the teacher can act on.

    `path` is a local file, or our store's URL with the object's `size`.
    """
    limits = limits or Limits()
    size = os.path.getsize(path) if size is None else size
    if size == 0:
        raise MediaRejected("This file is empty (0 bytes). The upload may have failed; try again.")
    data, stderr = _run_ffprobe(path, binaries, limits)
    streams = data.get("streams") or []
    fmt = data.get("format") or {}
    if len(streams) > limits.max_streams:
        raise MediaRejected(
            f"This file has {len(streams)} tracks; we accept at most {limits.max_streams}. "
            "Please export it again as a plain video."
        )
    video = _pick_stream(streams, "video")
    audio = _pick_stream(streams, "audio")
    if video is None and audio is None:
        raise MediaRejected(
            "This file has no video or audio we can read — it may not be a recording, "
            "or it may be damaged."
        )
    duration = _duration(fmt, streams) or _scan_duration(path, binaries, limits, video, audio)
    _check_duration(duration, limits)
    result = ProbeResult(
        path=os.fspath(path), size_bytes=size, duration_s=duration,
        format_name=str(fmt.get("format_name", "")),
        has_video=video is not None, has_audio=audio is not None,
        recorded_on=recording_date(fmt, streams),
        **(_video_fields(video, stderr, limits) if video else {}),
        **(_audio_fields(audio) if audio else {}),
    )  # fmt: skip
    return _with_remux_flag(result)


def _run_ffprobe(path: str | os.PathLike[str], binaries: Binaries, limits: Limits) -> tuple:
    """Run the hardened ffprobe and return (parsed JSON, stderr text)."""
    args = [binaries.ffprobe, "-v", "error", "-hide_banner", *input_args(path, limits),
            "-print_format", "json", "-show_format", "-show_streams"]  # fmt: skip
    try:
        proc = subprocess.run(
            args, capture_output=True, timeout=PROBE_TIMEOUT_S, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as exc:
        raise FFmpegTimeout(f"ffprobe took over {PROBE_TIMEOUT_S:.0f} s") from exc
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise _rejection_for(stderr)
    try:
        return json.loads(proc.stdout or b"{}"), stderr
    except ValueError as exc:
        raise FFmpegError("ffprobe printed invalid JSON", stderr[-2000:]) from exc


def _rejection_for(stderr: str) -> MediaRejected:
    """Translate an ffprobe failure into the reason a teacher sees."""
    if "not on whitelist" in stderr:
        return MediaRejected(
            "This file is not a supported video or audio format (it looks like a playlist or "
            "another kind of file). Please upload the original recording."
        )
    return MediaRejected(
        "This file is not a video or audio recording we can read — it may be damaged or "
        "incompletely uploaded. Please upload the original file again."
    )


def _pick_stream(streams: list[dict[str, Any]], kind: str) -> dict[str, Any] | None:
    """Return the first real stream of a kind; cover art is a picture, not video."""
    for stream in streams:
        if stream.get("codec_type") != kind:
            continue
        disposition = stream.get("disposition") or {}
        if kind == "video" and (disposition.get("attached_pic") or disposition.get("still_image")):
            continue
        return stream
    return None


def _duration(fmt: dict[str, Any], streams: list[dict[str, Any]]) -> float:
    """Return the container duration, else the longest stream's, else 0."""
    container = _float(fmt.get("duration"))
    if container > 0 and math.isfinite(container):
        return container
    values = [_float(s.get("duration")) for s in streams]
    return max((v for v in values if math.isfinite(v)), default=0.0)


def _scan_duration(
    path: str | os.PathLike[str], binaries: Binaries, limits: Limits,
    video: dict[str, Any] | None, audio: dict[str, Any] | None,
) -> float:  # fmt: skip
    """Find the duration by reading packet times: browser (MediaRecorder) WebM has none stored."""
    stream = video or audio
    assert stream is not None
    args = [binaries.ffprobe, "-v", "error", *input_args(path, limits),
            "-select_streams", str(stream["index"]),
            "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0"]  # fmt: skip
    end = 0.0
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          stdin=subprocess.DEVNULL, start_new_session=True) as proc:  # fmt: skip
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                parts = line.decode("ascii", "replace").strip().split(",")
                end = max(end, sum(_float(p) for p in parts[:2]))
                if end > limits.max_seconds + 1:
                    break  # long enough to reject; no need to read the rest
        finally:
            kill_group(proc)
    return end


def _check_duration(duration: float, limits: Limits) -> None:
    """Reject recordings with no length or longer than the limit."""
    if duration <= 0:
        raise MediaRejected(
            "We could not tell how long this recording is — it may be damaged or incomplete."
        )
    if duration > limits.max_seconds:
        raise MediaRejected(
            f"This recording is {human_duration(duration)} long; the limit is "
            f"{human_duration(limits.max_seconds)}. Please trim it and upload again."
        )


def human_duration(seconds: float) -> str:
    """Format seconds the way a teacher reads them: "3 h 12 min", "45 min", "4 s"."""
    total = int(seconds)
    hours, minutes, secs = total // 3600, total % 3600 // 60, total % 60
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs} s" if secs and minutes < 10 else f"{minutes} min"
    return f"{secs} s"


def _video_fields(stream: dict[str, Any], stderr: str, limits: Limits) -> dict[str, Any]:
    """Read the video facts we need, rejecting unreadable or absurd dimensions."""
    width, height = _display_size(stream, stderr)
    _check_size(width, height, limits)
    rotation = _rotation(stream)
    if rotation in (90, 270):
        width, height = height, width
    avg, real = _rate(stream.get("avg_frame_rate")), _rate(stream.get("r_frame_rate"))
    rate = avg or (real if real and real <= 240 else None)
    pix_fmt = stream.get("pix_fmt")
    transfer = stream.get("color_transfer")
    return {
        "video_index": int(stream["index"]), "video_codec": stream.get("codec_name"),
        "width": width, "height": height, "rotation": rotation,
        "fps": float(rate) if rate else 0.0, "frame_rate": rate,
        "is_vfr": bool(avg and real and abs(real - avg) / avg > Fraction(1, 100)),
        "pix_fmt": pix_fmt, "bit_depth": _bit_depth(stream, pix_fmt),
        "color_transfer": transfer, "is_hdr": transfer in HDR_TRANSFERS,
    }  # fmt: skip


def _display_size(stream: dict[str, Any], stderr: str) -> tuple[int, int]:
    """Return stored width/height, stretched by a non-square pixel aspect ratio."""
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    if not (width and height):
        # -max_pixels makes ffprobe drop the size of pictures it refused to allocate.
        match = re.search(r"Picture size (\d+)x(\d+)", stderr)
        return (int(match[1]), int(match[2])) if match else (0, 0)
    sar = _rate(stream.get("sample_aspect_ratio"), sep=":")
    if sar and sar != 1 and Fraction(1, 4) <= sar <= 4:
        width = round(width * sar / 2) * 2
    return width, height


def _check_size(width: int, height: int, limits: Limits) -> None:
    """Reject pictures we cannot read or that would exhaust memory."""
    if not (width and height):
        raise MediaRejected("We could not read the picture size of this video — it may be damaged.")
    if max(width, height) > limits.max_side or width * height > limits.max_pixels:
        raise MediaRejected(
            f"The video is {width}\N{MULTIPLICATION SIGN}{height} pixels, larger than we accept "
            f"({limits.max_side} px per side). Please export it at a smaller size."
        )
    if min(width, height) < limits.min_side:
        raise MediaRejected(
            f"The video is only {width}\N{MULTIPLICATION SIGN}{height} pixels, too small to watch "
            f"(at least {limits.min_side} px per side)."
        )


def _rotation(stream: dict[str, Any]) -> int:
    """Return the clockwise display rotation (0/90/180/270) from side data or the old tag."""
    for side in stream.get("side_data_list") or []:
        if "rotation" in side:
            # The display matrix angle is counter-clockwise; -90 means turn right.
            return round(-_float(side["rotation"]) / 90) * 90 % 360
    tag = (stream.get("tags") or {}).get("rotate")
    return round(_float(tag) / 90) * 90 % 360 if tag else 0


def _bit_depth(stream: dict[str, Any], pix_fmt: str | None) -> int:
    """Return bits per sample, from the stream or the pixel format name (yuv420p10le → 10)."""
    raw = stream.get("bits_per_raw_sample")
    if raw and str(raw).isdigit() and int(raw) > 0:
        return int(raw)
    match = re.search(r"p(\d+)(le|be)?$", pix_fmt or "")
    return int(match[1]) if match else 8


def _audio_fields(stream: dict[str, Any]) -> dict[str, Any]:
    """Read the audio facts we need."""
    return {
        "audio_index": int(stream["index"]), "audio_codec": stream.get("codec_name"),
        "audio_channels": int(stream.get("channels") or 0),
        "audio_sample_rate": int(_float(stream.get("sample_rate"))),
    }  # fmt: skip


def _with_remux_flag(result: ProbeResult) -> ProbeResult:
    """Mark sources a browser can play after a stream copy into a faststart MP4."""
    container = set(result.format_name.split(","))
    ok = (
        result.has_video and result.video_codec == "h264" and result.bit_depth == 8
        and result.pix_fmt in ("yuv420p", "yuvj420p") and bool(container & {"mov", "mp4"})
        and (not result.has_audio or result.audio_codec == "aac")
    )  # fmt: skip
    return ProbeResult(**{**result.__dict__, "can_remux_fast": ok})


def _float(value: Any) -> float:
    """Parse ffprobe's numbers, which may be missing or "N/A"."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _rate(value: Any, sep: str = "/") -> Fraction | None:
    """Parse "30000/1001" (or "16:9") into a Fraction; None for "0/0" and junk."""
    try:
        num, den = (int(p) for p in str(value).split(sep))
        return Fraction(num, den) if num > 0 and den > 0 else None
    except (TypeError, ValueError):
        return None
