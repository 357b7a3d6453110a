"""A school's coaching program built through the real services: teachers paired with a coach,
each with a measured cycle, two analysed lessons and a note. Every name, title and text
carries "Secret" so a test can assert none reaches a program page or export."""

from dataclasses import dataclass, field

import pytest

from tests.coaching.conftest import lesson_analysis


@dataclass
class Program:
    admin: object
    coach: object
    teachers: list = field(default_factory=list)
    cycles: list = field(default_factory=list)  # cycle ids, one per teacher
    secrets: list = field(default_factory=list)


@pytest.fixture
def program(app, make_user, pair_users):
    """`program.add(...)` adds a teacher with their cycle; see `add_teacher`."""
    admin = make_user("admin", name="Program Admin")
    coach = make_user("coach", name="Secret Coach Name")
    built = Program(admin, coach, secrets=["Secret"])

    def add(student_pct=(30.0, 45.0), close=False, answer=None, school="Test School"):
        n = len(built.teachers) + 1
        teacher = make_user("teacher", name=f"Secret Teacher {n}", school=school)
        pair_users(coach, teacher)
        cycle_id = _cycle(app, teacher, coach, n, student_pct)
        built.teachers.append(teacher)
        built.cycles.append(cycle_id)
        if close:
            set_status(app, cycle_id, "closed")
        if answer is not None:
            give_feedback(app, cycle_id, teacher, *answer)
        return teacher, cycle_id

    built.add = add
    return built


def _cycle(app, teacher, coach, n: int, student_pct) -> int:
    """An active cycle with a goal measured by students' talk (target at least 40 %), one
    analysed lesson per figure in `student_pct`, and a note on the first."""
    from webapp import db
    from webapp.annotations import services as notes
    from webapp.annotations.schemas import AnnotationCreate
    from webapp.auth.models import User
    from webapp.coaching import services
    from webapp.coaching.measures import Measure
    from webapp.video.models import Status, Video

    with app.app_context():
        session = db.session()
        teacher, coach = session.get(User, teacher.id), session.get(User, coach.id)
        measure = Measure("student_talk_pct", 40.0, "at_least")
        cycle = services.create_cycle(
            teacher=teacher, coach=coach, title=f"Secret cycle {n}", status="active",
            goals=[(f"Secret goal {n}", [], measure)],
        )  # fmt: skip
        for lesson, pct in enumerate(student_pct):
            title = f"Secret lesson {n}.{lesson}"
            video = Video(owner_id=teacher.id, cycle_id=cycle.id, title=title,
                          status=Status.READY, duration_ms=60_000, size_bytes=1,
                          original_filename="l.mp4", content_type="video/mp4",
                          source_key="videos/x/source/l.mp4")  # fmt: skip
            session.add(video)
            session.flush()
            session.add(lesson_analysis(video.id, student_pct=pct))
            if lesson == 0:
                body = f"Secret note text {n}"
                notes.create(video, coach, AnnotationCreate(start_ms=1000, body=body))
        session.commit()
        return cycle.id


def set_status(app, cycle_id: int, status: str) -> None:
    from webapp import db
    from webapp.coaching import services
    from webapp.coaching.models import Cycle

    with app.app_context():
        services.update_cycle(db.session().get(Cycle, cycle_id), {"status": status})
        db.session().commit()


def give_feedback(app, cycle_id, teacher, ratings=(4, 5, 4), comment="", share=False) -> None:
    from webapp import db
    from webapp.auth.models import User
    from webapp.coaching.models import Cycle
    from webapp.program import feedback

    with app.app_context():
        session = db.session()
        answers = dict(zip(feedback.QUESTIONS, ratings, strict=True))
        cycle, user = session.get(Cycle, cycle_id), session.get(User, teacher.id)
        feedback.answer(cycle, user, answers, comment, share)
        session.commit()
