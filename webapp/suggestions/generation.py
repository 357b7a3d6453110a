"""Which moments of a lesson are worth suggesting, and what to tag them with. No database.

From the analysis as stored (its questions and turns), four kinds of moment:

- long_wait: a question followed by LONG_WAIT_S or more of silence (Rowe's wait time; a
  cycle goal measuring "questions with a wait of at least N s" sets N instead): a strength to
  name;
- short_wait: an open question followed by under SHORT_WAIT_S, answered or dropped before
  anyone could think: a moment to talk about;
- student_talk: students talking for STUDENT_TALK_S or more in one stretch;
- monologue: the teacher talking for MONOLOGUE_S or more in one stretch.

A stretch is the engine's (worker/analysis/metrics.py `stretches`): one speaker, no other
labelled speaker and no silence of MONOLOGUE_BREAK_S or more in it. At most MAX_SUGGESTIONS
are made, taken in turn from each kind (kinds a goal of the cycle measures first), the
strongest of each kind first, so a long lesson gives a few of each rather than forty waits.
"""

from dataclasses import dataclass, replace
from itertools import zip_longest

from webapp.coaching.measures import Measure
from webapp.coaching.models import Goal, GoalMetric, Move
from webapp.suggestions.models import SuggestionKind as Kind
from worker.analysis import metrics, stored

LONG_WAIT_S = metrics.LONG_WAIT_S
SHORT_WAIT_S = 1.0
STUDENT_TALK_S = 30.0
MONOLOGUE_S = 300.0
MAX_SUGGESTIONS = 12
QUOTE_CHARS = 36  # of a question, in the suggestion's words

# The goals a kind is evidence for, by their metric, the closest first.
KIND_METRICS = {
    Kind.LONG_WAIT: (GoalMetric.WAIT_GE_PCT, GoalMetric.MEAN_WAIT_S),
    Kind.SHORT_WAIT: (GoalMetric.WAIT_GE_PCT, GoalMetric.MEAN_WAIT_S),
    Kind.STUDENT_TALK: (GoalMetric.STUDENT_TALK_PCT, GoalMetric.TEACHER_TALK_PCT),
    Kind.MONOLOGUE: (GoalMetric.TEACHER_TALK_PCT, GoalMetric.STUDENT_TALK_PCT),
}
# A kind's move in the video's framework: the first move in use whose code is one of these
# (the default framework's), else whose name or group contains one of these words. A
# monologue is tagged with the student-discourse move that would have broken it.
WAIT_MOVES = (("WT",), ("wait", "think time", "thinking time"))
TALK_MOVES = (("TT", "SB"), ("turn-and-talk", "turn and talk", "discussion", "discourse"))
KIND_MOVES = {Kind.LONG_WAIT: WAIT_MOVES, Kind.SHORT_WAIT: WAIT_MOVES,
              Kind.STUDENT_TALK: TALK_MOVES, Kind.MONOLOGUE: TALK_MOVES}  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    """A moment worth suggesting; `strength` ranks it among its kind (larger: a clearer case)."""

    kind: Kind
    start_ms: int
    end_ms: int | None
    text: str
    strength: float

    @property
    def key(self) -> str:
        """What a suggestion is known by when the figures are made again."""
        return f"{self.kind}:{self.start_ms}"


def candidates(questions: list[dict], turns: list[dict], long_wait_s: float) -> list[Candidate]:
    """Every moment of the four kinds in a stored analysis's questions and turns."""
    return [*_waits(questions, long_wait_s), *_stretches(turns)]


def _waits(questions: list[dict], long_wait_s: float):
    """A wait's range runs from the question to the next speech, so the note shows both."""
    for question in questions:
        wait_ms = question["wait_ms"]
        if wait_ms is None:
            continue
        span = (question["start_ms"], question["end_ms"] + wait_ms)
        said, wait_s = quote(question["text"]), wait_ms / 1000
        if wait_s >= long_wait_s:
            yield Candidate(Kind.LONG_WAIT, *span, f"Waited {wait_s:.1f} s after '{said}'", wait_s)
        elif question["open"] and wait_s < SHORT_WAIT_S:
            text = f"{wait_s:.1f} s after an open question: '{said}'"
            yield Candidate(Kind.SHORT_WAIT, *span, text, -wait_s)


def _stretches(turns: list[dict]):
    spoken = stored.turns(turns)
    for kind, speaker, least_s, words in (
        (Kind.STUDENT_TALK, "student", STUDENT_TALK_S, "Students talked for {}"),
        (Kind.MONOLOGUE, "teacher", MONOLOGUE_S, "Teacher talked {} without a pause"),
    ):
        for stretch in metrics.stretches(spoken, speaker):
            if stretch.duration_ms >= least_s * 1000:
                text = words.format(duration(stretch.duration_ms))
                yield Candidate(kind, stretch.start_ms, stretch.end_ms, text, stretch.duration_ms)


def quote(text: str) -> str:
    """The question's first words, cut at a word, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= QUOTE_CHARS:
        return text
    return text[: QUOTE_CHARS + 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def duration(ms: int) -> str:
    """45 s, 6 min, 6 min 12 s."""
    minutes, seconds = divmod(round(ms / 1000), 60)
    if not minutes:
        return f"{seconds} s"
    return f"{minutes} min" + (f" {seconds} s" if seconds else "")


def within(found: list[Candidate], duration_ms: int) -> list[Candidate]:
    """Moments inside the video (a note must be): ranges cut at its end, later ones dropped."""
    return [
        replace(c, end_ms=None if c.end_ms is None else min(c.end_ms, duration_ms))
        for c in found
        if c.start_ms < duration_ms
    ]


def pick(found: list[Candidate], first: set[Kind], taken: set[str]) -> list[Candidate]:
    """The best MAX_SUGGESTIONS, a kind at a time (`first` kinds lead), in time order;
    candidates whose key is `taken` (already decided) are left out."""
    ranked: dict[Kind, list[Candidate]] = {}
    seen = set(taken)
    for candidate in sorted(found, key=lambda c: -c.strength):
        if candidate.key not in seen:
            seen.add(candidate.key)
            ranked.setdefault(candidate.kind, []).append(candidate)
    order = list(Kind)
    kinds = sorted(ranked, key=lambda kind: (kind not in first, order.index(kind)))
    rounds = zip_longest(*(ranked[kind] for kind in kinds))
    picked = [c for one_round in rounds for c in one_round if c is not None]
    return sorted(picked[:MAX_SUGGESTIONS], key=lambda c: (c.start_ms, c.kind))


def long_wait_s(goals: list[Goal]) -> float:
    """The wait that counts as long: a wait-share goal's own threshold, else Rowe's 3 s."""
    for goal in goals:
        if goal.metric == GoalMetric.WAIT_GE_PCT:
            return Measure.of(goal).threshold
    return LONG_WAIT_S


def move_for(kind: Kind, moves: list[Move]) -> Move | None:
    """The kind's move among the framework's moves in use (KIND_MOVES says how)."""
    codes, words = KIND_MOVES[kind]
    in_use = [move for move in moves if not move.archived]
    for code in codes:
        found = next((move for move in in_use if move.code.upper() == code), None)
        if found is not None:
            return found
    named = (m for m in in_use if any(w in f"{m.name} {m.group}".lower() for w in words))
    return next(named, None)


def goal_for(kind: Kind, goals: list[Goal], move: Move | None) -> Goal | None:
    """The goal the moment is evidence for: by its metric (KIND_METRICS, the closest first),
    else the first goal linking the kind's move; None when no goal is about it."""
    for metric in KIND_METRICS[kind]:
        found = next((goal for goal in goals if goal.metric == metric), None)
        if found is not None:
            return found
    if move is None:
        return None
    return next((goal for goal in goals if move.id in goal.move_ids), None)
