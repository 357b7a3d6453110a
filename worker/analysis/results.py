"""The values the analysis engine hands back: plain frozen dataclasses, times in integer ms.

They mirror the analysis API's shapes (DESIGN §6, issue "Measure the lesson") so a job can
store them and a view can serialise them without translating field names.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

Speaker = Literal["teacher", "student", "unknown"]


@dataclass(frozen=True)
class Interval:
    """A stretch of the lesson, [start_ms, end_ms)."""

    start_ms: int
    end_ms: int

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms

    def overlap_ms(self, start_ms: int, end_ms: int) -> int:
        """Return how many ms of [start_ms, end_ms) fall inside this interval."""
        return max(0, min(self.end_ms, end_ms) - max(self.start_ms, start_ms))


@dataclass(frozen=True)
class Word:
    """One recognised word; `probability` is the recogniser's confidence in it (0 to 1)."""

    start_ms: int
    end_ms: int
    word: str
    probability: float


@dataclass(frozen=True)
class Segment:
    """A stretch of transcript as the recogniser cut it (a caption cue), with its words."""

    start_ms: int
    end_ms: int
    text: str
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class Turn:
    """Uninterrupted speech by one estimated speaker."""

    start_ms: int
    end_ms: int
    speaker: Speaker

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


@dataclass(frozen=True)
class Question:
    """A teacher question, its class, and the silence that followed it.

    `wait_ms` and `next_speaker` are None when nobody spoke again before the recording ended.
    """

    start_ms: int
    end_ms: int
    text: str
    open: bool
    wait_ms: int | None
    next_speaker: Speaker | None
    rule: str = ""  # which rule classed it, so a surprising label can be explained


@dataclass(frozen=True)
class MinuteShare:
    """Talk in one minute of the lesson, for the talk-share chart."""

    start_ms: int
    end_ms: int
    teacher_s: float
    student_s: float
    silence_s: float
    student_pct: float | None  # of the minute's talk; None when nobody spoke


@dataclass(frozen=True)
class Metrics:
    """The lesson figures. Percentages are 0-100; None where the figure is undefined."""

    duration_s: float
    speech_s: float
    silence_s: float
    teacher_talk_s: float
    student_talk_s: float
    student_talk_pct: float | None  # student share of teacher + student talk
    teacher_talk_pct: float | None  # 100 - student_talk_pct
    questions: int
    open_questions: int
    mean_wait_s: float | None
    median_wait_s: float | None
    wait_ge_3s_pct: float | None
    student_turns: int
    longest_teacher_monologue_s: float
    talk_per_minute: tuple[MinuteShare, ...] = ()


@dataclass(frozen=True)
class LessonAnalysis:
    """Everything the engine learnt from one recording."""

    version: str
    model: str
    language: str
    duration_ms: int
    transcript: tuple[Segment, ...]
    speech: tuple[Interval, ...]
    turns: tuple[Turn, ...]
    questions: tuple[Question, ...]
    metrics: Metrics
    notes: tuple[str, ...] = field(default=())  # caveats found on the way (e.g. one voice only)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data (lists and dicts of numbers and strings)."""
        return dataclasses.asdict(self)
