"""The engine on a synthetic lesson whose truth is known: real espeak-ng, ffmpeg, faster-whisper."""

from __future__ import annotations

import json
import statistics

import pytest

from tests.analysis.report import FIGURES
from webapp.lessonsynth import Spoken, wer
from worker.analysis import ANALYSER_VERSION, LessonAnalysis, Question
from worker.analysis.transcribe import DEFAULT_MODEL_NAME

MAX_WER = 0.20  # measured 0.12: tiny.en is near perfect on the teacher, weaker on far students
MAX_WER_CHUNKED = 0.25  # 25 s chunks, ten times the worker's cuts: each restarts the recogniser
WAIT_TOLERANCE_MS = 500
SHARE_TOLERANCE_PCT = 10


def found_for(scripted: Spoken, analysis: LessonAnalysis) -> Question:
    """The detected question overlapping the scripted one in time."""
    start, end = scripted.start_s * 1000, scripted.end_s * 1000
    matches = [q for q in analysis.questions if q.start_ms < end and q.end_ms > start]
    assert len(matches) == 1, f"{scripted.line.text!r}: found {matches}"
    return matches[0]


def test_transcript_word_error_rate_is_bounded(lesson, analysed):
    transcript = " ".join(segment.text for segment in analysed.transcript)
    rate = wer(lesson.words, transcript)
    FIGURES["word error rate"] = f"{rate:.3f}"
    assert rate <= MAX_WER, transcript


def test_transcript_is_timed_and_ordered(lesson, analysed):
    starts = [segment.start_ms for segment in analysed.transcript]
    assert starts == sorted(starts)
    for segment in analysed.transcript:
        assert segment.words, segment
        assert 0 <= segment.start_ms <= segment.end_ms <= analysed.duration_ms
        for word in segment.words:
            assert segment.start_ms <= word.start_ms <= word.end_ms <= segment.end_ms
            assert 0 <= word.probability <= 1
    assert abs(analysed.duration_ms - lesson.duration_s * 1000) < 100


def test_every_scripted_question_is_found_with_its_wait_time(lesson, analysed):
    pairs = lesson.questions()
    assert len(analysed.questions) == len(pairs), [q.text for q in analysed.questions]
    errors = [found_for(s, analysed).wait_ms - round((a.start_s - s.end_s) * 1000)
              for s, a in pairs]  # fmt: skip
    FIGURES["wait time error (ms)"] = (f"max {max(map(abs, errors))}, "
                                       f"mean {statistics.fmean(errors):+.0f}")  # fmt: skip
    for scripted, after in pairs:
        question = found_for(scripted, analysed)
        truth_ms = round((after.start_s - scripted.end_s) * 1000)
        assert question.wait_ms is not None
        assert abs(question.wait_ms - truth_ms) <= WAIT_TOLERANCE_MS, (question, truth_ms)
        expected = "teacher" if after.line.speaker == "teacher" else "student"
        assert question.next_speaker == expected, question
        assert question.open == (scripted.line.question == "open"), question


def test_student_share_of_talk_is_near_the_truth(lesson, analysed):
    figures = analysed.metrics
    FIGURES["student talk share (measured / true)"] = (
        f"{figures.student_talk_pct:.1f} % / {lesson.student_pct:.1f} %")  # fmt: skip
    assert abs(figures.student_talk_pct - lesson.student_pct) <= SHARE_TOLERANCE_PCT
    assert figures.student_talk_pct + figures.teacher_talk_pct == pytest.approx(100)
    assert not analysed.notes, "two voices must be told apart"


def test_most_talk_time_is_given_to_the_right_speaker(lesson, analysed):
    right = total = 0
    for turn in analysed.turns:
        for spoken in lesson.spoken:
            start, end = spoken.start_s * 1000, spoken.end_s * 1000
            overlap = min(turn.end_ms, end) - max(turn.start_ms, start)
            if overlap > 0:
                truth = "teacher" if spoken.line.speaker == "teacher" else "student"
                total += overlap
                right += overlap if turn.speaker == truth else 0
    FIGURES["talk time given to the right speaker"] = f"{100 * right / total:.1f} %"
    assert right / total >= 0.9


def test_lesson_figures_match_the_script(lesson, analysed):
    figures = analysed.metrics
    waits = [(after.start_s - scripted.end_s) for scripted, after in lesson.questions()]
    assert figures.questions == len(waits)
    assert figures.open_questions == sum(s.line.question == "open" for s, _ in
                                         lesson.questions())  # fmt: skip
    assert figures.mean_wait_s == pytest.approx(statistics.fmean(waits), abs=0.3)
    assert figures.median_wait_s == pytest.approx(statistics.median(waits), abs=0.5)
    assert figures.wait_ge_3s_pct == pytest.approx(100 * sum(w >= 3 for w in waits) / len(waits),
                                                   abs=0.01)  # fmt: skip
    assert figures.speech_s + figures.silence_s == pytest.approx(figures.duration_s, abs=0.01)
    talk = lesson.talk_s(teacher=True) + lesson.talk_s(teacher=False)
    assert figures.speech_s == pytest.approx(talk, rel=0.15)
    assert figures.student_turns == 6  # amira, amira, ben, ben, amira, ben: each after the teacher


def test_longest_teacher_monologue_is_the_board_explanation(lesson, analysed):
    board = next(i for i, s in enumerate(lesson.spoken) if s.line.text.startswith("Let me show"))
    # The explanation runs on into the next question after only 0.6 s.
    truth = lesson.spoken[board + 1].end_s - lesson.spoken[board].start_s
    assert analysed.metrics.longest_teacher_monologue_s == pytest.approx(truth, abs=1.0)


def test_talk_share_per_minute_adds_up(analysed):
    minutes = analysed.metrics.talk_per_minute
    assert len(minutes) == 2  # 78 s
    assert minutes[0].start_ms == 0 and minutes[-1].end_ms == analysed.duration_ms
    for minute in minutes:
        seconds = (minute.end_ms - minute.start_ms) / 1000
        assert minute.teacher_s + minute.student_s + minute.silence_s <= seconds + 0.01
    figures = analysed.metrics
    assert sum(m.teacher_s for m in minutes) == pytest.approx(figures.teacher_talk_s, abs=0.01)
    assert sum(m.student_s for m in minutes) == pytest.approx(figures.student_talk_s, abs=0.01)


def test_result_names_the_analyser_and_model_and_is_json(analysed):
    assert analysed.version == ANALYSER_VERSION
    assert analysed.model == DEFAULT_MODEL_NAME
    assert analysed.language == "en"
    data = json.loads(json.dumps(analysed.to_dict()))
    assert set(data["metrics"]) >= {
        "speech_s", "silence_s", "teacher_talk_s", "student_talk_s", "student_talk_pct",
        "teacher_talk_pct", "questions", "open_questions", "mean_wait_s", "median_wait_s",
        "wait_ge_3s_pct", "student_turns", "longest_teacher_monologue_s", "talk_per_minute",
    }  # fmt: skip
    assert set(data["questions"][0]) >= {"start_ms", "end_ms", "text", "open", "wait_ms",
                                         "next_speaker"}  # fmt: skip
    assert {t["speaker"] for t in data["turns"]} <= {"teacher", "student", "unknown"}


def test_chunked_analysis_agrees_with_whole(lesson, analysed, analysed_in_chunks):
    """Cutting the audio in 25 s chunks (in pauses) changes nothing that matters."""
    chunked = analysed_in_chunks
    assert chunked.duration_ms == analysed.duration_ms
    transcript = " ".join(segment.text for segment in chunked.transcript)
    rate = wer(lesson.words, transcript)
    FIGURES["word error rate, 25 s chunks"] = f"{rate:.3f}"
    assert rate <= MAX_WER_CHUNKED, transcript
    for scripted, after in lesson.questions():
        question = found_for(scripted, chunked)
        truth_ms = round((after.start_s - scripted.end_s) * 1000)
        assert abs(question.wait_ms - truth_ms) <= WAIT_TOLERANCE_MS, (question, truth_ms)
    share = chunked.metrics.student_talk_pct
    assert abs(share - lesson.student_pct) <= SHARE_TOLERANCE_PCT
    assert abs(share - analysed.metrics.student_talk_pct) <= 3
    assert [s.start_ms for s in chunked.transcript] == sorted(
        s.start_ms for s in chunked.transcript
    )


def test_one_voice_is_all_teacher(lecture, binaries):
    """A lecture has no student talk, and every question is answered by the teacher herself."""
    from worker.analysis import analyse

    result = analyse(lecture.path, binaries=binaries)
    assert result.metrics.student_talk_s == 0
    assert result.metrics.student_talk_pct == 0
    assert result.notes  # the estimate says it found one voice
    assert result.questions
    assert {q.next_speaker for q in result.questions} <= {"teacher", None}
