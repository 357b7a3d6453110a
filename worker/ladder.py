"""Plan and encode the HLS bitrate ladder plus an MP4 fallback, in one ffmpeg run."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg
from ffmpeg.nodes import OutputStream

from worker.artifacts import storyboard_frames, tiles_in
from worker.ffrun import FFmpegError, run_ffmpeg
from worker.media import (
    Binaries,
    Limits,
    ProbeResult,
    check_length,
    local_url,
    open_input,
)

# (short side, maxrate in kbit/s at ≤30 fps). CRF sets quality; the cap bounds the worst case.
RUNGS = ((1080, 5000), (720, 2800), (480, 1400), (360, 800))
CRF = 23
HFR_FACTOR = 1.5  # above 30 fps each rung may use this much more bitrate
MAX_FPS = 60
AUDIO_BITRATE = "128k"
HLS_SEGMENT_S = 4
MP4_MAX_HEIGHT = 720


@dataclass(frozen=True)
class Rung:
    """One rendition: `height` is the label (the short side), width/height_px the real size."""

    height: int
    width_px: int
    height_px: int
    maxrate_k: int
    crf: int = CRF

    @property
    def name(self) -> str:
        """Return the folder and variant name, e.g. "720"."""
        return str(self.height)

    @property
    def bufsize_k(self) -> int:
        """Return the VBV buffer: two seconds at the cap, which keeps quality steady."""
        return 2 * self.maxrate_k


@dataclass(frozen=True)
class Outputs:
    """What transcode wrote, as paths relative to its out_dir."""

    master: str
    mp4: str
    rungs: list[Rung]
    mp4_rung: Rung | None
    files: list[str]


def _even(value: float) -> int:
    """Round to the nearest even number, as H.264 with 4:2:0 chroma needs."""
    return max(2, 2 * round(value / 2))


def plan_ladder(probe: ProbeResult) -> list[Rung]:
    """Choose renditions by the displayed short side, never upscaling; portrait stays portrait."""
    if not probe.has_video:
        return []
    short, long = probe.short_side, max(probe.width, probe.height)
    picks = [(h, rate) for h, rate in RUNGS if h <= short] or [(short // 2 * 2, RUNGS[-1][1])]
    boost = HFR_FACTOR if output_frame_rate(probe) > 31 else 1.0
    rungs = []
    for label, rate in picks:
        other = _even(label * long / short)
        width, height = (label, other) if probe.is_portrait else (other, label)
        rungs.append(Rung(height=label, width_px=width, height_px=height,
                          maxrate_k=int(rate * boost)))  # fmt: skip
    return rungs


def output_frame_rate(probe: ProbeResult) -> Fraction:
    """Return the constant output rate: the source's, rounded when variable, at most 60."""
    rate = probe.frame_rate or Fraction(30)
    if probe.is_vfr or rate > MAX_FPS:
        rate = Fraction(min(MAX_FPS, max(1, round(rate))))
    return rate


def gop_frames(probe: ProbeResult) -> int:
    """Return the keyframe interval: two seconds, so 4 s segments cut cleanly on every rung."""
    return max(1, round(2 * output_frame_rate(probe)))


def mp4_rung(ladder: list[Rung]) -> Rung | None:
    """Return the rung also written as the MP4 fallback: the highest at or below 720."""
    return next((r for r in ladder if r.height <= MP4_MAX_HEIGHT), None)


def transcode_graph(
    src: str | os.PathLike[str], probe: ProbeResult, ladder: list[Rung], limits: Limits
) -> tuple[OutputStream, str]:
    """Return the ffmpeg graph (run in out_dir) and the MP4 path it writes."""
    source = open_input(src, limits)
    videos = _scaled_videos(source, probe, ladder) if ladder else []
    streams = []
    for i in range(len(ladder) or 1):  # v0 a0 v1 a1…: the order var_stream_map counts in
        if videos:
            streams.append(videos[i])
        if probe.has_audio:
            streams.append(source[str(probe.audio_index)])
    options: dict[str, Any] = {"map_metadata": -1, "map_chapters": -1}
    if ladder:
        options |= _video_codec_options(probe, ladder)
    if probe.has_audio:
        options |= {"c:a": "aac", "b:a": AUDIO_BITRATE, "ac": 2, "ar": 48000}
    fallback = mp4_rung(ladder)
    mp4 = f"mp4/{fallback.name}.mp4" if fallback else "mp4/audio.mp4"
    options |= {**limits.output_options(), "max_muxing_queue_size": 4096,
                "flags": "+global_header", "format": "tee"}  # fmt: skip
    return ffmpeg.output(*streams, _tee_spec(probe, ladder, mp4), **options), mp4


def transcode_args(
    src: str | os.PathLike[str], probe: ProbeResult, ladder: list[Rung], limits: Limits
) -> tuple[list[str], str]:
    """Return the graph's arguments after the runner's own, for benches running ffmpeg bare."""
    graph, mp4 = transcode_graph(src, probe, ladder, limits)
    return graph.get_args(), mp4


def scaled_video(source: Any, probe: ProbeResult, rung: Rung) -> Any:
    """The picture at a constant rate and one rung's size, tone-mapped to SDR if HDR."""
    video = (source[str(probe.video_index)].filter("fps", output_frame_rate(probe))
             .filter("scale", rung.width_px, rung.height_px).filter("setsar", 1))  # fmt: skip
    return _to_sdr(video) if probe.is_hdr else video.filter("format", "yuv420p")


def _scaled_videos(
    source: Any, probe: ProbeResult, ladder: list[Rung], unscaled: int = 0
) -> list[Any]:
    """Decode once, scale to the top rung (tone-mapping HDR there), then split to the rest;
    `unscaled` more branches of the top rung follow the rungs' (for the storyboard)."""
    split = scaled_video(source, probe, ladder[0]).split()
    return [split[0]] + [
        split[i].filter("scale", rung.width_px, rung.height_px).filter("setsar", 1)
        for i, rung in enumerate(ladder) if i
    ] + [split[len(ladder) + i] for i in range(unscaled)]  # fmt: skip


def _to_sdr(video: Any) -> Any:
    """HDR (PQ or HLG) to SDR BT.709: linearise, tone-map in float, then back to 8-bit BT.709."""
    linear = video.filter("zscale", t="linear", npl=100).filter("format", "gbrpf32le")
    mapped = linear.filter("zscale", p="bt709").filter("tonemap", "hable", desat=0)
    return mapped.filter("zscale", t="bt709", m="bt709", r="tv").filter("format", "yuv420p")


def _video_codec_options(probe: ProbeResult, ladder: list[Rung]) -> dict[str, Any]:
    """Return H.264 settings: CRF under a per-rung cap, fixed 2 s GOP, constant frame rate."""
    gop = gop_frames(probe)
    options: dict[str, Any] = {
        "c:v": "libx264", "preset": "veryfast", "profile:v": "high", "g": gop, "keyint_min": gop,
        "sc_threshold": 0, "fps_mode": "cfr",
    }  # fmt: skip
    for i, rung in enumerate(ladder):
        options |= {f"crf:v:{i}": rung.crf, f"maxrate:v:{i}": f"{rung.maxrate_k}k",
                    f"bufsize:v:{i}": f"{rung.bufsize_k}k"}  # fmt: skip
    if probe.is_hdr:  # tag what the tone-mapper produced, not the source's HDR tags
        options |= {"color_primaries": "bt709", "color_trc": "bt709", "colorspace": "bt709"}
    return options


def _video_codec_args(probe: ProbeResult, ladder: list[Rung]) -> list[str]:
    """Return the same settings as arguments: bench (b) hand-builds one run per rung with them."""
    return [arg for key, value in _video_codec_options(probe, ladder).items()
            for arg in (f"-{key}", str(value))]  # fmt: skip


def _tee_escape(value: str) -> str:
    """Escape an option value twice: once for the slave list, once for the option list."""
    return value.replace("\\", "\\\\\\\\").replace(":", "\\\\:")


def _tee_spec(probe: ProbeResult, ladder: list[Rung], mp4: str) -> str:
    """Send the same encoded streams to the HLS muxer and, for one rung, to a faststart MP4."""
    variants = []
    for i, rung in enumerate(ladder or [None]):
        parts = ([f"v:{i}"] if rung else []) + ([f"a:{i}"] if probe.has_audio else [])
        variants.append(",".join([*parts, f"name:{rung.name if rung else 'audio'}"]))
    hls = {
        "f": "hls", "onfail": "abort", "hls_time": str(HLS_SEGMENT_S),
        "hls_playlist_type": "vod", "hls_segment_type": "fmp4",
        "hls_flags": "independent_segments", "hls_segment_filename": "hls/%v/seg_%05d.m4s",
        "master_pl_name": "master.m3u8", "var_stream_map": " ".join(variants),
    }  # fmt: skip
    fallback = mp4_rung(ladder)
    if fallback is None:  # audio only
        select = ["a:0"]
    else:
        index = ladder.index(fallback)
        select = [f"v:{index}"] + ([f"a:{index}"] if probe.has_audio else [])
    mp4_opts = {"f": "mp4", "onfail": "abort", "movflags": "+faststart", "select": ",".join(select)}

    def slave(opts: dict[str, str], path: str) -> str:
        return "[" + ":".join(f"{k}={_tee_escape(v)}" for k, v in opts.items()) + "]" + path

    return slave(hls, "hls/%v/index.m3u8") + "|" + slave(mp4_opts, mp4)


def transcode(
    src: str | os.PathLike[str], out_dir: str | os.PathLike[str], probe: ProbeResult,
    ladder: list[Rung], binaries: Binaries, on_progress: Callable[[float], None] | None = None,
    stall_timeout: float = 120.0, timeout: float | None = None, limits: Limits | None = None,
) -> Outputs:  # fmt: skip
    """Encode every rendition and the MP4 fallback from one decode, into out_dir."""
    limits = limits or Limits()
    graph, mp4 = transcode_graph(src, probe, ladder, limits)
    return run_ladder(graph, mp4, out_dir, probe, ladder, binaries, on_progress=on_progress,
                      stall_timeout=stall_timeout, timeout=timeout, limits=limits)  # fmt: skip


def run_ladder(
    graph: OutputStream, mp4: str, out_dir: str | os.PathLike[str], probe: ProbeResult,
    ladder: list[Rung], binaries: Binaries, on_progress: Callable[[float], None] | None = None,
    stall_timeout: float = 120.0, timeout: float | None = None, limits: Limits | None = None,
) -> Outputs:  # fmt: skip
    """Run a graph writing the ladder (a single pass, or the assembly of chunks) into out_dir,
    and check that it wrote what publishing needs."""
    out = Path(out_dir)
    limits = limits or Limits()
    # Create the folders up front rather than rely on the muxers making them.
    for sub in ["mp4", *[f"hls/{r.name}" for r in ladder]] if ladder else ["mp4", "hls/audio"]:
        (out / sub).mkdir(parents=True, exist_ok=True)
    produced = run_ffmpeg(binaries, graph, duration_s=probe.duration_s, on_progress=on_progress,
                          cwd=out, stall_timeout=stall_timeout, timeout=timeout,
                          cpu_budget=limits.cpu_budget)  # fmt: skip
    check_length(produced, probe, limits)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    # A tee slave that fails to open can be skipped silently, so check both outputs exist.
    for required in ("hls/master.m3u8", mp4):
        if required not in files:
            raise FFmpegError(f"ffmpeg finished without writing {required}")
    return Outputs(master="hls/master.m3u8", mp4=mp4, rungs=list(ladder),
                   mp4_rung=mp4_rung(ladder), files=files)  # fmt: skip


def chunk_graph(
    src: str, probe: ProbeResult, ladder: list[Rung], limits: Limits, first_frame: int,
    frames: int | None,
) -> OutputStream:  # fmt: skip
    """Encode every rung of frames [first_frame, first_frame + frames) (to the end when frames
    is None), picture only, into `<rung>.mp4` files (run in the output folder), and the
    chunk's storyboard tiles into `thumbs.mjpeg` (none when the chunk holds no 5 s mark).

    The chunk starts on a keyframe of every rung (first_frame is a whole number of GOPs), with
    the single pass's settings, so the assembled chunks cut into the same segments.
    """
    rate = output_frame_rate(probe)
    source = open_input(src, limits, ss=f"{float(Fraction(first_frame) / rate):.6f}")
    tiles = tiles_in(rate, first_frame, frames) if frames else None  # None: to the end
    videos = _scaled_videos(source, probe, ladder, unscaled=int(tiles != 0))
    outputs = []
    for rung, video in zip(ladder, videos[: len(ladder)], strict=True):
        options = _video_codec_options(probe, [rung]) | {"map_metadata": -1, "format": "mp4"}
        options |= {"frames:v": frames} if frames else limits.output_options()
        outputs.append(ffmpeg.output(video, f"{rung.name}.mp4", **options))
    if tiles != 0:
        board = storyboard_frames(videos[-1], rate, first_frame, probe)
        options = {"q:v": 5, "fps_mode": "passthrough", "format": "mjpeg"}
        options |= {"frames:v": tiles} if tiles else limits.output_options()
        outputs.append(ffmpeg.output(board, "thumbs.mjpeg", **options))
    return ffmpeg.merge_outputs(*outputs)


def assemble_graph(
    chunk_lists: list[Path], audio: Path | None, probe: ProbeResult, ladder: list[Rung],
    limits: Limits,
) -> tuple[OutputStream, str]:  # fmt: skip
    """Join each rung's chunks and the once-encoded audio, copying, into the single pass's
    outputs: the HLS ladder and the MP4 fallback. Returns the graph and the MP4 path."""
    joined = [ffmpeg.input(local_url(path), f="concat", safe=0, protocol_whitelist="file",
                           format_whitelist="concat,mov") for path in chunk_lists]  # fmt: skip
    sound = None
    if audio is not None:
        sound = ffmpeg.input(local_url(audio), protocol_whitelist="file", format_whitelist="mov")
    streams = []
    for rung_input in joined:  # v0 a0 v1 a1…, as the single pass maps them
        streams.append(rung_input["v:0"])
        if sound is not None:
            streams.append(sound["a:0"])
    fallback = mp4_rung(ladder)
    mp4 = f"mp4/{fallback.name}.mp4"
    options = {"c": "copy", "map_metadata": -1, "map_chapters": -1, **limits.output_options(),
               "max_muxing_queue_size": 4096, "format": "tee"}  # fmt: skip
    return ffmpeg.output(*streams, _tee_spec(probe, ladder, mp4), **options), mp4


def remux_faststart(
    src: str | os.PathLike[str], dst: str | os.PathLike[str], binaries: Binaries,
    probe: ProbeResult | None = None, limits: Limits | None = None, timeout: float = 600.0,
) -> None:  # fmt: skip
    """Copy a browser-ready H.264/AAC recording into a faststart MP4, playable in seconds."""
    limits = limits or Limits()
    source = open_input(src, limits)
    streams = [source[str(probe.video_index)] if probe and probe.has_video else source["v:0"]]
    if probe is None or probe.has_audio:  # unprobed: the first audio track, if there is one
        streams.append(source[str(probe.audio_index)] if probe else source["a:0?"])
    graph = ffmpeg.output(*streams, local_url(dst), c="copy", map_metadata=-1, map_chapters=-1,
                          movflags="+faststart", **limits.output_options(),
                          format="mp4")  # fmt: skip
    produced = run_ffmpeg(binaries, graph, duration_s=probe.duration_s if probe else 0.0,
                          timeout=timeout, cpu_budget=limits.cpu_budget)  # fmt: skip
    if probe:
        check_length(produced, probe, limits)
