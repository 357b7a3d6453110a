"""Get a recording's sound as 16 kHz mono float samples, a bounded chunk at a time.

ffmpeg (built by ffmpeg-python, run by worker.ffrun with its stall timeout and CPU budget)
decodes any input we accept to raw float samples on a pipe. We read the pipe in small blocks
into one fixed buffer and hand out a chunk when it is full, cut in the quietest moment near its
end, so a word is rarely split and a three-hour lesson needs no more memory than one chunk.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from worker.ffrun import FFmpegProcess, compile_command
from worker.media import Binaries, Limits, ProbeResult, open_input

SAMPLE_RATE = 16_000  # what Whisper and the Silero VAD expect
HOP = 320  # 20 ms: chunk cuts fall on frame boundaries, so frame features line up across chunks
DEFAULT_CHUNK_S = 240.0  # about 15 MB of float32 samples held at once
READ_BYTES = 1 << 16  # one pipe read: 16 384 samples, about 1 s
CUT_WINDOW_S = 0.2  # a cut goes in the middle of the quietest 200 ms...
MAX_CUT_SEARCH_S = 20.0  # ...found in the last 20 s of the chunk (at most a quarter of it)


class NoAudioTrack(Exception):
    """The recording has no sound to analyse; `.reason` says so in words a teacher reads."""

    def __init__(self, reason: str = "This recording has no audio track, so there is nothing "
                 "to transcribe or measure.") -> None:  # fmt: skip
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AudioChunk:
    """Consecutive samples of the lesson, starting `start` samples from its beginning."""

    start: int
    samples: np.ndarray  # float32, mono, SAMPLE_RATE

    @property
    def start_ms(self) -> int:
        return self.start * 1000 // SAMPLE_RATE

    @property
    def end(self) -> int:
        return self.start + len(self.samples)


def require_audio(probe: ProbeResult) -> None:
    """Raise NoAudioTrack for a recording made without sound (screen capture, muted camera)."""
    if not probe.has_audio:
        raise NoAudioTrack()


def iter_chunks(
    path: str | os.PathLike[str], probe: ProbeResult, binaries: Binaries,
    limits: Limits | None = None, chunk_s: float = DEFAULT_CHUNK_S,
    stall_timeout: float = 120.0,
) -> Iterator[AudioChunk]:  # fmt: skip
    """Yield the recording's first audio stream as 16 kHz mono chunks of at most `chunk_s`.

    Each chunk but the last ends in a quiet moment (see `find_cut`); the chunks cover the
    audio exactly once, back to back.
    """
    require_audio(probe)
    limits = limits or Limits()
    capacity = max(HOP * 4, int(chunk_s * SAMPLE_RATE) // HOP * HOP)
    buffer = np.empty(capacity, dtype=np.float32)
    filled, start = 0, 0
    with _decoder(path, probe, binaries, limits, stall_timeout) as run:
        carry = b""
        while block := run.stdout.read(READ_BYTES):
            run.touch()
            block, carry = carry + block, b""
            if extra := len(block) % 4:  # a float split across two reads
                block, carry = block[:-extra], block[-extra:]
            samples = np.frombuffer(block, dtype="<f4")
            while len(samples):
                take = min(len(samples), capacity - filled)
                buffer[filled : filled + take] = samples[:take]
                filled, samples = filled + take, samples[take:]
                if filled == capacity:
                    cut = find_cut(buffer)
                    # ffmpeg waits on a full pipe while the chunk is transcribed: not a stall.
                    run.stall_timeout = None
                    yield AudioChunk(start, buffer[:cut].copy())
                    run.stall_timeout = stall_timeout
                    run.touch()
                    start += cut
                    buffer[: capacity - cut] = buffer[cut:capacity]
                    filled = capacity - cut
        run.wait()
    if filled:
        yield AudioChunk(start, buffer[:filled].copy())


def _decoder(
    path: str | os.PathLike[str], probe: ProbeResult, binaries: Binaries, limits: Limits,
    stall_timeout: float,
) -> FFmpegProcess:  # fmt: skip
    """Return (unstarted) ffmpeg writing the audio as little-endian float32 to stdout."""
    audio = open_input(path, limits)[str(probe.audio_index)]
    graph = audio.output("pipe:1", ac=1, ar=SAMPLE_RATE, format="f32le",
                         **{"c:a": "pcm_f32le"}, **limits.output_options())  # fmt: skip
    # Raw samples on stdout, so no progress lines there; reads reset the stall clock instead.
    args = compile_command(binaries, graph, "-hide_banner", "-nostdin", "-v", "error")
    return FFmpegProcess(args, stall_timeout=stall_timeout, cpu_budget=limits.cpu_budget)


def find_cut(samples: np.ndarray) -> int:
    """Return where to end a full chunk: mid-way through its quietest 200 ms near the end.

    Searching only the last quarter (at most 20 s) keeps chunks long; cutting in a pause keeps
    words whole for the recogniser. The result is a multiple of HOP, in the last quarter.
    """
    total = len(samples) // HOP
    window = max(1, round(CUT_WINDOW_S * SAMPLE_RATE / HOP))
    search = min(total // 4, round(MAX_CUT_SEARCH_S * SAMPLE_RATE / HOP))
    if search < window:
        return total * HOP
    tail = frame_energy(samples[(total - search) * HOP : total * HOP])
    sums = np.convolve(tail, np.ones(window), mode="valid")
    latest_quietest = len(sums) - 1 - int(np.argmin(sums[::-1]))
    return (total - search + latest_quietest + window // 2) * HOP


def frame_energy(samples: np.ndarray) -> np.ndarray:
    """Return the mean square of each whole HOP-long frame (float64)."""
    usable = len(samples) // HOP * HOP
    frames = samples[:usable].astype(np.float64).reshape(-1, HOP)
    return np.einsum("ij,ij->i", frames, frames) / HOP
