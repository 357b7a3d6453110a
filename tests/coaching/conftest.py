"""A cycle with goals, ready videos in it, and a way to add notes through the real service."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlalchemy import event

from tests.conftest import bearer


@dataclass
class Cycle:
    id: int
    teacher: object
    coach: object
    coach_h: dict
    teacher_h: dict
    goal_ids: list
    moves: dict  # code -> id


@pytest.fixture
def cycle(client, make_user, pair_users):
    """An active cycle; goal 1 links wait time and open-ended questions, goal 2 nothing."""
    teacher, coach = make_user("teacher"), make_user("coach")
    pair_users(coach, teacher)
    coach_h, teacher_h = bearer(client, coach.email), bearer(client, teacher.email)
    [framework] = client.get("/api/v1/frameworks", headers=coach_h).get_json()["frameworks"]
    moves = {m["code"]: m["id"] for m in framework["moves"]}
    body = {
        "teacher_id": teacher.id,
        "title": "Student talk",
        "status": "active",
        "goals": [
            {"statement": "Wait 3 s after questions", "move_ids": [moves["WT"], moves["OEQ"]]},
            "Students talk 40% of the lesson",
        ],
    }
    reply = client.post("/api/v1/cycles", headers=coach_h, json=body)
    assert reply.status_code == 201, reply.get_json()
    data = reply.get_json()
    return Cycle(
        id=data["id"],
        teacher=teacher,
        coach=coach,
        coach_h=coach_h,
        teacher_h=teacher_h,
        goal_ids=[g["id"] for g in data["goals"]],
        moves=moves,
    )


LESSON_DAY = datetime(2026, 11, 1)  # when the first lesson of a test cycle was filmed


@pytest.fixture
def note(app):
    """Add a note with the annotation service; returns its id. `deleted` soft-deletes it."""
    from webapp import db
    from webapp.annotations import services
    from webapp.annotations.schemas import AnnotationCreate
    from webapp.auth.models import User
    from webapp.video.models import Video

    def add(video_id, author, start_ms=1000, deleted=False, **data):
        with app.app_context():
            session = db.session()
            video, user = session.get(Video, video_id), session.get(User, author.id)
            note = AnnotationCreate(**{"body": "A note", "start_ms": start_ms, **data})
            annotation = services.create(video, user, note)
            if deleted:
                services.delete(annotation)
            session.commit()
            return annotation.id

    return add


@contextmanager
def count_queries(app):
    """Collect the SQL statements the app's engine runs inside the block."""
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _pct(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 2) if whole else None


def lesson_analysis(
    video_id: int,
    *,
    student_pct: float | None = 40.0,
    waits_s=(0.8, 3.4, 1.2, 5.0),
    open_questions: int = 3,
    duration_ms: int = 1_800_000,
    status: str = "done",
):
    """A LessonAnalysis row as the engine leaves it (worker/analysis/metrics.py): a lesson of
    `duration_ms` whose questions were followed by these waits (None: no speech after), the
    first `open_questions` of them open, plus one closed question nobody answered."""
    from webapp.analysis.models import LessonAnalysis

    talk_s, student = 900.0, student_pct or 0  # half the lesson is talk
    waits = [w for w in waits_s if w is not None]
    questions = [
        {"start_ms": 60_000 * n, "end_ms": 60_000 * n + 2500, "open": n <= open_questions,
         "text": f"Why do you think step {n} works?" if n <= open_questions else f"Is {n} even?",
         "wait_ms": None if wait is None else round(wait * 1000), "next_speaker": "student"}
        for n, wait in enumerate([*waits_s, None], start=1)
    ]  # fmt: skip
    metrics = {
        "duration_s": duration_ms / 1000, "speech_s": talk_s,
        "silence_s": duration_ms / 1000 - talk_s,
        "teacher_talk_s": talk_s * (100 - student) / 100,
        "student_talk_s": talk_s * student / 100, "student_talk_pct": student_pct,
        "teacher_talk_pct": None if student_pct is None else round(100 - student_pct, 2),
        "questions": len(questions), "open_questions": open_questions,
        "mean_wait_s": round(sum(waits) / len(waits), 3) if waits else None,
        "median_wait_s": sorted(waits)[len(waits) // 2] if waits else None,
        "wait_ge_3s_pct": _pct(sum(w >= 3 for w in waits), len(waits)),
        "student_turns": len(waits), "longest_teacher_monologue_s": 95.0, "talk_per_minute": [],
    }  # fmt: skip
    analysis = LessonAnalysis(video_id=video_id, status=status, questions=[])
    if status == "done":
        analysis.progress, analysis.model, analysis.version = 100, "tiny.en", "1.0.0"
        analysis.duration_ms, analysis.metrics, analysis.questions = duration_ms, metrics, questions
    return analysis


@pytest.fixture
def analysed(app):
    """Store a lesson analysis for a video (see `lesson_analysis` for the arguments)."""
    from webapp import db

    def add(video_id: int, **figures) -> None:
        with app.app_context():
            db.session().add(lesson_analysis(video_id, **figures))
            db.session().commit()

    return add
