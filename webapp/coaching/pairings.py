"""Who coaches whom: requests, the teacher's answer, ending, and whom a person may name.

A pairing is asked for by an admin or a coach and grants access only once the teacher accepts
it (DESIGN §3). Errors about people the caller cannot see never name them (DESIGN §4).
Functions flush; callers commit.
"""

from sqlalchemy import func, select, update

from webapp import db
from webapp.access import coaching_clause
from webapp.auth.models import Role, User
from webapp.coaching.models import (
    OPEN_STATUSES,
    Pairing,
    PairingStatus,
    open_clause,
)
from webapp.db import utcnow
from webapp.errors import Conflict, Forbidden, NotFound, ValidationError
from webapp.sharing import audit


def pair(coach: User, teacher: User, *, requested_by: User | None = None, **detail) -> Pairing:
    """Ask for a coaching pairing; it grants nothing until the teacher accepts it.

    `requested_by` is the admin or the coach who asked (None: the operator, from the command
    line). Like every pairing change, the request goes in the teacher's audit record.
    """
    if not coach.can_coach:
        raise ValidationError(
            f"{coach.name} is a {coach.role}; only coaches and admins can coach.",
            {"coach": "Choose a coach."},
        )
    if teacher.role != Role.TEACHER:
        raise ValidationError(
            f"{teacher.name} is a {teacher.role}; only teachers can be coached.",
            {"teacher": "Choose a teacher."},
        )
    current = open_pairing(coach.id, teacher.id)
    if current is not None:
        state = "already coaches" if current.active else "has already asked to coach"
        raise Conflict(f"{coach.name} {state} {teacher.name}.")
    pairing = Pairing(
        coach=coach,
        teacher=teacher,
        status=PairingStatus.PENDING,
        requested_by_id=requested_by.id if requested_by is not None else None,
    )
    db.session().add(pairing)
    db.session().flush()
    audit.pairing_change(requested_by, pairing, "requested", **detail)
    return pairing


def open_pairing(coach_id: int, teacher_id: int) -> Pairing | None:
    """The pending or active pairing of this coach and teacher, if there is one."""
    query = select(Pairing).where(
        Pairing.coach_id == coach_id, Pairing.teacher_id == teacher_id, open_clause()
    )
    return db.session().scalar(query)


def active_pairing(coach_id: int, teacher_id: int) -> Pairing | None:
    query = select(Pairing).where(coaching_clause(coach_id, teacher_id))
    return db.session().scalar(query)


def get_pairing(pairing_id: int) -> Pairing:
    pairing = db.session().get(Pairing, pairing_id)
    if pairing is None:
        raise NotFound("No such pairing.")
    return pairing


def respond(pairing: Pairing, teacher: User, *, accept: bool, by_operator: bool = False) -> Pairing:
    """The teacher accepts or declines a pending pairing; only they can make it active.

    `by_operator`: the operator records, from the command line, an answer given outside the app.
    """
    if teacher.id != pairing.teacher_id:
        raise Forbidden("Only the teacher can accept or decline a coaching request.")
    now = utcnow()
    if accept:
        changes = {"status": PairingStatus.ACTIVE, "accepted_at": now}
    else:
        changes = {"status": PairingStatus.DECLINED, "ended_at": now}
    if not _move(pairing, (PairingStatus.PENDING,), changes):
        raise Conflict(f"This coaching request is already {pairing.status}.")
    detail = {"via": "cli"} if by_operator else {}
    change = "accepted" if accept else "declined"
    audit.pairing_change(None if by_operator else teacher, pairing, change, **detail)
    return pairing


def end_pairing(pairing: Pairing, actor: User) -> Pairing:
    """End an active pairing, or withdraw a pending one; access ends with the request."""
    change = "ended" if pairing.active else "withdrawn"
    ended = {"status": PairingStatus.ENDED, "ended_at": utcnow()}
    if _move(pairing, OPEN_STATUSES, ended):
        audit.pairing_change(actor, pairing, change)
    return pairing


def _move(pairing: Pairing, from_statuses, changes: dict) -> bool:
    """Change the pairing only if it is still in one of `from_statuses`, in one UPDATE.

    Two people answering at once (the teacher accepts as the coach withdraws) cannot both win:
    the second finds the row already moved on and is told so.
    """
    moved = db.session().execute(
        update(Pairing)
        .where(Pairing.id == pairing.id, Pairing.status.in_(from_statuses))
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    db.session().refresh(pairing)
    return moved.rowcount == 1


def may_end(pairing: Pairing, user: User) -> bool:
    """The teacher and the coach may end their pairing, and admins may end any."""
    return user.role == Role.ADMIN or user.id in (pairing.coach_id, pairing.teacher_id)


def load_pairing(pairing_id: int, user: User) -> Pairing:
    """A pairing `user` may act on (see `may_end`); 404 for anyone else, as for no pairing."""
    pairing = get_pairing(pairing_id)
    if not may_end(pairing, user):
        raise NotFound("No such pairing.")
    return pairing


def pairings_of(user: User, *, include_closed: bool = False) -> list[Pairing]:
    """Every pairing for an admin; the ones they are part of for anyone else (in SQL)."""
    query = select(Pairing).order_by(~open_clause(), Pairing.started_at.desc(), Pairing.id.desc())
    if user.role != Role.ADMIN:
        query = query.where((Pairing.coach_id == user.id) | (Pairing.teacher_id == user.id))
    if not include_closed:
        query = query.where(open_clause())
    return list(db.session().scalars(query))


def requests_to(teacher: User) -> list[Pairing]:
    """Coaching requests waiting for the teacher's answer, oldest first."""
    query = (
        select(Pairing)
        .where(Pairing.teacher_id == teacher.id, Pairing.status == PairingStatus.PENDING)
        .order_by(Pairing.started_at, Pairing.id)
    )
    return list(db.session().scalars(query))


def open_pairings(user: User, *, as_coach: bool) -> list[Pairing]:
    """The user's pending and active pairings, as coach or as teacher, by the other's name."""
    mine, other = (
        (Pairing.coach_id, Pairing.teacher_id)
        if as_coach
        else (Pairing.teacher_id, Pairing.coach_id)
    )
    query = (
        select(Pairing)
        .join(User, User.id == other)
        .where(mine == user.id, open_clause())
        .order_by(func.lower(User.name))
    )
    return list(db.session().scalars(query))


def teachers_to_ask(coach: User) -> list[User]:
    """Teachers of the coach's school whom the coach has no open pairing with."""
    taken = select(Pairing.teacher_id).where(Pairing.coach_id == coach.id, open_clause())
    query = (
        select(User)
        .where(
            User.school_id == coach.school_id,
            User.role == Role.TEACHER,
            User.active.is_(True),
            User.id.not_in(taken),
        )
        .order_by(func.lower(User.name))
    )
    return list(db.session().scalars(query))


def teachers_of(coach: User) -> list[User]:
    """The teachers who have accepted `coach`, by name."""
    return _by_name(select(User).join(Pairing, coaching_clause(coach.id, User.id)))


def coaches_of(teacher: User) -> list[User]:
    """The coaches `teacher` has accepted, by name."""
    return _by_name(select(User).join(Pairing, coaching_clause(User.id, teacher.id)))


def _by_name(query) -> list[User]:
    return list(db.session().scalars(query.order_by(func.lower(User.name))))


def pairing_parties(actor: User, coach_id: int | None, teacher_id: int | None) -> tuple[User, User]:
    """The (coach, teacher) of a pairing `actor` asks for.

    An admin names both (they manage every account); a coach asks only for themselves, and
    only for a teacher of their own school: any other id gets the same answer as an unknown one.
    """
    if not actor.can_coach:
        raise Forbidden("Teachers accept coaching requests; an admin or a coach makes them.")
    if actor.role == Role.ADMIN:
        coach = _user(coach_id) if coach_id is not None else actor
        teacher = _user(teacher_id)
        if coach is None or teacher is None:
            raise NotFound("No such person.")
        return coach, teacher
    if coach_id not in (None, actor.id):
        raise Forbidden("A coach can only ask to coach a teacher themselves.")
    teacher = _user(teacher_id)
    if (
        teacher is None
        or teacher.school_id != actor.school_id
        or teacher.role != Role.TEACHER
        or not teacher.active
    ):
        raise NotFound("No such teacher in your school.")
    return actor, teacher


def cycle_parties(
    user: User, *, teacher_id: int | None = None, coach_id: int | None = None
) -> tuple[User, User]:
    """The (teacher, coach) of a cycle `user` opens: a teacher names a coach, a coach a teacher.

    Only a current partner can be named; anyone else, real or not, gets the same answer.
    """
    if user.role == Role.TEACHER:
        field, partners, other_id = "coach_id", coaches_of(user), coach_id
        message = "Choose one of your coaches."
    else:
        field, partners, other_id = "teacher_id", teachers_of(user), teacher_id
        message = "Choose one of the teachers you coach."
    if other_id is None:
        raise ValidationError("Choose who the cycle is with.", {field: "Required."})
    other = next((p for p in partners if p.id == other_id), None)
    if other is None:
        raise ValidationError(message, {field: message})
    return (user, other) if user.role == Role.TEACHER else (other, user)


def _user(user_id: int | None) -> User | None:
    return db.session().get(User, user_id) if user_id is not None else None
