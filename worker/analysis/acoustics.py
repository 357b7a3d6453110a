"""Frame-level sound measurements (every 20 ms) that the speaker estimate is built from.

Kept per frame for the whole lesson (three floats per 20 ms: about 6.5 MB for three hours) so
turns can be measured after the speech has been found, whichever chunk they fell in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from worker.analysis.audio import HOP, SAMPLE_RATE
from worker.analysis.results import Interval

WINDOW = 512  # 32 ms spectrum window, starting at each 20 ms frame
BAND_HZ = (150.0, 6000.0)  # where speech lives; outside it is hum and hiss
FLOOR_DB = -100.0
FRAME_MS = HOP * 1000 // SAMPLE_RATE  # 20
BLOCK_FRAMES = 500  # 10 s of frames transformed at once: the FFT's temporaries stay ~6 MB
_FREQS = np.fft.rfftfreq(WINDOW, 1 / SAMPLE_RATE)


def _in_band(freqs: np.ndarray) -> np.ndarray:
    return (freqs >= BAND_HZ[0]) & (freqs <= BAND_HZ[1])


_BAND = _in_band(_FREQS)
_HANN = np.hanning(WINDOW).astype(np.float32)


@dataclass
class FrameFeatures:
    """Per-frame level (dBFS), spectral centroid (Hz) and spectral flatness (log10, <= 0)."""

    level_db: np.ndarray
    centroid_hz: np.ndarray
    flatness: np.ndarray

    @classmethod
    def empty(cls) -> FrameFeatures:
        return cls(*(np.zeros(0, dtype=np.float32) for _ in range(3)))

    def __len__(self) -> int:
        return len(self.level_db)

    def extend(self, other: FrameFeatures) -> None:
        """Append the frames of the next chunk."""
        self.level_db = np.concatenate([self.level_db, other.level_db])
        self.centroid_hz = np.concatenate([self.centroid_hz, other.centroid_hz])
        self.flatness = np.concatenate([self.flatness, other.flatness])

    def span(self, start_ms: int, end_ms: int) -> FrameFeatures:
        """Return the frames between two times."""
        first, last = ms_to_frame(start_ms), max(ms_to_frame(start_ms) + 1, ms_to_frame(end_ms))
        return FrameFeatures(self.level_db[first:last], self.centroid_hz[first:last],
                             self.flatness[first:last])  # fmt: skip


def ms_to_frame(ms: int) -> int:
    return ms * SAMPLE_RATE // 1000 // HOP


def measure(samples: np.ndarray) -> FrameFeatures:
    """Measure every whole 20 ms frame of a chunk (its length is a multiple of HOP, bar the
    last chunk, whose ragged end is dropped)."""
    count = len(samples) // HOP
    level, centroid, flatness = (np.empty(count, dtype=np.float32) for _ in range(3))
    for first in range(0, count, BLOCK_FRAMES):
        last = min(count, first + BLOCK_FRAMES)
        block = samples[first * HOP : last * HOP + WINDOW]
        if len(block) < (last - first - 1) * HOP + WINDOW:  # the chunk's end: pad with silence
            block = np.concatenate([block, np.zeros(WINDOW, dtype=np.float32)])
        windows = np.lib.stride_tricks.sliding_window_view(block, WINDOW)[::HOP][: last - first]
        hops = windows[:, :HOP].astype(np.float64)
        level[first:last] = 10 * np.log10(np.einsum("ij,ij->i", hops, hops) / HOP + 1e-10)
        power = np.abs(np.fft.rfft(windows * _HANN, axis=1))[:, _BAND] ** 2 + 1e-12
        total = power.sum(axis=1)
        centroid[first:last] = power @ _FREQS[_BAND] / total
        flatness[first:last] = np.log10(power).mean(axis=1) - np.log10(total / power.shape[1])
    return FrameFeatures(np.maximum(level, FLOOR_DB), centroid, flatness)


ONSET_RISE_DB = 6.0  # a frame this far above the room's floor is sound, not silence
MAX_ONSET_SHIFT_MS = 1000  # never move a start by more than this
ONSET_GAP_FRAMES = 2  # a dip of up to 40 ms (a stop consonant) does not end the walk back
MIN_FLOOR_FRAMES = 10  # the silence before must be this long (200 ms) to measure its floor


def refine_onsets(speech: list[Interval], frames: FrameFeatures) -> list[Interval]:
    """Move each speech start back to where the sound really rises out of the room's floor.

    The VAD is sure of a quiet, distant voice only a few hundred ms in, which would make every
    wait before a student's answer too long. The floor is the 30th percentile of the frame
    levels in the silence before; we walk back from the VAD's start while frames stay
    ONSET_RISE_DB above it. Ends need no such help: they are where the VAD loses the voice
    (an echo's tail included, rightly: it is still sound).
    """
    level = frames.level_db
    out, previous_end = [], 0
    for interval in speech:
        first = min(ms_to_frame(interval.start_ms), len(level))
        silence_from = ms_to_frame(previous_end) + 1
        lowest = max(silence_from, first - MAX_ONSET_SHIFT_MS // FRAME_MS)
        start = first
        if first - silence_from >= MIN_FLOOR_FRAMES:
            floor = float(np.percentile(level[silence_from:first], 30))
            start = _walk_back(level, first, lowest, floor + ONSET_RISE_DB)
        out.append(Interval(min(interval.start_ms, start * FRAME_MS), interval.end_ms))
        previous_end = interval.end_ms
    return out


def _walk_back(level: np.ndarray, first: int, lowest: int, threshold: float) -> int:
    """Return the earliest frame before `first` reached through loud frames (short dips ok)."""
    start, k, dips = first, first - 1, 0
    while k >= lowest and dips <= ONSET_GAP_FRAMES:
        if level[k] >= threshold:
            start, dips = k, 0
        else:
            dips += 1
        k -= 1
    return start
