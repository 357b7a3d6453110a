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
