"""An analysis as the app stores it (`LessonAnalysis.to_dict()`'s JSON, minus the words) read
back into the engine's values, and its figures computed again from it.

A person may correct a turn's speaker; the figures must then follow by the same definitions
the engine used (metrics.py, questions.py), not by a second copy of them in the app. What
needs the words (finding the questions, classing them) is not redone: the stored questions
keep their text, class and wait, and only who answered is read again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from worker.analysis import metrics
from worker.analysis.questions import with_next_speakers
from worker.analysis.results import Interval, Question, Turn

_QUESTION_FIELDS = tuple(f.name for f in dataclasses.fields(Question))


def intervals(rows: Iterable[dict]) -> list[Interval]:
    return [Interval(row["start_ms"], row["end_ms"]) for row in rows]


def turns(rows: Iterable[dict]) -> list[Turn]:
    """The turns, whatever else a row carries (the app marks corrected ones)."""
    return [Turn(row["start_ms"], row["end_ms"], row["speaker"]) for row in rows]


def questions(rows: Iterable[dict]) -> list[Question]:
    return [Question(**{k: row[k] for k in _QUESTION_FIELDS if k in row}) for row in rows]


def refigure(
    duration_ms: int, speech: list[dict], turn_rows: list[dict], question_rows: list[dict]
) -> tuple[dict, list[dict]]:
    """Return (the lesson figures, the questions with their next speaker) for these turns,
    as JSON-ready data shaped like the stored result's."""
    spoken = turns(turn_rows)
    said = with_next_speakers(questions(question_rows), spoken)
    figures = dataclasses.asdict(metrics.compute(duration_ms, intervals(speech), spoken, said))
    figures["talk_per_minute"] = list(figures["talk_per_minute"])
    return figures, [dataclasses.asdict(q) for q in said]
