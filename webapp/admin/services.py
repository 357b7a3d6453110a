"""Program-level figures: counts per school, never a teacher's content."""

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from webapp import access, db
from webapp.annotations.models import Annotation
from webapp.auth.models import Role, School, User
from webapp.coaching.models import Cycle, Pairing, PairingStatus
from webapp.video.models import Video


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
            .where(Pairing.status == PairingStatus.ACTIVE)
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


# A debrief: a recording on which both its teacher and a coach (a coach or admin other than the
# teacher) wrote at least one note or reply that is not private. Stated on the overview page.
DEBRIEF_DEFINITION = (
    "A debrief is a recording on which both its teacher and a coach have written at least one "
    "note or reply that is not private."
)


def _month(column):
    """'YYYY-MM' of a timestamp, in SQL, on SQLite and PostgreSQL alike."""
    if db.session().get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _counts(query) -> dict[tuple[int, str], int]:
    return {(school_id, month): count for school_id, month, count in db.session().execute(query)}


def monthly_activity() -> list[dict]:
    """Cycles, videos, notes and debriefs per school and month: counts only, no content."""
    owner = aliased(User)
    author = aliased(User)
    cycle_month, video_month = _month(Cycle.created_at), _month(Video.created_at)
    note_month = _month(Annotation.created_at)
    shared_note = access.shared_note_clause()
    teacher_wrote = exists().where(
        shared_note, Annotation.video_id == Video.id, Annotation.author_id == Video.owner_id
    )
    coach_wrote = exists().where(
        shared_note,
        Annotation.video_id == Video.id,
        Annotation.author_id != Video.owner_id,
        Annotation.author_id == author.id,
        author.role.in_((Role.COACH, Role.ADMIN)),
    )
    series = {
        "cycles": _counts(
            select(owner.school_id, cycle_month, func.count())
            .join(owner, owner.id == Cycle.teacher_id)
            .group_by(owner.school_id, cycle_month)
        ),
        "videos": _counts(
            select(owner.school_id, video_month, func.count())
            .join(owner, owner.id == Video.owner_id)
            .group_by(owner.school_id, video_month)
        ),
        "annotations": _counts(
            select(owner.school_id, note_month, func.count())
            .join(Video, Video.id == Annotation.video_id)
            .join(owner, owner.id == Video.owner_id)
            .where(Annotation.deleted_at.is_(None))
            .group_by(owner.school_id, note_month)
        ),
        "debriefs": _counts(
            select(owner.school_id, video_month, func.count())
            .join(owner, owner.id == Video.owner_id)
            .where(teacher_wrote, coach_wrote)
            .group_by(owner.school_id, video_month)
        ),
    }
    schools = dict(db.session().execute(select(School.id, School.name)).all())
    keys = sorted({key for counts in series.values() for key in counts}, key=lambda k: k[1])
    keys.reverse()  # newest month first, then (stable) by school name
    keys.sort(key=lambda k: schools.get(k[0], ""))
    return [
        {"school": schools.get(school_id, ""), "month": month}
        | {name: counts.get((school_id, month), 0) for name, counts in series.items()}
        for school_id, month in keys
    ]
