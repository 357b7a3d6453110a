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
