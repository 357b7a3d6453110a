"""Program-level figures: counts per school, never a teacher's content."""

from sqlalchemy import func, select

from webapp import db
from webapp.auth.models import School, User
from webapp.coaching.models import Cycle, Pairing


def program_overview() -> list[dict]:
    """People, active pairings and cycles per school."""
    session = db.session()
    people = dict(
        session.execute(select(User.school_id, func.count()).group_by(User.school_id)).all()
    )
    pairings = dict(
        session.execute(
            select(User.school_id, func.count())
            .join(Pairing, Pairing.teacher_id == User.id)
            .where(Pairing.ended_at.is_(None))
            .group_by(User.school_id)
        ).all()
    )
    cycles = {
        (school_id, status): count
        for school_id, status, count in session.execute(
            select(User.school_id, Cycle.status, func.count())
            .join(Cycle, Cycle.teacher_id == User.id)
            .group_by(User.school_id, Cycle.status)
        ).all()
    }
    return [
        {
            "school": school,
            "people": people.get(school.id, 0),
            "pairings": pairings.get(school.id, 0),
            "active_cycles": cycles.get((school.id, "active"), 0),
            "closed_cycles": cycles.get((school.id, "closed"), 0),
        }
        for school in session.scalars(select(School).order_by(School.name))
    ]
