"""Estimate who is talking, teacher or student, for each stretch of speech. No network, no model.

Method. The recording phone is usually on the teacher's desk or in the teacher's hand, so the
teacher is the voice *nearest the microphone*, and nearness is audible:

- level: a near voice is louder (90th percentile of the 20 ms frame levels, dBFS);
- modulation depth: a near voice falls back to the room's floor between syllables, while a far
  one is blurred by the room's echo (90th minus 10th percentile of frame levels, dB);
- decay steepness, a direct-to-reverberant proxy: after a syllable a dry voice drops by tens of
  dB within 20 ms, a reverberant one decays slowly (minus the 5th percentile of the
  frame-to-frame level change, dB per frame);
- spectral centroid: walls, furniture and distance take the highs off a far voice (Hz);
- spectral flatness: a far voice is closer to the noise floor, so its spectrum is flatter.

Each speech stretch (split into pieces of at most 6 s, so a teacher-then-student exchange
without a pause can still be split) is measured on those five cues; the cues are standardised
across the lesson (median and spread), weighted and summed into a *nearness score*, and the
pieces are split in two clusters (weighted 2-means on the standardised cues, seeded by the
score). The nearer cluster is the teacher. Pieces shorter than 0.3 s are `unknown`: too few
frames to measure.

What it gets wrong (it is an estimate and the page says so):
- one voice only (a lecture, or students inaudible): when the clusters are not clearly apart
  (under 3 dB of level between them, or overlapping scores) everything is the teacher's;
- a student next to the phone sounds like the teacher; a teacher walking to the back of the
  room sounds like a student (a clip-on or hand-held phone avoids both);
- phones with strong automatic gain control shrink the level gap, leaving the room cues;
- several students talking at once, or a noisy room, blur every cue;
- speakers who overlap without a pause of 0.2 s share a piece, labelled by whoever dominates.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from worker.analysis.acoustics import FrameFeatures
from worker.analysis.results import Interval, Speaker, Turn

MIN_TURN_MS = 300  # shorter speech is "unknown": too few frames to judge
MAX_PIECE_MS = 6000  # longer speech is cut in equal pieces, each judged on its own
MIN_LEVEL_GAP_DB = 3.0  # clusters closer than this in level are one voice
MIN_SEPARATION = 3.5  # nor clusters whose scores overlap (gap / pooled spread; one voice cut in
# halves gives about 2.7, the synthetic lesson 7.2)
# Cue weights and signs (+1: more means nearer the microphone).
CUES = ("level_db", "depth_db", "decay_db", "centroid_hz", "flatness")
SIGNS = np.array([1.0, 1.0, 1.0, 1.0, -1.0])
WEIGHTS = np.array([1.0, 0.8, 0.8, 0.5, 0.5])


def estimate_turns(speech: list[Interval], frames: FrameFeatures) -> tuple[list[Turn], list[str]]:
    """Return the speech as teacher / student / unknown turns, and notes on the estimate."""
    pieces = [piece for interval in speech for piece in _pieces(interval)]
    judged = [p for p in pieces if p.duration_ms >= MIN_TURN_MS]
    labels: dict[Interval, Speaker] = {p: "unknown" for p in pieces}
    notes: list[str] = []
    if judged:
        cues = np.array([measure_cues(frames.span(p.start_ms, p.end_ms)) for p in judged])
        weights = np.array([p.duration_ms for p in judged], dtype=float)
        teacher, separated = split_nearest(cues, weights)
        if not separated:
            notes.append("Only one voice was told apart: all talk is counted as the teacher's.")
        for piece, is_teacher in zip(judged, teacher, strict=True):
            labels[piece] = "teacher" if is_teacher else "student"
    return _merge([Turn(p.start_ms, p.end_ms, labels[p]) for p in pieces]), notes


def _pieces(interval: Interval) -> list[Interval]:
    """Cut long speech into equal pieces of at most MAX_PIECE_MS."""
    count = max(1, math.ceil(interval.duration_ms / MAX_PIECE_MS))
    edges = [interval.start_ms + round(i * interval.duration_ms / count) for i in range(count + 1)]
    return [Interval(a, b) for a, b in itertools.pairwise(edges)]


def _merge(turns: list[Turn]) -> list[Turn]:
    """Join back-to-back pieces of one speech stretch that got the same label."""
    merged: list[Turn] = []
    for turn in turns:
        last = merged[-1] if merged else None
        if last and last.end_ms == turn.start_ms and last.speaker == turn.speaker:
            merged[-1] = Turn(last.start_ms, turn.end_ms, turn.speaker)
        else:
            merged.append(turn)
    return merged


def measure_cues(frames: FrameFeatures) -> list[float]:
    """Return the five nearness cues of one piece of speech, in the order of CUES."""
    level = frames.level_db.astype(np.float64)
    p10, p50, p90 = np.percentile(level, [10, 50, 90])
    steps = np.diff(level)
    decay = -float(np.percentile(steps, 5)) if len(steps) else 0.0
    loud = level >= p50
    return [float(p90), float(p90 - p10), decay, float(np.median(frames.centroid_hz[loud])),
            float(np.median(frames.flatness[loud]))]  # fmt: skip


def split_nearest(cues: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, bool]:
    """Split pieces into a near (teacher) and a far (student) cluster.

    Returns a boolean array (True: teacher) and whether two voices were really told apart;
    when they were not, every piece is the teacher's.
    """
    if len(cues) < 2:
        return np.ones(len(cues), dtype=bool), False
    scale = np.median(np.abs(cues - np.median(cues, axis=0)), axis=0) * 1.4826
    scale = np.where(scale > 1e-9, scale, np.std(cues, axis=0) + 1e-9)
    z = (cues - np.median(cues, axis=0)) / scale * SIGNS * WEIGHTS
    score = z.sum(axis=1)
    near = score >= _weighted_median(score, weights)
    for _ in range(50):  # weighted 2-means, seeded by the score
        if near.all() or not near.any():
            break
        centres = [np.average(z[side], axis=0, weights=weights[side]) for side in (near, ~near)]
        closer = ((z - centres[0]) ** 2).sum(axis=1) < ((z - centres[1]) ** 2).sum(axis=1)
        if (closer == near).all():
            break
        near = closer
    everyone = np.ones(len(cues), dtype=bool)
    if near.all() or not near.any():
        return everyone, False
    if _mean(score, weights, near) < _mean(score, weights, ~near):
        near = ~near
    return (near, True) if _separated(cues[:, 0], score, near, weights) else (everyone, False)


def _separated(level: np.ndarray, score: np.ndarray, near: np.ndarray, weights: np.ndarray) -> bool:
    """Are the clusters two voices, not one voice split in halves?"""
    gap_db = _mean(level, weights, near) - _mean(level, weights, ~near)
    gap = _mean(score, weights, near) - _mean(score, weights, ~near)
    spread = math.sqrt((_variance(score, weights, near) + _variance(score, weights, ~near)) / 2)
    return gap_db >= MIN_LEVEL_GAP_DB and gap >= MIN_SEPARATION * max(spread, 1e-9)


def _mean(values: np.ndarray, weights: np.ndarray, where: np.ndarray) -> float:
    return float(np.average(values[where], weights=weights[where]))


def _variance(values: np.ndarray, weights: np.ndarray, where: np.ndarray) -> float:
    mean = _mean(values, weights, where)
    return float(np.average((values[where] - mean) ** 2, weights=weights[where]))


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
