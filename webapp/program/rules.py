"""The program's two privacy rules, each written once.

1. No figure identifies a teacher: a figure computed from rows of fewer than MIN_TEACHERS
   distinct teachers is not shown — the page, the CSV and the charts say FEWER instead (a
   chart leaves a gap there, never a zero). `cell` is the only place that decides it; the
   coach's "Your coaching" averages and the admin's program view both go through it.
2. An admin sees the aggregates of their own school only (`school_clause`), as SQL every
   program query filters by, in the style of webapp/access.py.
"""

from dataclasses import dataclass

from sqlalchemy import false, select

from webapp.auth.models import Role, User

MIN_TEACHERS = 3
FEWER = f"fewer than {MIN_TEACHERS}"
RULE = (
    f"No figure identifies a teacher: a figure computed from fewer than {MIN_TEACHERS} "
    f"teachers shows “{FEWER}”, here, in the charts (as a gap) and in the CSV export."
)


@dataclass(frozen=True)
class Cell:
    """One figure as it may be shown: its value (None when withheld) and its text."""

    value: float | None
    text: str

    @property
    def withheld(self) -> bool:
        return self.value is None


def cell(teachers: int, value: float, text: str | None = None) -> Cell:
    """The figure, or FEWER when it comes from fewer than MIN_TEACHERS distinct teachers."""
    if teachers < MIN_TEACHERS:
        return Cell(None, FEWER)
    return Cell(value, text if text is not None else _number(value))


def share(total: int, part: int, teachers: int) -> Cell:
    """`part` of `total` as a percentage, "67 % (2 of 3)", under the same rule."""
    value = round(100 * part / total, 1) if total else 0.0
    return cell(teachers, value, f"{_number(value)} % ({part} of {total})")


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def school_clause(user, school_id_column):
    """SQL: rows of the schools whose aggregates `user` may see — an admin's own school."""
    if not user.is_authenticated or user.role != Role.ADMIN:
        return false()
    return school_id_column == user.school_id


def people_of_school(user):
    """SQL: the ids of the people of the schools `user` may see aggregates of."""
    return select(User.id).where(school_clause(user, User.school_id))
