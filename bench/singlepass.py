"""(b) One ffmpeg run for the whole ladder against one run per rendition: goal ≤ 0.75."""

import shutil
import tempfile
from pathlib import Path

from bench.media import Timing, alternate, bare_ffmpeg, recording, timed, warm
from bench.pipeline import ROUNDS, folders
from bench.report import Check, Result
from worker.ladder import (
    AUDIO_BITRATE,
    HLS_SEGMENT_S,
    Rung,
    _video_codec_args,
    mp4_rung,
    output_frame_rate,
    plan_ladder,
    transcode_args,
)
from worker.media import Limits, ProbeResult, find_binaries, input_args, probe


def encode_args(src: Path, info: ProbeResult, rung: Rung) -> list[str]:
    """Decode the source and encode one rung with the single pass's filters and settings."""
    chain = f"fps={output_frame_rate(info)},scale={rung.width_px}:{rung.height_px},setsar=1"
    args = [*input_args(src), "-map_metadata", "-1", "-map_chapters", "-1",
            "-map", f"0:{info.video_index}", "-vf", f"{chain},format=yuv420p",
            *_video_codec_args(info, [rung])]  # fmt: skip
    if info.has_audio:
        args += ["-map", f"0:{info.audio_index}",
                 "-c:a", "aac", "-b:a", AUDIO_BITRATE, "-ac", "2", "-ar", "48000"]  # fmt: skip
    return args


def hls_args(rung: Rung) -> list[str]:
    """Write one HLS variant with the same segmenting options the single pass's tee uses."""
    return ["-f", "hls", "-hls_time", str(HLS_SEGMENT_S), "-hls_playlist_type", "vod",
            "-hls_segment_type", "fmp4", "-hls_flags", "independent_segments",
            "-hls_segment_filename", f"hls/{rung.name}/seg_%05d.m4s",
            f"hls/{rung.name}/index.m3u8"]  # fmt: skip


def per_rendition(src: Path, info: ProbeResult, ladder: list[Rung]) -> list[tuple[str, list]]:
    """Return (label, arguments) for each rung as its own HLS run, then the MP4 fallback."""
    runs = [(f"{rung.name}p HLS", [*encode_args(src, info, rung), *hls_args(rung)])
            for rung in ladder]  # fmt: skip
    fallback = mp4_rung(ladder)
    if fallback:
        mp4 = ["-movflags", "+faststart", "-f", "mp4", f"mp4/{fallback.name}.mp4"]
        runs.append((f"{fallback.name}p MP4 fallback", [*encode_args(src, info, fallback), *mp4]))
    return runs


def run(quick: bool) -> Result:
    """Time the single pass and the per-rendition runs on one input, alternating the order."""
    seconds = 20 if quick else 60
    binaries = find_binaries()
    src = recording(binaries, seconds)
    info = probe(src, binaries)
    ladder = plan_ladder(info)
    single_args, _ = transcode_args(src, info, ladder, Limits())
    runs = per_rendition(src, info, ladder)
    warm(src)
    singles: list[Timing] = []
    eaches: list[list[tuple[str, Timing]]] = []
    with tempfile.TemporaryDirectory(prefix="debrief-bench-") as tmp:

        def bare(args: list[str], out: str) -> Timing:
            folder = folders(Path(tmp) / out, ladder)
            timing = timed(lambda: bare_ffmpeg(binaries, args, folder))
            shutil.rmtree(folder)
            return timing

        alternate(
            lambda i: singles.append(bare(single_args, f"single-{i}")),
            lambda i: eaches.append([(label, bare(args, f"each-{i}")) for label, args in runs]),
            ROUNDS,
        )
    return result(seconds, singles, eaches)


def result(seconds: int, singles: list[Timing], eaches: list[list[tuple[str, Timing]]]) -> Result:
    """Build the table: the best round of each way, every run's wall and CPU, the wall ratio."""
    single = min(singles, key=lambda t: t.wall)
    each = min(eaches, key=lambda runs: sum(t.wall for _, t in runs))
    wall, cpu = sum(t.wall for _, t in each), sum(t.cpu for _, t in each)
    figures = [(f"single pass (ladder + MP4 in one run): wall, run {i + 1}", t.wall, "s")
               for i, t in enumerate(singles)]  # fmt: skip
    figures += [(f"sum of per-rendition runs: wall, round {i + 1}", sum(t.wall for _, t in r), "s")
                for i, r in enumerate(eaches)]  # fmt: skip
    figures.append(("best round of per-rendition runs:", wall, "s"))
    for label, t in each:
        figures += [
            (f"  own run {label}: wall", t.wall, "s"),
            (f"  own run {label}: CPU", t.cpu, "s"),
        ]
    figures += [
        ("single pass: CPU", single.cpu, "s"),
        ("sum of runs: CPU", cpu, "s"),
        ("CPU ratio single / sum", single.cpu / cpu, ""),
    ]
    return Result(
        name="singlepass",
        title=f"(b) Single pass vs one ffmpeg per rendition, 1080p30 H.264, {seconds} s, "
        f"best of {ROUNDS} alternating",
        figures=figures,
        checks=[Check("wall ratio single / sum (best of each)", single.wall / wall, "<=", 0.75)],
    )
