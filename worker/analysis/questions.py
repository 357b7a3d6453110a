"""Find the teacher's questions in the transcript, class them open or closed, time the wait.

A question is a transcript sentence ending in "?" that was not said by a student (a turn too
short to judge counts as the teacher's: most classroom questions are). Its *wait time* is the
silence from the end of the question's speech to the next speech, whoever says it; the next
speaker is recorded too (a student answering, or the teacher answering herself).

Open or closed is decided by the rules in OPEN_ANYWHERE, SINGLE_ANSWER_STARTS, OPEN_STARTS and
CLOSED_STARTS, tried in that order on the question's words after any leading discourse marker
("so", "okay", "now"…); the first that matches wins and names itself in `Question.rule`. Open
questions invite reasoning, explanation or opinion; closed ones have a yes/no or single right
answer. A question no rule matches is closed: asking for reasoning leaves words we can see.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable

from worker.analysis.results import Interval, Question, Segment, Speaker, Turn, Word

# Phrases that make a question open wherever they stand ("Can you explain why…?").
OPEN_ANYWHERE: tuple[str, ...] = (
    "why", "how come", "explain", "describe", "justify", "convince", "predict", "compare",
    "what do you think", "what did you think", "do you think about", "what do you notice",
    "what did you notice", "what do you wonder", "what if", "what would happen",
    "what might happen", "what could happen", "in what way", "in what ways",
    "what makes you", "how do you know", "how did you know", "tell me more", "tell us more",
    "say more", "your thinking", "your reasoning", "what is the difference",
    "what's the difference", "what do you mean", "how are they different", "how is it different",
    "how are they alike", "how is that different", "what else", "what are some",
)  # fmt: skip
# Starters asking for one fact, even though they begin with "how" or "what".
SINGLE_ANSWER_STARTS: tuple[str, ...] = (
    "how many", "how much", "how old", "how long", "how far", "how often", "how big",
    "how tall", "what is", "what's", "what was", "what time", "what day", "what number",
    "what colour", "what color", "what year", "what page",
)  # fmt: skip
# Starters that invite an account, a process or an opinion.
OPEN_STARTS: tuple[str, ...] = (
    "how", "tell me", "tell us", "talk about", "share", "walk me through", "show me how",
    "what would", "what could", "what might", "what should", "what strategies", "what strategy",
    "what ideas", "what connections", "what patterns", "what changes", "what questions",
    "what did you learn", "what did you do", "what happened when",
)  # fmt: skip
# Yes/no (an auxiliary first) and single-answer (who/when/where/which…) starters.
CLOSED_STARTS: tuple[str, ...] = (
    "is", "isn't", "are", "aren't", "am", "was", "wasn't", "were", "weren't", "do", "don't",
    "does", "doesn't", "did", "didn't", "can", "can't", "could", "couldn't", "will", "won't",
    "would", "wouldn't", "should", "shouldn't", "shall", "may", "might", "must", "has", "hasn't",
    "have", "haven't", "had", "hadn't", "who", "whom", "whose", "when", "where", "which", "what",
    "right", "okay", "true or false",
)  # fmt: skip
# Words a question may open with before its real starter ("So, why…?", "Okay now, is…?").
DISCOURSE_MARKERS: tuple[str, ...] = (
    "so", "okay", "ok", "now", "and", "but", "well", "alright", "all right", "right", "then",
    "um", "uh", "hmm", "oh", "yes", "no", "good", "great", "everyone", "everybody", "class",
    "guys", "friends", "boys and girls", "next",
)  # fmt: skip
# A word can follow the question mark inside one whisper word ("right?"), or quotes can.
_TERMINAL = re.compile(r"[.?!]+[\"')\]]*$")


def classify(text: str) -> tuple[bool, str]:
    """Return (open?, the rule that decided), for a question's text."""
    words = _strip_markers(_normalise(text))
    joined = " ".join(words)
    padded = f" {joined} "
    for phrase in OPEN_ANYWHERE:
        if f" {phrase} " in padded:
            return True, f"open: contains '{phrase}'"
    for rules, is_open, kind in ((SINGLE_ANSWER_STARTS, False, "closed: single answer"),
                                 (OPEN_STARTS, True, "open"),
                                 (CLOSED_STARTS, False, "closed")):  # fmt: skip
        for phrase in rules:
            if joined == phrase or joined.startswith(phrase + " "):
                return is_open, f"{kind}: starts with '{phrase}'"
    return False, "closed: no open-question rule matched"


def _normalise(text: str) -> list[str]:
    """Lower-case words, apostrophes kept, curly quotes straightened, punctuation dropped."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)


def _strip_markers(words: list[str]) -> list[str]:
    """Drop leading discourse markers ("So, okay, now why…" → "why…")."""
    markers = sorted((m.split() for m in DISCOURSE_MARKERS), key=len, reverse=True)
    changed = True
    while changed and words:
        changed = False
        for marker in markers:
            if words[: len(marker)] == marker and len(words) > len(marker):
                words, changed = words[len(marker) :], True
                break
    return words


def sentences(transcript: Iterable[Segment]) -> list[tuple[Interval, str]]:
    """Split the transcript into sentences at . ? ! (and at segment ends), with their times."""
    out: list[tuple[Interval, str]] = []
    for segment in transcript:
        pending: list[Word] = []
        for word in segment.words:
            pending.append(word)
            if _TERMINAL.search(word.word):
                out.append(_sentence(pending))
                pending = []
        if pending:
            out.append(_sentence(pending))
    return out


def _sentence(words: list[Word]) -> tuple[Interval, str]:
    return Interval(words[0].start_ms, words[-1].end_ms), " ".join(w.word for w in words)


def find_questions(
    transcript: Iterable[Segment], turns: list[Turn], speech: list[Interval]
) -> list[Question]:
    """Return the teacher's questions with their class, wait time and next speaker."""
    said = sentences(transcript)
    by_turn, by_speech = Timeline(turns), Timeline(speech)
    found = []
    for index, (span, text) in enumerate(said):
        if not text.rstrip("\"')]").endswith("?") or speaker_at(by_turn, span) == "student":
            continue
        is_open, rule = classify(text)
        next_word = said[index + 1][0].start_ms if index + 1 < len(said) else None
        end_ms, wait_ms, next_start = wait_after(span, next_word, by_speech)
        next_speaker = speaker_from(by_turn, next_start)
        found.append(Question(span.start_ms, end_ms, text, is_open, wait_ms, next_speaker, rule))
    return found


def speaker_from(turns: Timeline | list[Turn], start_ms: int | None) -> Speaker | None:
    """Return who spoke first from a time on (None: nobody spoke again)."""
    if start_ms is None:
        return None
    return speaker_at(turns, Interval(start_ms, start_ms + NEXT_SPEAKER_MS))


def with_next_speakers(questions: Iterable[Question], turns: list[Turn]) -> list[Question]:
    """Return the questions with their next speaker read again from (corrected) turns.

    The next speech starts where the wait ends: `end_ms + wait_ms` (wait_after's answer), so
    no transcript is needed; the questions themselves, their class and waits stay as found.
    """
    by_turn = Timeline(turns)
    return [
        dataclasses.replace(q, next_speaker=speaker_from(by_turn, _next_start(q)))
        for q in questions
    ]


def _next_start(question: Question) -> int | None:
    return None if question.wait_ms is None else question.end_ms + question.wait_ms


WORD_SLACK_MS = 400  # how far a word's end may stray from the speech stretch it belongs to
NEXT_SPEAKER_MS = 500  # the next speaker is whoever talks most in the first half second


class Timeline:
    """Time-ordered, non-overlapping spans (turns or speech), looked up by time in log n, so
    a three-hour lesson's thousands of questions and turns stay quick."""

    def __init__(self, spans: Iterable[Interval | Turn]) -> None:
        self.spans = sorted(spans, key=lambda s: s.start_ms)
        self.starts = [s.start_ms for s in self.spans]

    def around(self, start_ms: int, end_ms: int) -> list:
        """Return the spans overlapping [start_ms, end_ms), plus the neighbour on each side."""
        first = max(0, bisect.bisect_right(self.starts, start_ms) - 2)
        return self.spans[first : bisect.bisect_left(self.starts, end_ms) + 1]

    def first_from(self, ms: int) -> Interval | Turn | None:
        """Return the first span starting at or after a time."""
        index = bisect.bisect_left(self.starts, ms)
        return self.spans[index] if index < len(self.spans) else None


def wait_after(
    said: Interval, next_word_ms: int | None, speech: Timeline | list[Interval]
) -> tuple[int, int | None, int | None]:
    """Return (end of the question's speech, wait ms, start of the next speech).

    Word timestamps are only roughly right at a pause (tiny models can be a second out), so
    the question ends where the last VAD speech stretch it covers ends, and the wait runs
    from there to the next stretch. When the next recognised word falls in that same stretch,
    the speaker ran on without a pause: the wait is the gap between the words (about 0).
    Nobody speaks again: (end, None, None).
    """
    speech = speech if isinstance(speech, Timeline) else Timeline(speech)
    holding = _last_stretch(said, speech)
    if next_word_ms is not None and next_word_ms < holding.end_ms - WORD_SLACK_MS:
        return said.end_ms, max(0, next_word_ms - said.end_ms), max(said.end_ms, next_word_ms)
    later = speech.first_from(holding.end_ms)
    if later is None:
        return holding.end_ms, None, None
    return holding.end_ms, later.start_ms - holding.end_ms, later.start_ms


def _last_stretch(said: Interval, speech: Timeline) -> Interval:
    """Return the last speech stretch lying mostly inside the sentence's time span; else the
    one nearest its last word (within WORD_SLACK_MS); else the words' own span."""
    nearby = speech.around(said.start_ms, said.end_ms + WORD_SLACK_MS)
    inside = [i for i in nearby if 2 * said.overlap_ms(i.start_ms, i.end_ms) >= i.duration_ms > 0]
    if inside:
        return inside[-1]
    ms = said.end_ms
    near = [(max(i.start_ms - ms, ms - i.end_ms, 0), i) for i in nearby]
    distance, best = min(near, key=lambda pair: pair[0], default=(WORD_SLACK_MS + 1, said))
    return best if distance <= WORD_SLACK_MS else said


def speaker_at(turns: Timeline | list[Turn], span: Interval) -> Speaker:
    """Return who spoke most of a span: a labelled speaker before "unknown"; with nobody
    speaking in it, the nearest turn's speaker."""
    turns = turns if isinstance(turns, Timeline) else Timeline(turns)
    nearby = turns.around(span.start_ms, span.end_ms)
    talk: dict[Speaker, int] = {}
    for turn in nearby:
        if overlap := span.overlap_ms(turn.start_ms, turn.end_ms):
            talk[turn.speaker] = talk.get(turn.speaker, 0) + overlap
    known = {k: v for k, v in talk.items() if k != "unknown"}
    if known:
        return max(known, key=known.__getitem__)
    if talk:
        return "unknown"
    nearest = min(nearby, key=lambda t: _distance(t, span), default=None)
    return nearest.speaker if nearest else "unknown"


def _distance(turn: Turn, span: Interval) -> int:
    return min(abs(turn.start_ms - span.end_ms), abs(turn.end_ms - span.start_ms))
