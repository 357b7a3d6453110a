"""Lesson analysis in the app: a short spoken clip (espeak-ng, webapp/lessonsynth.py), a real
rq worker on both queues, and a made-up engine result for tests about what is stored."""

import pytest
from rq import SimpleWorker

from tests.conftest import bearer
from webapp import lessonsynth, queue


@pytest.fixture(scope="session")
def spoken_clip(binaries, tmp_path_factory):
    """About 16 s of the synthetic lesson: a greeting, an open question, an answer, a question."""
    try:
        lessonsynth.require_espeak()
    except RuntimeError as missing:
        pytest.fail(str(missing), pytrace=False)
    return lessonsynth.make_lesson(
        binaries, tmp_path_factory.mktemp("spoken"), lessonsynth.LESSON[:4]
    )


def run_worker(app):
    """Run every queued job, most urgent queue first, as `debrief worker` does."""
    with app.app_context():
        worker = SimpleWorker(
            queue.worker_queues(), connection=queue.connection(), serializer=queue.SERIALIZER
        )
        worker.work(burst=True)


def queued_ids(app, *, priority: queue.Priority) -> list[str]:
    with app.app_context():
        return queue.get_queue(priority).job_ids


def fake_result(text: str = "Why do you think one half is bigger?") -> dict:
    """What `LessonAnalysis.to_dict()` looks like, small enough to read."""
    minute = {"start_ms": 0, "end_ms": 10_000, "teacher_s": 3.0, "student_s": 2.0,
              "silence_s": 5.0, "student_pct": 40.0}  # fmt: skip
    metrics = {"duration_s": 10.0, "speech_s": 5.0, "silence_s": 5.0, "teacher_talk_s": 3.0,
               "student_talk_s": 2.0, "student_talk_pct": 40.0, "teacher_talk_pct": 60.0,
               "questions": 1, "open_questions": 1, "mean_wait_s": 3.5, "median_wait_s": 3.5,
               "wait_ge_3s_pct": 100.0, "student_turns": 1, "longest_teacher_monologue_s": 3.0,
               "talk_per_minute": [minute]}  # fmt: skip
    words = [{"start_ms": 1000, "end_ms": 1300, "word": "Why", "probability": 0.9}]
    return {
        "version": "1.0.0", "model": "test model", "language": "en", "duration_ms": 10_000,
        "transcript": [{"start_ms": 1000, "end_ms": 4000, "text": text, "words": words},
                       {"start_ms": 7500, "end_ms": 9500, "text": "Fewer pieces.", "words": []}],
        "speech": [{"start_ms": 1000, "end_ms": 4000}, {"start_ms": 7500, "end_ms": 9500}],
        "turns": [{"start_ms": 1000, "end_ms": 4000, "speaker": "teacher"},
                  {"start_ms": 7500, "end_ms": 9500, "speaker": "student"}],
        "questions": [{"start_ms": 1000, "end_ms": 4000, "text": text, "open": True,
                       "wait_ms": 3500, "next_speaker": "student", "rule": "why"}],
        "metrics": metrics, "notes": [],
    }  # fmt: skip


@pytest.fixture
def teacher_headers(client, make_user):
    teacher = make_user("teacher")
    return teacher, bearer(client, teacher.email)
