"""Teachers' feedback on coaching: asked once a cycle closes, answered once, read as averages.

Privacy (issue 14): one teacher's ratings are never shown to anyone but that teacher. Their
coach sees averages over all of the coach's feedback once MIN_TEACHERS distinct teachers have
answered (rules.cell), and a comment only when the teacher ticked "share with my coach".
Admins see school aggregates in the program view (figures.py), under the same rule.
"""

from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from webapp import db
from webapp.coaching.models import Cycle, CycleStatus
from webapp.errors import Conflict, Forbidden, ValidationError
from webapp.program import rules
from webapp.program.models import RATING_MAX, RATING_MIN, CoachingFeedback

QUESTIONS = {
    "useful": "Was the coaching useful to you?",
    "safe": "Did it feel safe and non-evaluative?",
    "would_continue": "Would you continue with this coaching?",
}
SCALE = f"{RATING_MIN} = not at all, {RATING_MAX} = completely"
MAX_COMMENT = 2000


def answer(cycle: Cycle, teacher, ratings: dict, comment: str = "", share: bool = False):
    """Record the cycle teacher's one answer, after the cycle has closed; flushes."""
    if teacher.id != cycle.teacher_id:
        raise Forbidden("Only the cycle's teacher answers these questions.")
    if cycle.status != CycleStatus.CLOSED:
        raise Conflict("These questions open once the cycle has closed.")
    if answer_of(cycle) is not None:
        raise Conflict("You have already answered for this cycle; answers cannot be changed.")
    comment = (comment or "").strip()
    _check(ratings, comment)
    row = CoachingFeedback(
        cycle_id=cycle.id,
        teacher_id=teacher.id,
        coach_id=cycle.coach_id,
        comment=comment,
        share_comment=bool(share and comment),
        **{name: ratings[name] for name in QUESTIONS},
    )
    try:
        with db.session().begin_nested():  # a second answer sent at the same moment
            db.session().add(row)
    except IntegrityError:
        raise Conflict("You have already answered for this cycle.") from None
    return row


def _check(ratings: dict, comment: str) -> None:
    fields = {
        name: f"Choose a number from {RATING_MIN} to {RATING_MAX}."
        for name in QUESTIONS
        if not _is_rating(ratings.get(name))
    }
    if len(comment) > MAX_COMMENT:
        fields["comment"] = f"At most {MAX_COMMENT} characters."
    if fields:
        raise ValidationError("Please answer each question with a number from 1 to 5.", fields)


def _is_rating(value) -> bool:
    return type(value) is int and RATING_MIN <= value <= RATING_MAX


def answer_of(cycle: Cycle) -> CoachingFeedback | None:
    query = select(CoachingFeedback).where(CoachingFeedback.cycle_id == cycle.id)
    return db.session().scalar(query)


def awaiting(user) -> list[Cycle]:
    """The closed cycles of this teacher that wait for their answer, newest first."""
    answered = exists().where(CoachingFeedback.cycle_id == Cycle.id)
    query = (
        select(Cycle)
        .where(Cycle.teacher_id == user.id, Cycle.status == CycleStatus.CLOSED, ~answered)
        .order_by(Cycle.closed_at.desc(), Cycle.id.desc())
    )
    return list(db.session().scalars(query))


@dataclass(frozen=True)
class CyclePanel:
    """What the cycle page shows of the feedback to the person looking at it."""

    ask: bool = False  # the teacher has yet to answer
    mine: CoachingFeedback | None = None  # the teacher's own answer
    shared_comment: str | None = None  # the comment the teacher shared with this coach


def cycle_panel(cycle: Cycle, user) -> CyclePanel:
    """The teacher sees the questions or their own answer; the coach a shared comment only."""
    if cycle.status != CycleStatus.CLOSED:
        return CyclePanel()
    row = answer_of(cycle)
    if user.id == cycle.teacher_id:
        return CyclePanel(ask=row is None, mine=row)
    if row is not None and row.share_comment and row.coach_id == user.id:
        return CyclePanel(shared_comment=row.comment)
    return CyclePanel()


@dataclass(frozen=True)
class Summary:
    """A coach's averages, each a rules.Cell, and how many teachers answered (if enough)."""

    teachers: rules.Cell
    averages: dict[str, rules.Cell]


def coach_summary(coach) -> Summary:
    """The averages of all feedback on this coach, withheld below MIN_TEACHERS teachers."""
    query = select(
        func.count(func.distinct(CoachingFeedback.teacher_id)),
        *(func.avg(getattr(CoachingFeedback, name)) for name in QUESTIONS),
    ).where(CoachingFeedback.coach_id == coach.id)
    teachers, *averages = db.session().execute(query).one()
    return Summary(
        rules.cell(teachers, teachers),
        {
            name: rules.cell(teachers, round(float(value), 1) if value is not None else 0.0)
            for name, value in zip(QUESTIONS, averages, strict=True)
        },
    )
