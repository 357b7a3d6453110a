"""Annotation fixtures: a ready video row owned by a teacher paired with a coach."""

from dataclasses import dataclass

import pytest

from tests.conftest import bearer


@dataclass
class Setup:
    video_id: int
    cycle_id: int
    teacher: object
    coach: object
    teacher_h: dict
    coach_h: dict
    move_ids: list
    goal_ids: list


@pytest.fixture
def make_ready_video(app):
    """A processed video row (the pipeline has its own tests); 60 s long."""
    from webapp import db
    from webapp.video.models import Status, Video

    def make(owner, cycle_id=None, duration_ms=60_000, status=Status.READY):
        with app.app_context():
            video = Video(owner_id=owner.id, cycle_id=cycle_id, title="Lesson", size_bytes=1,
                          original_filename="l.mp4", content_type="video/mp4",
                          source_key="videos/x/source/l.mp4", status=status,
                          duration_ms=duration_ms, width=640, height=360)  # fmt: skip
            db.session().add(video)
            db.session().commit()
            return video.id

    return make


@pytest.fixture
def setup(client, make_user, pair_users, make_ready_video):
    teacher, coach = make_user("teacher"), make_user("coach")
    pair_users(coach, teacher)
    coach_h, teacher_h = bearer(client, coach.email), bearer(client, teacher.email)
    cycle = client.post("/api/v1/cycles", headers=coach_h, json={
        "teacher_id": teacher.id, "title": "Talk", "goals": ["More student talk", "Wait time"]},
    ).get_json()  # fmt: skip
    [framework] = client.get("/api/v1/frameworks", headers=coach_h).get_json()["frameworks"]
    return Setup(
        video_id=make_ready_video(teacher, cycle["id"]),
        cycle_id=cycle["id"],
        teacher=teacher,
        coach=coach,
        teacher_h=teacher_h,
        coach_h=coach_h,
        move_ids=[m["id"] for m in framework["moves"]],
        goal_ids=[g["id"] for g in cycle["goals"]],
    )
