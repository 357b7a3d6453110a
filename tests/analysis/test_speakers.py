"""The teacher/student estimate on made-up cues and frames (the real-audio check is in
test_lesson)."""

from __future__ import annotations

import numpy as np

from worker.analysis.acoustics import FrameFeatures, refine_onsets
from worker.analysis.results import Interval
from worker.analysis.speakers import estimate_turns, split_nearest


def cues(level, depth, decay, centroid, flatness, count, seed):
    rng = np.random.default_rng(seed)
    centre = np.array([level, depth, decay, centroid, flatness])
    spread = np.array([1.5, 1.5, 1.0, 80, 0.05])
    return centre + rng.standard_normal((count, 5)) * spread


NEAR = (-12, 40, 18, 1500, -0.9)  # loud, deep dips, steep decays, bright, peaky spectrum
FAR = (-26, 22, 6, 1100, -0.6)


def test_the_nearer_cluster_is_the_teacher():
    data = np.vstack([cues(*NEAR, 12, 1), cues(*FAR, 8, 2)])
    teacher, separated = split_nearest(data, np.full(20, 2000.0))
    assert separated
    assert teacher.tolist() == [True] * 12 + [False] * 8


def test_one_voice_is_not_split_in_two():
    teacher, separated = split_nearest(cues(*NEAR, 20, 3), np.full(20, 2000.0))
    assert not separated
    assert teacher.all()


def frames_for(pattern: list[tuple[float, float]]) -> FrameFeatures:
    """Frames from (seconds, level dB) runs; speech frames alternate loud and soft."""
    levels = []
    for seconds, level in pattern:
        count = round(seconds * 50)
        if level > -60:
            levels += [level - 25 if i % 5 == 4 else level for i in range(count)]
        else:
            levels += [level] * count
    level = np.array(levels, dtype=np.float32)
    return FrameFeatures(level, np.full(len(level), 1200, np.float32),
                         np.full(len(level), -0.8, np.float32))  # fmt: skip


def test_short_speech_is_unknown_and_long_speech_is_judged_in_pieces():
    frames = frames_for([(1, -70), (8, -10), (1, -70), (0.2, -30), (1, -70), (3, -28), (1, -70),
                         (3, -11), (1, -70)])  # fmt: skip
    speech = [Interval(1000, 9000), Interval(10000, 10200), Interval(11200, 14200),
              Interval(15200, 18200)]  # fmt: skip
    turns, notes = estimate_turns(speech, frames)
    assert [(t.start_ms, t.end_ms, t.speaker) for t in turns] == [
        (1000, 9000, "teacher"),  # two 4 s pieces, joined again
        (10000, 10200, "unknown"),
        (11200, 14200, "student"),
        (15200, 18200, "teacher"),
    ]
    assert notes == []


def test_a_quiet_onset_is_moved_back_to_where_the_sound_rises():
    # 2 s of room noise at -60 dB, then a voice at -35 dB that the VAD noticed 400 ms late.
    frames = frames_for([(2, -61), (2, -35)])
    frames.level_db[:100] = -60 + np.random.default_rng(4).standard_normal(100)
    (refined,) = refine_onsets([Interval(2400, 4000)], frames)
    assert refined == Interval(2000, 4000)


def test_a_dry_onset_stays_put():
    frames = frames_for([(2, -61), (2, -20)])
    frames.level_db[:100] = -60.0
    assert refine_onsets([Interval(2000, 4000)], frames) == [Interval(2000, 4000)]
