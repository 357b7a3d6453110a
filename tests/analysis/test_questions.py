"""Open/closed rules, sentence splitting and wait times: pure functions, no audio."""

from __future__ import annotations

import pytest

from worker.analysis.questions import classify, find_questions, sentences, wait_after
from worker.analysis.results import Interval, Segment, Turn, Word

# Classroom questions with the label a coach would give them.
CLASSROOM_QUESTIONS = [
    ("Why do you think one half is bigger than one third?", True),
    ("How did you solve that?", True),
    ("Can you explain your thinking?", True),
    ("What do you think will happen next?", True),
    ("What if we doubled the numerator?", True),
    ("Describe what you see in the picture.?", True),
    ("Tell me how you got that answer?", True),
    ("In what way are these two shapes alike?", True),
    ("How would you explain this to a younger student?", True),
    ("What do you notice about the pattern?", True),
    ("So, why did the character leave home?", True),
    ("How do you know that's true?", True),
    ("What would happen if the plant got no light?", True),
    ("Could you say more about that?", True),
    ("What strategies could we use here?", True),
    ("Okay, how come it floats?", True),
    ("Is seven a prime number?", False),
    ("Are you ready?", False),
    ("Do you agree with Maria?", False),
    ("Does everyone have a pencil?", False),
    ("Did you finish the worksheet?", False),
    ("Can you open your books to page twelve?", False),
    ("Will it sink or float?", False),
    ("Should we move on?", False),
    ("Has anyone seen my marker?", False),
    ("Who wrote this poem?", False),
    ("When did the war end?", False),
    ("Where is the capital of France?", False),
    ("Which fraction is the smallest?", False),
    ("How many sides does a hexagon have?", False),
    ("What is seven times eight?", False),
    ("What's the answer to number three?", False),
    ("Right?", False),
    ("Okay, so is that bigger or smaller?", False),
]


@pytest.mark.parametrize(("text", "is_open"), CLASSROOM_QUESTIONS)
def test_open_or_closed(text, is_open):
    decided, rule = classify(text)
    assert decided == is_open, rule
    assert rule.startswith("open" if is_open else "closed")


def test_rules_are_right_on_the_whole_list():
    right = sum(classify(text)[0] == is_open for text, is_open in CLASSROOM_QUESTIONS)
    assert right == len(CLASSROOM_QUESTIONS) >= 30


def test_curly_apostrophes_and_case_do_not_matter():
    assert classify("WHAT\u2019S the answer?") == classify("what's the answer?")


def words(*items: tuple[int, int, str]) -> tuple[Word, ...]:
    return tuple(Word(start, end, text, 0.9) for start, end, text in items)


def test_sentences_split_at_terminal_punctuation():
    segment = Segment(0, 3000, "Good. Why is it bigger? Think.", words(
        (0, 400, "Good."), (600, 800, "Why"), (800, 900, "is"), (900, 1000, "it"),
        (1000, 1400, "bigger?"), (2500, 3000, "Think."),
    ))  # fmt: skip
    said = sentences([segment])
    assert [text for _, text in said] == ["Good.", "Why is it bigger?", "Think."]
    assert said[1][0] == Interval(600, 1400)


SPEECH = [Interval(0, 2000), Interval(5000, 6000), Interval(6300, 9000)]


def test_wait_runs_from_the_end_of_speech_to_the_next_speech():
    # The last word's timestamp ends 300 ms early, as tiny models do at a pause.
    assert wait_after(Interval(500, 1700), 5100, SPEECH) == (2000, 3000, 5000)


def test_wait_survives_words_timed_a_second_late():
    # Words stretched past the speech and into the answer: the VAD stretch still decides.
    assert wait_after(Interval(300, 5300), 5400, SPEECH) == (2000, 3000, 5000)


def test_no_wait_when_the_speaker_runs_on():
    # "…bigger? Now look here": the next word is inside the same speech stretch.
    assert wait_after(Interval(6300, 7000), 7100, SPEECH) == (7000, 100, 7100)


def test_no_wait_when_nobody_speaks_again():
    assert wait_after(Interval(6300, 8900), None, SPEECH) == (9000, None, None)


def test_student_questions_are_not_teacher_questions():
    transcript = [
        Segment(0, 1900, "Why is it bigger?", words((0, 500, "Why"), (500, 1900, "bigger?"))),
        Segment(5000, 6000, "Is it?", words((5000, 5500, "Is"), (5500, 6000, "it?"))),
        Segment(6300, 9000, "Yes.", words((6300, 9000, "Yes."))),
    ]
    turns = [Turn(0, 2000, "teacher"), Turn(5000, 6000, "student"), Turn(6300, 9000, "teacher")]
    found = find_questions(transcript, turns, SPEECH)
    assert [(q.text, q.open, q.wait_ms, q.next_speaker) for q in found] == [
        ("Why bigger?", True, 3000, "student")
    ]


def test_a_three_hour_lesson_is_quick():
    """Thousands of turns and hundreds of questions: lookups by time, not scans."""
    import time

    from worker.analysis import metrics

    turns, speech, transcript = [], [], []
    for n in range(3600):  # a turn every 3 s for three hours, teacher and student in turn
        start = n * 3000
        speech.append(Interval(start, start + 2000))
        turns.append(Turn(start, start + 2000, "teacher" if n % 2 == 0 else "student"))
        text = "Why is it bigger?" if n % 6 == 0 else "It is bigger."
        transcript.append(Segment(start, start + 2000, text, words((start, start + 2000, text))))
    started = time.monotonic()
    found = find_questions(transcript, turns, speech)
    figures = metrics.compute(3 * 3600 * 1000, speech, turns, found)
    assert time.monotonic() - started < 2
    assert len(found) == 600 and {q.wait_ms for q in found} == {1000}
    assert figures.student_turns == 1800
    assert len(figures.talk_per_minute) == 180
