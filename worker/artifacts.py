"""Make the review aids: poster frame, storyboard sprites with their WebVTT, audio peaks."""

from __future__ import annotations

import json
import math
import os
import sys
from array import array
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg
import webvtt

from worker.ffrun import FFmpegProcess, compile_command, run_ffmpeg
from worker.media import Binaries, Limits, ProbeResult, local_url, open_input

POSTER_MAX_SIDE = 1280
STORYBOARD_INTERVAL_S, TILE_WIDTH, SHEET_COLUMNS, SHEET_ROWS = 5, 160, 10, 10
PEAKS_TARGET_RATE = 8000  # Hz; plenty for a waveform, and cheap to decode into


@dataclass(frozen=True)
class Storyboard:
    """The sprite sheets and the WebVTT that maps each time range to a tile."""

    vtt: Path
    sprites: list[Path]
    tile_width: int
    tile_height: int
    cues: int


def _fit(width: int, height: int, max_side: int) -> tuple[int, int]:
    """Return even dimensions no larger than max_side on the long side, keeping the shape."""
    scale = min(1.0, max_side / max(width, height))
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def make_poster(
    src: str | os.PathLike[str], dst_jpg: str | os.PathLike[str], probe: ProbeResult,
    binaries: Binaries, limits: Limits | None = None, timeout: float = 120.0,
) -> Path | None:  # fmt: skip
    """Save one representative frame as a JPEG (None for audio-only recordings)."""
    if not probe.has_video:
        return None
    limits = limits or Limits()
    dst = Path(dst_jpg)
    dst.parent.mkdir(parents=True, exist_ok=True)
    width, height = _fit(probe.width, probe.height, POSTER_MAX_SIDE)
    # Skip fades and slates at the start, but stay inside short clips.
    at = probe.duration_s * 0.1 if probe.duration_s >= 10 else min(1.0, probe.duration_s / 2)
    for seek in (at, 0.0):  # a bad index can make the seek land past the end; retry at 0
        dst.unlink(missing_ok=True)
        frame = (open_input(src, limits, ss=f"{seek:.3f}")[str(probe.video_index)]
                 .filter("scale", width, height).filter("setsar", 1))  # fmt: skip
        graph = frame.output(local_url(dst), **{"frames:v": 1, "q:v": 3}, update=1,
                             **limits.output_options(), format="image2")  # fmt: skip
        run_ffmpeg(binaries, graph, timeout=timeout, cpu_budget=limits.cpu_budget)
        if dst.exists() and dst.stat().st_size:
            return dst
    raise RuntimeError("ffmpeg wrote no poster frame")


def tile_size(probe: ProbeResult, tile_w: int = TILE_WIDTH) -> tuple[int, int]:
    """A storyboard tile's width and even height, in the picture's shape."""
    return tile_w, max(2, round(tile_w * probe.height / probe.width / 2) * 2)


def make_storyboard(
    src: str | os.PathLike[str], out_dir: str | os.PathLike[str], probe: ProbeResult,
    binaries: Binaries, interval_s: float = STORYBOARD_INTERVAL_S, tile_w: int = TILE_WIDTH,
    columns: int = SHEET_COLUMNS, rows: int = SHEET_ROWS, url_prefix: str = "thumbs/",
    limits: Limits | None = None, timeout: float | None = None,
) -> Storyboard | None:  # fmt: skip
    """Write thumbs/sprite-NNNN.jpg grids and thumbs.vtt for scrubbing previews (one run)."""
    if not probe.has_video:
        return None
    out = Path(out_dir)
    (out / "thumbs").mkdir(parents=True, exist_ok=True)
    tile_w, tile_h = tile_size(probe, tile_w)
    limits = limits or Limits()
    # round=up: each tile is the picture at its cue's start (the last frame at or before it),
    # as the chunks' tiles are (storyboard_frames); "near" would show 2.5 s later.
    picture = open_input(src, limits)[str(probe.video_index)]
    tiles = (picture.filter("fps", f"1/{interval_s:g}", round="up")
             .filter("scale", tile_w, tile_h).filter("setsar", 1)
             .filter("tile", f"{columns}x{rows}"))  # fmt: skip
    graph = tiles.output(local_url(out / "thumbs" / "sprite-%04d.jpg"), **{"q:v": 5},
                         start_number=1, **limits.output_options(), format="image2")  # fmt: skip
    run_ffmpeg(binaries, graph, duration_s=probe.duration_s, timeout=timeout,
               cpu_budget=limits.cpu_budget)  # fmt: skip
    cues = max(1, math.ceil(probe.duration_s / interval_s - 1e-6))
    return _storyboard(out, probe.duration_s, cues, interval_s, tile_w, tile_h, columns, rows,
                       url_prefix)  # fmt: skip


def _storyboard(
    out: Path, duration_s: float, cues: int, interval_s: float, tile_w: int, tile_h: int,
    columns: int, rows: int, url_prefix: str,
) -> Storyboard:  # fmt: skip
    """Write thumbs.vtt: one cue per tile, mapping its time range to its place on a sheet."""
    vtt = webvtt.WebVTT()
    for i in range(cues):
        sheet, cell = divmod(i, columns * rows)
        y, x = divmod(cell, columns)
        start, end = i * interval_s, min((i + 1) * interval_s, duration_s)
        xywh = f"{x * tile_w},{y * tile_h},{tile_w},{tile_h}"
        url = f"{url_prefix}sprite-{sheet + 1:04d}.jpg#xywh={xywh}"
        vtt.captions.append(webvtt.Caption(_timestamp(start), _timestamp(end), url))
    vtt_path = out / "thumbs.vtt"
    vtt.save(str(vtt_path))
    sprites = sorted((out / "thumbs").glob("sprite-*.jpg"))
    return Storyboard(vtt=vtt_path, sprites=sprites, tile_width=tile_w, tile_height=tile_h,
                      cues=cues)  # fmt: skip


def storyboard_frames(picture: Any, rate: Fraction, first_frame: int, probe: ProbeResult) -> Any:
    """A chunk's storyboard tiles, taken from the picture it is encoding anyway.

    `picture` runs at the constant `rate` from lesson frame `first_frame`; a tile is the first
    frame at or after each 5 s mark of the whole lesson, so the chunks' tiles, joined, are the
    lesson's storyboard (and no job decodes the whole source a second time). The test is on
    whole numbers (frame index times the rate's parts), so every chunk agrees where marks fall.
    """
    per_tile = rate * STORYBOARD_INTERVAL_S  # frames from one mark to the next
    num, den = per_tile.numerator, per_tile.denominator
    starts = f"lt(floor((n+{first_frame - 1})*{den}/{num}),floor((n+{first_frame})*{den}/{num}))"
    tile_w, tile_h = tile_size(probe)
    return picture.filter("select", starts).filter("scale", tile_w, tile_h).filter("setsar", 1)


def tiles_in(rate: Fraction, first_frame: int, frames: int) -> int:
    """How many of storyboard_frames' tiles frames [first_frame, first_frame + frames) hold."""
    per_tile = rate * STORYBOARD_INTERVAL_S
    return math.floor((first_frame + frames - 1) / per_tile) - math.floor(
        (first_frame - 1) / per_tile
    )


def storyboard_from_tiles(
    tiles_mjpeg: Path, out_dir: Path, probe: ProbeResult, binaries: Binaries, limits: Limits,
) -> Storyboard | None:  # fmt: skip
    """Lay the chunks' tiles (one MJPEG stream, in lesson order) out on sheets, with the VTT.

    The sheets and cues are those make_storyboard writes for the same lesson. None when there
    are no tiles: chunks encoded before chunks made tiles (their extras made the storyboard).
    """
    count = tiles_mjpeg.read_bytes().count(b"\xff\xd8\xff")  # one start-of-image per tile
    if not count:
        return None
    (out_dir / "thumbs").mkdir(parents=True, exist_ok=True)
    sheets = ffmpeg.input(local_url(tiles_mjpeg), format="mjpeg", protocol_whitelist="file")
    graph = sheets.filter("tile", f"{SHEET_COLUMNS}x{SHEET_ROWS}").output(
        local_url(out_dir / "thumbs" / "sprite-%04d.jpg"), **{"q:v": 5}, start_number=1,
        **limits.output_options(), format="image2",
    )  # fmt: skip
    run_ffmpeg(binaries, graph, timeout=60 + count / 10, cpu_budget=limits.cpu_budget)
    tile_w, tile_h = tile_size(probe)
    return _storyboard(out_dir, probe.duration_s, count, STORYBOARD_INTERVAL_S, tile_w, tile_h,
                       SHEET_COLUMNS, SHEET_ROWS, "thumbs/")  # fmt: skip


def _timestamp(seconds: float) -> str:
    """Format seconds as a WebVTT timestamp, HH:MM:SS.mmm."""
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def make_peaks(
    src: str | os.PathLike[str], dst_json: str | os.PathLike[str], probe: ProbeResult,
    binaries: Binaries, peaks_per_second: int = 10, limits: Limits | None = None,
    stall_timeout: float = 120.0, timeout: float | None = None,
) -> Path | None:  # fmt: skip
    """Write min/max audio peaks in [-1, 1] for the timeline waveform; None without audio."""
    if not probe.has_audio:
        return None
    limits = limits or Limits()
    per_peak = max(1, PEAKS_TARGET_RATE // peaks_per_second)
    rate = per_peak * peaks_per_second
    audio = open_input(src, limits)[str(probe.audio_index)]
    graph = audio.output("pipe:1", ac=1, ar=rate, **limits.output_options(), format="s16le",
                         **{"c:a": "pcm_s16le"})  # fmt: skip
    # Raw samples on stdout, so no progress lines there (and no -y: nothing is overwritten).
    args = compile_command(binaries, graph, "-hide_banner", "-nostdin", "-v", "error")
    peaks = array("h")  # 16-bit min/max pairs: ~430 kB for three hours at 10 per second
    pending = array("h")
    with FFmpegProcess(args, stall_timeout=stall_timeout, timeout=timeout,
                       cpu_budget=limits.cpu_budget) as run:  # fmt: skip
        carry = b""
        while chunk := run.stdout.read(1 << 16):
            run.touch()
            chunk, carry = carry + chunk, b""
            if len(chunk) % 2:
                chunk, carry = chunk[:-1], chunk[-1:]
            samples = array("h", chunk)
            if sys.byteorder == "big":
                samples.byteswap()
            pending.extend(samples)
            usable = len(pending) - len(pending) % per_peak
            _add_peaks(peaks, pending[:usable], per_peak)
            del pending[:usable]
        run.wait()
    _add_peaks(peaks, pending, per_peak)
    data = [round(max(-1.0, v / 32768), 4) for v in peaks]
    document = {"version": 2, "channels": 1, "sample_rate": rate, "samples_per_pixel": per_peak,
                "length": len(peaks) // 2, "data": data}  # fmt: skip
    dst = Path(dst_json)
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(json.dumps(document, separators=(",", ":")))
    return dst


def _add_peaks(peaks: array, samples: array, per_peak: int) -> None:
    """Append (min, max) for each run of per_peak samples; a short final run counts too."""
    for start in range(0, len(samples), per_peak):
        bucket = samples[start : start + per_peak]
        peaks.append(min(bucket))
        peaks.append(max(bucket))
