"""Probe, ladder, transcode and review-aid tests against real ffmpeg on generated inputs."""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import struct
import subprocess
import threading
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
import webvtt

from tests.media import matrix
from tests.media.conftest import Transcoded
from webapp import mediatools
from worker.artifacts import make_peaks, make_poster, make_storyboard, storyboard_from_tiles
from worker.ffrun import FFmpegError, FFmpegTimeout, run_ffmpeg
from worker.ladder import gop_frames, plan_ladder, remux_faststart, transcode
from worker.media import (
    Binaries,
    Limits,
    MediaRejected,
    ProbeResult,
    find_binaries,
    human_duration,
    probe,
)

VIDEO_SAMPLES = [n for n, _ in matrix.GOOD.items() if n not in ("audio", "cover-art")]


def ffprobe_json(binaries: Binaries, path: Path, *args: str) -> dict:
    """Run a plain ffprobe on our own outputs and parse its JSON."""
    out = subprocess.run([binaries.ffprobe, "-v", "error", "-of", "json", *args, str(path)],
                         check=True, capture_output=True).stdout  # fmt: skip
    return json.loads(out)


def top_atoms(path: Path) -> list[str]:
    """Return the top-level MP4 box types in file order."""
    data, atoms, i = path.read_bytes(), [], 0
    while i + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[i : i + 8])
        atoms.append(kind.decode("latin-1"))
        i += size if size >= 8 else len(data)
    return atoms


# --- find_binaries --------------------------------------------------------------------------


def test_find_binaries_prefers_explicit_paths(binaries: Binaries) -> None:
    found = find_binaries(ffmpeg=binaries.ffmpeg, ffprobe=binaries.ffprobe)
    assert found == binaries


def test_find_binaries_falls_back_to_the_wheel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mediatools.shutil, "which", lambda name: None)
    found = find_binaries()
    assert found.ffmpeg.endswith("binaries/ffmpeg") and os.access(found.ffprobe, os.X_OK)


def test_find_binaries_explains_a_missing_tool() -> None:
    with pytest.raises(FileNotFoundError, match="ffmpeg not found"):
        find_binaries(ffmpeg="/nonexistent/ffmpeg")


# --- probe: good inputs ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(matrix.GOOD))
def test_probe_reports_duration_orientation_and_streams(
    name: str, binaries: Binaries, sample: Callable[[str], matrix.Sample]
) -> None:
    src = sample(name)
    info = probe(src.path, binaries)
    assert info.duration_s == pytest.approx(src.duration, abs=0.2)
    assert (info.has_video, info.has_audio) == (src.has_video, src.has_audio)
    assert (info.width, info.height) == (src.width, src.height)


def test_probe_flags(binaries: Binaries, sample: Callable[[str], matrix.Sample]) -> None:
    def get(name: str) -> ProbeResult:
        return probe(sample(name).path, binaries)

    iphone = get("iphone")
    assert (iphone.rotation, iphone.is_portrait, iphone.video_codec) == (90, True, "hevc")
    hlg = get("hlg")
    assert (hlg.is_hdr, hlg.bit_depth, hlg.color_transfer) == (True, 10, "arib-std-b67")
    assert get("vfr").is_vfr and not get("surround").is_vfr
    assert get("surround").audio_channels == 6
    assert get("uhd60").fps == 60
    remuxable = {n for n in matrix.GOOD if get(n).can_remux_fast}
    assert remuxable == {"vfr", "video-only", "surround", "uhd60"}
    cover = get("cover-art")
    assert (cover.has_video, cover.audio_codec) == (False, "mp3")


# --- probe: bad inputs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (matrix.zero_bytes, ["empty", "0 bytes"]),
        (matrix.text_file, ["not a video or audio recording", "damaged"]),
        (matrix.truncated, ["damaged", "incompletely uploaded"]),
        (matrix.pixel_bomb, ["12000\N{MULTIPLICATION SIGN}12000", "8192 px"]),
    ],
)
def test_probe_rejects_bad_files_with_a_reason(
    make: Callable, words: list[str], binaries: Binaries, tmp_path: Path
) -> None:
    with pytest.raises(MediaRejected) as caught:
        probe(make(binaries, tmp_path), binaries)
    for word in words:
        assert word in caught.value.reason


def test_probe_rejects_recordings_over_the_limit(binaries: Binaries, tmp_path: Path) -> None:
    with pytest.raises(MediaRejected, match="4 s long; the limit is 2 s"):
        probe(matrix.four_seconds(binaries, tmp_path), binaries, Limits(max_seconds=2))


def test_probe_rejects_too_many_tracks(
    binaries: Binaries, sample: Callable[[str], matrix.Sample]
) -> None:
    with pytest.raises(MediaRejected, match="has 2 tracks; we accept at most 1"):
        probe(sample("surround").path, binaries, Limits(max_streams=1))


def test_probe_never_follows_a_disguised_playlist(binaries: Binaries, tmp_path: Path) -> None:
    """Point the playlist at a FIFO: opening it would release a waiting writer."""
    fifo = tmp_path / "segment.ts"
    os.mkfifo(fifo)
    opened = threading.Event()

    def writer() -> None:
        with open(fifo, "wb"):  # blocks until someone opens the FIFO for reading
            opened.set()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        with pytest.raises(MediaRejected) as caught:
            probe(matrix.disguised_playlist(binaries, tmp_path, fifo), binaries)
        assert "not a supported video or audio format" in caught.value.reason
        assert "playlist" in caught.value.reason
        time.sleep(0.2)
        assert not opened.is_set(), "ffprobe opened a file named in the playlist"
    finally:
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))  # release the writer
        thread.join(5)


def test_human_duration() -> None:
    assert human_duration(3 * 3600 + 12 * 60 + 5) == "3 h 12 min"
    assert human_duration(3 * 3600) == "3 h"
    assert human_duration(45 * 60) == "45 min"
    assert human_duration(4.4) == "4 s"


# --- ladder ---------------------------------------------------------------------------------


def fake_probe(width: int, height: int, fps: int = 30, **kw: object) -> ProbeResult:
    return ProbeResult(
        path="x",
        size_bytes=1,
        duration_s=10,
        format_name="mov",
        has_video=True,
        has_audio=True,
        video_index=0,
        audio_index=1,
        width=width,
        height=height,
        fps=fps,
        frame_rate=Fraction(fps),
        **kw,
    )  # type: ignore[arg-type]


def sizes(info: ProbeResult) -> list[tuple[int, int, int]]:
    return [(r.height, r.width_px, r.height_px) for r in plan_ladder(info)]


def test_ladder_keeps_portrait_portrait() -> None:
    assert sizes(fake_probe(1080, 1920)) == [
        (1080, 1080, 1920), (720, 720, 1280), (480, 480, 854), (360, 360, 640)
    ]  # fmt: skip


def test_ladder_never_upscales() -> None:
    assert [h for h, _, _ in sizes(fake_probe(1280, 720))] == [720, 480, 360]
    assert [h for h, _, _ in sizes(fake_probe(3840, 2160))] == [1080, 720, 480, 360]
    assert sizes(fake_probe(1000, 999)) == [(720, 720, 720), (480, 480, 480), (360, 360, 360)]
    assert sizes(fake_probe(321, 241)) == [(240, 320, 240)]
    assert sizes(fake_probe(200, 300)) == [(200, 200, 300)]


def test_ladder_caps_bitrate_and_raises_it_for_high_frame_rates() -> None:
    rungs = plan_ladder(fake_probe(1920, 1080))
    assert [r.maxrate_k for r in rungs] == [5000, 2800, 1400, 800]
    assert all(r.bufsize_k == 2 * r.maxrate_k and r.crf == 23 for r in rungs)
    assert plan_ladder(fake_probe(1920, 1080, fps=60))[0].maxrate_k == 7500


def test_ladder_for_audio_only_is_empty() -> None:
    info = ProbeResult(path="x", size_bytes=1, duration_s=1, format_name="mp3", has_video=False,
                       has_audio=True)  # fmt: skip
    assert plan_ladder(info) == []


# --- transcode ------------------------------------------------------------------------------


def master_variants(out: Path) -> list[tuple[str, str | None]]:
    """Return (playlist URI, RESOLUTION) for each variant in the master playlist."""
    lines = (out / "hls/master.m3u8").read_text().splitlines()
    found = []
    for tag, uri in itertools.pairwise(lines):
        if tag.startswith("#EXT-X-STREAM-INF:"):
            resolution = re.search(r"RESOLUTION=(\d+x\d+)", tag)
            found.append((uri, resolution[1] if resolution else None))
    return found


@pytest.mark.parametrize("name", list(matrix.GOOD))
def test_transcode_writes_hls_ladder_and_faststart_mp4(
    name: str, binaries: Binaries, transcoded: Callable[[str], Transcoded]
) -> None:
    result = transcoded(name)
    out, src = result.out_dir, result.sample
    variants = master_variants(out)
    assert len(variants) == max(1, len(result.ladder))
    for (uri, resolution), rung in zip(variants, result.ladder, strict=False):
        assert uri == f"{rung.name}/index.m3u8"
        assert resolution == f"{rung.width_px}x{rung.height_px}"
    assert (out / result.outputs.mp4).exists() and result.outputs.mp4 in result.outputs.files
    for path in [out / "hls" / uri for uri, _ in variants] + [out / result.outputs.mp4]:
        streams = ffprobe_json(binaries, path, "-show_streams")["streams"]
        kinds = {s["codec_type"]: s for s in streams}
        assert ("audio" in kinds) == src.has_audio and ("video" in kinds) == src.has_video
        if src.has_audio:
            assert (kinds["audio"]["codec_name"], kinds["audio"]["channels"]) == ("aac", 2)
        if src.has_video:
            check_video_stream(kinds["video"], result.probe)
    mp4 = out / result.outputs.mp4
    assert top_atoms(mp4).index("moov") < top_atoms(mp4).index("mdat")
    duration = float(ffprobe_json(binaries, mp4, "-show_format")["format"]["duration"])
    assert duration == pytest.approx(src.duration, abs=0.3)
    assert result.progress == sorted(result.progress) and result.progress[-1] == 100.0


def check_video_stream(stream: dict, info: ProbeResult) -> None:
    """Assert an output is 8-bit 4:2:0 SDR H.264 at constant frame rate, upright."""
    assert stream["codec_name"] == "h264" and stream["pix_fmt"] == "yuv420p"
    assert stream.get("color_transfer") not in ("arib-std-b67", "smpte2084")
    assert stream["r_frame_rate"] == stream["avg_frame_rate"]
    assert (stream["height"] > stream["width"]) == info.is_portrait
    assert not any("rotation" in sd for sd in stream.get("side_data_list", []))


@pytest.mark.parametrize("name", ["iphone", "vfr", "webm-vp8", "uhd60"])
def test_keyframes_every_two_seconds(
    name: str, binaries: Binaries, transcoded: Callable[[str], Transcoded]
) -> None:
    result = transcoded(name)
    frames = ffprobe_json(binaries, result.out_dir / result.outputs.mp4, "-select_streams", "v",
                          "-show_entries", "frame=key_frame")["frames"]  # fmt: skip
    keys = [i for i, f in enumerate(frames) if f["key_frame"]]
    expected = list(range(0, len(frames), gop_frames(result.probe)))
    assert keys == expected


def test_hdr_is_tone_mapped_to_bt709(
    binaries: Binaries, transcoded: Callable[[str], Transcoded]
) -> None:
    result = transcoded("hlg")
    stream = ffprobe_json(binaries, result.out_dir / result.outputs.mp4, "-show_streams",
                          "-select_streams", "v")["streams"][0]  # fmt: skip
    assert (stream["color_transfer"], stream["color_primaries"]) == ("bt709", "bt709")


def test_4k60_keeps_60_fps_and_uses_a_hfr_bitrate(
    transcoded: Callable[[str], Transcoded],
) -> None:
    result = transcoded("uhd60")
    assert [r.height for r in result.ladder] == [1080, 720, 480, 360]
    assert result.outputs.mp4 == "mp4/720.mp4" and gop_frames(result.probe) == 120
    assert "BANDWIDTH=8390800" in (result.out_dir / "hls/master.m3u8").read_text()


def test_remux_faststart_copies_streams(
    binaries: Binaries, sample: Callable[[str], matrix.Sample], tmp_path: Path
) -> None:
    src = sample("surround")
    info = probe(src.path, binaries)
    dst = tmp_path / "quick.mp4"
    remux_faststart(src.path, dst, binaries, info)
    assert top_atoms(dst).index("moov") < top_atoms(dst).index("mdat")
    again = probe(dst, binaries)
    assert (again.video_codec, again.audio_codec, again.audio_channels) == ("h264", "aac", 6)
    assert again.duration_s == pytest.approx(info.duration_s, abs=0.05)


# --- processes are killed -------------------------------------------------------------------


def session_members(session_id: int) -> list[int]:
    """Return the pids still in a process session (ffmpeg's own group)."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if entry.name.isdigit() and int(fields[3]) == session_id:
            pids.append(int(entry.name))
    return pids


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the pid of every process the media code starts."""
    pids: list[int] = []
    real = subprocess.Popen

    class Spy(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            pids.append(self.pid)

    monkeypatch.setattr(subprocess, "Popen", Spy)
    return pids


def test_timeout_kills_the_whole_process_group(
    binaries: Binaries, sample: Callable[[str], matrix.Sample], tmp_path: Path, spawned: list[int]
) -> None:
    src = sample("uhd60")
    info = probe(src.path, binaries)
    started = time.monotonic()
    with pytest.raises(FFmpegTimeout, match=r"longer than 0\.3 s"):
        transcode(src.path, tmp_path, info, plan_ladder(info), binaries, timeout=0.3)
    assert time.monotonic() - started < 3
    assert spawned and all(session_members(pid) == [] for pid in spawned)


def test_stalled_ffmpeg_is_killed(binaries: Binaries, tmp_path: Path, spawned: list[int]) -> None:
    fifo = tmp_path / "never-written"
    os.mkfifo(fifo)  # opening it for reading blocks forever: ffmpeg makes no progress
    with pytest.raises(FFmpegTimeout, match=r"no progress for 0\.5 s"):
        run_ffmpeg(binaries, ["-f", "s16le", "-i", str(fifo), "-f", "null", "-"],
                   stall_timeout=0.5)  # fmt: skip
    assert spawned and session_members(spawned[0]) == []


def test_an_exception_in_the_caller_kills_ffmpeg(
    binaries: Binaries, sample: Callable[[str], matrix.Sample], tmp_path: Path, spawned: list[int]
) -> None:
    src = sample("uhd60")
    info = probe(src.path, binaries)

    def explode(percent: float) -> None:
        raise KeyError("job cancelled")

    with pytest.raises(KeyError):
        transcode(src.path, tmp_path, info, plan_ladder(info), binaries, on_progress=explode)
    assert spawned and session_members(spawned[-1]) == []


def test_ffmpeg_failure_carries_its_log(binaries: Binaries) -> None:
    with pytest.raises(FFmpegError, match="status") as caught:
        run_ffmpeg(binaries, ["-f", "lavfi", "-i", "nosuchsource", "-f", "null", "-"])
    assert "nosuchsource" in caught.value.stderr_tail


# --- poster, storyboard, peaks --------------------------------------------------------------


@pytest.mark.parametrize("name", ["iphone", "uhd60", "webm-vp9", "odd"])
def test_poster_is_upright_and_bounded(
    name: str, binaries: Binaries, sample: Callable[[str], matrix.Sample], tmp_path: Path
) -> None:
    src = sample(name)
    info = probe(src.path, binaries)
    poster = make_poster(src.path, tmp_path / "poster.jpg", info, binaries)
    assert poster is not None
    stream = ffprobe_json(binaries, poster, "-show_streams")["streams"][0]
    assert max(stream["width"], stream["height"]) <= 1280
    assert (stream["height"] > stream["width"]) == info.is_portrait


def test_no_poster_storyboard_for_audio(
    binaries: Binaries, sample: Callable[[str], matrix.Sample], tmp_path: Path
) -> None:
    info = probe(sample("audio").path, binaries)
    assert make_poster(info.path, tmp_path / "p.jpg", info, binaries) is None
    assert make_storyboard(info.path, tmp_path, info, binaries) is None


def test_no_chunk_tiles_make_no_storyboard(
    binaries: Binaries, sample: Callable[[str], matrix.Sample], tmp_path: Path
) -> None:
    """Chunks encoded before chunks wrote tiles leave none: the assembly keeps the extras' own."""
    info = probe(sample("iphone").path, binaries)
    (tmp_path / "thumbs.mjpeg").write_bytes(b"")
    assert (
        storyboard_from_tiles(tmp_path / "thumbs.mjpeg", tmp_path, info, binaries, Limits()) is None
    )
    assert not (tmp_path / "thumbs.vtt").exists()


@pytest.mark.parametrize(("name", "interval"), [("iphone", 5), ("vfr", 1), ("uhd60", 0.25)])
def test_storyboard_sprites_and_vtt(
    name: str, interval: float, binaries: Binaries, sample: Callable[[str], matrix.Sample],
    tmp_path: Path,
) -> None:  # fmt: skip
    src = sample(name)
    info = probe(src.path, binaries)
    board = make_storyboard(src.path, tmp_path, info, binaries, interval_s=interval, columns=2,
                            rows=2)  # fmt: skip
    assert board is not None and board.vtt == tmp_path / "thumbs.vtt"
    cues = webvtt.read(str(board.vtt))
    assert len(cues) == math.ceil(info.duration_s / interval) == board.cues
    assert (board.tile_height > board.tile_width) == info.is_portrait
    assert len(board.sprites) == math.ceil(board.cues / 4)
    first = cues[0]
    first_end = min(interval, info.duration_s)
    assert (first.start, first.end) == ("00:00:00.000", f"00:00:{first_end:06.3f}")
    assert first.text == f"thumbs/sprite-0001.jpg#xywh=0,0,160,{board.tile_height}"
    sheet = ffprobe_json(binaries, board.sprites[0], "-show_streams")["streams"][0]
    assert (sheet["width"], sheet["height"]) == (2 * 160, 2 * board.tile_height)
    for cue in cues:
        assert (tmp_path / cue.text.split("#")[0]).exists()


@pytest.mark.parametrize("name", ["surround", "webm-vp8", "audio"])
def test_peaks_json(
    name: str, binaries: Binaries, sample: Callable[[str], matrix.Sample], tmp_path: Path
) -> None:
    src = sample(name)
    info = probe(src.path, binaries)
    path = make_peaks(src.path, tmp_path / "peaks.json", info, binaries)
    assert path is not None
    doc = json.loads(path.read_text())
    assert {k: doc[k] for k in ("version", "channels", "sample_rate", "samples_per_pixel")} == {
        "version": 2, "channels": 1, "sample_rate": 8000, "samples_per_pixel": 800
    }  # fmt: skip
    assert doc["length"] == pytest.approx(info.duration_s * 10, abs=2)
    assert len(doc["data"]) == 2 * doc["length"]
    assert all(-1 <= v <= 1 for v in doc["data"])
    lows, highs = doc["data"][0::2], doc["data"][1::2]
    assert all(lo <= hi for lo, hi in zip(lows, highs, strict=True))
    assert 0.01 < max(highs) < 0.5  # lavfi sine is 1/8 of full scale; 5.1→mono mixes it down


def test_no_peaks_without_audio(
    binaries: Binaries, sample: Callable[[str], matrix.Sample], tmp_path: Path
) -> None:
    info = probe(sample("video-only").path, binaries)
    assert make_peaks(info.path, tmp_path / "peaks.json", info, binaries) is None
