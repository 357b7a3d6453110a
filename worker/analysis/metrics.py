"""Turn speech, turns and questions into the lesson figures coaching goals are measured by.

Talk time is speech time (pauses inside a turn are not talk); the teacher and student shares
are of their combined talk, so they add up to 100 and `unknown` speech counts in neither.
Definitions a coach may ask about:

- student turns: runs of student speech not interrupted by the teacher (a pause alone does not
  end one: two students answering in a row, or one pausing mid-answer, is one turn);
- longest teacher monologue: the longest stretch of teacher speech with no student speech and
  no silence of MONOLOGUE_BREAK_S or more in it, from its first word to its last;
- wait time figures use the questions that were followed by speech at all.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from worker.analysis.results import Interval, Metrics, MinuteShare, Question, Speaker, Turn

MONOLOGUE_BREAK_S = 3.0  # a silence this long hands the floor over, so it ends a monologue
LONG_WAIT_S = 3.0  # the research threshold for "wait time" (Rowe): at least 3 seconds
MINUTE_MS = 60_000


def compute(
    duration_ms: int, speech: Sequence[Interval], turns: Sequence[Turn],
    questions: Sequence[Question],
) -> Metrics:  # fmt: skip
    """Return the lesson figures."""
    speech_s = sum(i.duration_ms for i in speech) / 1000
    teacher_s = _talk(turns, "teacher") / 1000
    student_s = _talk(turns, "student") / 1000
    student_pct = _pct(student_s, teacher_s + student_s)
    waits = [q.wait_ms / 1000 for q in questions if q.wait_ms is not None]
    return Metrics(
        duration_s=round(duration_ms / 1000, 3),
        speech_s=round(speech_s, 3),
        silence_s=round(max(0.0, duration_ms / 1000 - speech_s), 3),
        teacher_talk_s=round(teacher_s, 3),
        student_talk_s=round(student_s, 3),
        student_talk_pct=student_pct,
        teacher_talk_pct=None if student_pct is None else round(100 - student_pct, 2),
        questions=len(questions),
        open_questions=sum(q.open for q in questions),
        mean_wait_s=round(statistics.fmean(waits), 3) if waits else None,
        median_wait_s=round(statistics.median(waits), 3) if waits else None,
        wait_ge_3s_pct=_pct(sum(w >= LONG_WAIT_S for w in waits), len(waits)),
        student_turns=student_turns(turns),
        longest_teacher_monologue_s=round(longest_monologue_ms(turns) / 1000, 3),
        talk_per_minute=tuple(talk_per_minute(duration_ms, speech, turns)),
    )


def _talk(turns: Sequence[Turn], speaker: str) -> int:
    return sum(t.duration_ms for t in turns if t.speaker == speaker)


def _pct(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 2) if whole > 0 else None


def student_turns(turns: Sequence[Turn]) -> int:
    """Count runs of student speech that the teacher did not interrupt."""
    count, previous = 0, None
    for turn in turns:
        if turn.speaker == "unknown":
            continue
        if turn.speaker == "student" and previous != "student":
            count += 1
        previous = turn.speaker
    return count


def longest_monologue_ms(turns: Sequence[Turn]) -> int:
    """Return the longest teacher stretch without student speech or a long silence."""
    return max((s.duration_ms for s in stretches(turns, "teacher")), default=0)


def stretches(turns: Sequence[Turn], speaker: Speaker) -> list[Interval]:
    """Return each stretch of one speaker's talk, from its first word to its last, that no
    other labelled speaker and no silence of MONOLOGUE_BREAK_S or more interrupts (`unknown`
    speech neither breaks nor extends one)."""
    found: list[Interval] = []
    start = end = None
    for turn in turns:
        if turn.speaker == "unknown":
            continue
        breaks = end is not None and turn.start_ms - end >= MONOLOGUE_BREAK_S * 1000
        if start is not None and (turn.speaker != speaker or breaks):
            found.append(Interval(start, end))
            start = end = None
        if turn.speaker == speaker:
            start = turn.start_ms if start is None else start
            end = turn.end_ms
    if start is not None:
        found.append(Interval(start, end))
    return found


def talk_per_minute(
    duration_ms: int, speech: Sequence[Interval], turns: Sequence[Turn]
) -> list[MinuteShare]:
    """Return teacher, student and silent seconds for each minute (the last may be shorter)."""
    minutes = -(-duration_ms // MINUTE_MS)
    teacher = _per_minute(
        [(t.start_ms, t.end_ms) for t in turns if t.speaker == "teacher"], minutes
    )
    student = _per_minute(
        [(t.start_ms, t.end_ms) for t in turns if t.speaker == "student"], minutes
    )
    spoken = _per_minute([(i.start_ms, i.end_ms) for i in speech], minutes)
    out = []
    for m in range(minutes):
        start, end = m * MINUTE_MS, min(duration_ms, (m + 1) * MINUTE_MS)
        out.append(MinuteShare(start, end, teacher[m] / 1000, student[m] / 1000,
                               max(0, end - start - spoken[m]) / 1000,
                               _pct(student[m], teacher[m] + student[m])))  # fmt: skip
    return out


def _per_minute(spans: list[tuple[int, int]], minutes: int) -> list[int]:
    """Return the ms of the spans falling in each minute, in one pass."""
    totals = [0] * minutes
    for start, end in spans:
        while start < end and start // MINUTE_MS < minutes:
            edge = min(end, (start // MINUTE_MS + 1) * MINUTE_MS)
            totals[start // MINUTE_MS] += edge - start
            start = edge
    return totals
