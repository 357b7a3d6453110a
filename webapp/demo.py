"""Demo data: a school, five people, the default framework and an active cycle. Idempotent."""

from datetime import date, timedelta

from sqlalchemy import select

from webapp import db
from webapp.auth import services as accounts
from webapp.coaching import services as coaching
from webapp.coaching.models import Cycle, CycleStatus

DEMO_PASSWORD = "coachingdemo"
DEMO_SCHOOL = "Riverside Demo School"
DEMO_PEOPLE = [
    ("demo.teacher@example.org", "Dana Teacher", "teacher"),
    ("demo.coach@example.org", "Casey Coach", "coach"),
    ("demo.admin@example.org", "Alex Admin", "admin"),
    ("demo.other-teacher@example.org", "Olive Other-Teacher", "teacher"),
    ("demo.other-coach@example.org", "Oscar Other-Coach", "coach"),
]
DEMO_CYCLE = "Raising student talk"
DEMO_GOALS = [
    ("Students talk for at least 40% of the lesson.", ["TT", "SB"]),
    ("Wait at least 3 seconds after every open-ended question.", ["WT", "OEQ"]),
]


def load() -> list[str]:
    """Create whatever part of the demo is missing; return what was done, line by line."""
    report = []
    school = accounts.get_or_create_school(DEMO_SCHOOL)
    people = {}
    for email, name, role in DEMO_PEOPLE:
        user = accounts.find_user(email)
        if user is None:
            user = accounts.create_user(
                email=email, name=name, role=role, password=DEMO_PASSWORD, school=school
            )
            report.append(f"Created {role} {email}")
        people[email] = user
    teacher, coach = people["demo.teacher@example.org"], people["demo.coach@example.org"]
    if coaching.active_pairing(coach.id, teacher.id) is None:
        coaching.pair(coach, teacher)
        report.append(f"Paired {coach.email} with {teacher.email}")
    framework = coaching.default_framework()
    cycle = db.session().scalar(
        select(Cycle).where(Cycle.teacher_id == teacher.id, Cycle.title == DEMO_CYCLE)
    )
    if cycle is None:
        today = date.today()
        cycle = coaching.create_cycle(
            teacher=teacher,
            coach=coach,
            title=DEMO_CYCLE,
            starts_on=today - timedelta(days=7),
            ends_on=today + timedelta(days=35),
            status=CycleStatus.ACTIVE,
            framework=framework,
        )
        codes = {move.code: move for move in framework.moves}
        for statement, move_codes in DEMO_GOALS:
            coaching.add_goal(cycle, statement, [codes[c] for c in move_codes if c in codes])
        report.append(f"Opened the cycle {DEMO_CYCLE!r} with {len(DEMO_GOALS)} goals")
    db.session().commit()
    return report or ["Demo data already present."]
