"""A ten-minute lesson analysed (its row as the analysis job stores it), in a cycle whose goals
measure student talk and wait time, seen by the teacher and the coach they accepted."""

from dataclasses import dataclass

import pytest

from tests.conftest import bearer

LESSON_MS = 600_000
Q1 = "Why do you think one half is bigger than the other?"
# (start, end, speaker): a greeting and an open question answered after 4.2 s; an open
# question the teacher talks on from after 0.4 s, for more than six minutes; students talking
# for 45 s; a closed question answered at once; a closed question answered after 3.5 s.
TURNS = [(1000, 24000, "teacher"), (28200, 40000, "student"), (45000, 63600, "teacher"),
         (64000, 120000, "teacher"), (121000, 200000, "teacher"), (201000, 300000, "teacher"),
         (301000, 424000, "teacher"), (430000, 450000, "student"), (451000, 475000, "student"),
         (476000, 482000, "teacher"), (482500, 485000, "student"), (490000, 502000, "teacher"),
         (505500, 510000, "student"), (515000, 590000, "teacher")]  # fmt: skip
# (start, end, text, open, wait)
QUESTIONS = [(20000, 24000, Q1, True, 4200),
             (60000, 63600, "What do you think happens next?", True, 400),
             (480000, 482000, "Is that right?", False, 500),
             (500000, 502000, "How many pieces?", False, 3500)]  # fmt: skip


def analysis_columns(turns=TURNS, questions=QUESTIONS) -> dict:
    """The columns of a done analysis of these turns and questions, figures computed."""
    from worker.analysis.stored import refigure

    turn_rows = [{"start_ms": a, "end_ms": b, "speaker": who} for a, b, who in turns]
    speech = [{"start_ms": a, "end_ms": b} for a, b, _ in turns]
    question_rows = [{"start_ms": a, "end_ms": b, "text": text, "open": is_open, "wait_ms": wait,
                      "next_speaker": None, "rule": ""}
                     for a, b, text, is_open, wait in questions]  # fmt: skip
    metrics, question_rows = refigure(LESSON_MS, speech, turn_rows, question_rows)
    said = [{"start_ms": a, "end_ms": b, "text": text} for a, b, text, *_ in questions]
    return {"status": "done", "progress": 100, "model": "test model", "version": "1.0.0",
            "language": "en", "duration_ms": LESSON_MS, "metrics": metrics,
            "questions": question_rows, "turns": turn_rows, "speech": speech,
            "transcript": said}  # fmt: skip


def store_analysis(app, video_id: int, **columns) -> None:
    """Store a done analysis (or change the video's) and refresh its suggestions, as the
    analysis job does when a run finishes."""
    from webapp import db
    from webapp.analysis.models import LessonAnalysis
    from webapp.suggestions import services
    from webapp.video.models import Video

    with app.app_context():
        analysis = db.session().get(LessonAnalysis, video_id)
        if analysis is None:
            analysis = LessonAnalysis(video_id=video_id)
            db.session().add(analysis)
        for name, value in (analysis_columns() | columns).items():
            setattr(analysis, name, value)
        db.session().flush()
        services.refresh(db.session().get(Video, video_id), analysis)
        db.session().commit()


@dataclass
class Lesson:
    video_id: int
    teacher: object
    coach: object
    teacher_h: dict
    coach_h: dict
    goals: dict  # "talk" / "wait" -> id
    moves: dict  # code -> id

    def suggestions(self, client, headers=None) -> list[dict]:
        reply = client.get(f"/api/v1/videos/{self.video_id}/suggestions",
                           headers=headers or self.coach_h)  # fmt: skip
        assert reply.status_code == 200, reply.get_json()
        return reply.get_json()["suggestions"]

    def by_kind(self, client, kind: str) -> list[dict]:
        return [s for s in self.suggestions(client) if s["kind"] == kind]


TALK_GOAL = {"statement": "Students talk for at least 40% of the lesson",
             "metric": "student_talk_pct", "target": 40, "direction": "at_least"}  # fmt: skip
WAIT_GOAL = {"statement": "Wait at least 3 seconds after every open-ended question",
             "metric": "wait_ge_pct", "target": 80, "direction": "at_least"}  # fmt: skip


@pytest.fixture
def make_lesson(app, client, make_user, pair_users, make_ready_video):
    """An analysed lesson in a cycle with `goals` (each a GoalCreate body; the moves named
    by code in `move_codes` are linked to it)."""

    def make(goals=(TALK_GOAL, WAIT_GOAL), *, analysed=True) -> Lesson:
        teacher, coach = make_user("teacher"), make_user("coach")
        pair_users(coach, teacher)
        coach_h, teacher_h = bearer(client, coach.email), bearer(client, teacher.email)
        [framework] = client.get("/api/v1/frameworks", headers=coach_h).get_json()["frameworks"]
        moves = {m["code"]: m["id"] for m in framework["moves"]}
        specs = [{**{k: v for k, v in g.items() if k != "move_codes"},
                  "move_ids": [moves[c] for c in g.get("move_codes", ())]}
                 for g in goals]  # fmt: skip
        body = {"teacher_id": teacher.id, "title": "Talk and wait", "status": "active",
                "goals": specs}  # fmt: skip
        reply = client.post("/api/v1/cycles", headers=coach_h, json=body)
        assert reply.status_code == 201, reply.get_json()
        cycle = reply.get_json()
        video_id = make_ready_video(teacher, cycle["id"], duration_ms=LESSON_MS)
        if analysed:
            store_analysis(app, video_id)
        names = {g["statement"]: g["id"] for g in cycle["goals"]}
        goal_ids = {"talk": names.get(TALK_GOAL["statement"]),
                    "wait": names.get(WAIT_GOAL["statement"]), **names}  # fmt: skip
        return Lesson(video_id, teacher, coach, teacher_h, coach_h, goal_ids, moves)

    return make
