"""The program view: inputs, outputs and outcomes of one school's coaching, per month.

Every figure is a count or an average over rows; no row, name, title or text leaves this
module. Each cell carries the number of distinct teachers its rows involve, and rules.cell
withholds it below MIN_TEACHERS. Months run over a fixed window ending this month, so a month
without activity is shown (as withheld) rather than silently missing.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from webapp import db
from webapp.annotations.models import Annotation
from webapp.coaching.models import Cycle, Goal, Pairing
from webapp.db import utcnow
from webapp.program import outputs, rules
from webapp.program.feedback import QUESTIONS
from webapp.program.models import CoachingFeedback
from webapp.video.models import Status, Video

MONTHS = 12
COUNT, SHARE, RATING = "count", "share", "rating"
DEBRIEFS_PENDING = (
    "Not recorded yet: Debrief does not yet keep a record of each debrief held, so no "
    "figure is shown rather than one guessed from notes."
)


@dataclass(frozen=True)
class Figure:
    key: str  # the CSV column
    section: str
    label: str
    kind: str  # COUNT, SHARE (%) or RATING (1 to 5): how a chart scales it
    cells: dict[str, rules.Cell]  # by month, "YYYY-MM"
    note: str = ""  # instead of cells, when the figure is not recorded yet


@dataclass(frozen=True)
class ProgramView:
    school: str
    months: list[str]  # oldest first
    figures: list[Figure]


def month_of(column):
    """'YYYY-MM' of a timestamp, in SQL, on SQLite and PostgreSQL alike."""
    if db.session().get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def window(now: datetime | None = None) -> list[str]:
    """The MONTHS months ending with this one, oldest first."""
    now = now or utcnow()
    index = now.year * 12 + now.month - 1
    return [f"{i // 12}-{i % 12 + 1:02d}" for i in range(index - MONTHS + 1, index + 1)]


def month_start(month: str) -> datetime:
    year, number = month.split("-")
    return datetime(int(year), int(number), 1)


def program_view(user) -> ProgramView:
    """The figures of the admin's own school (rules.school_clause), month by month."""
    months = window()
    people = rules.people_of_school(user)
    start = month_start(months[0])

    def counts(key, label, rows) -> Figure:
        found = {month: (n, teachers) for month, n, teachers in rows}
        cells = {m: rules.cell(found.get(m, (0, 0))[1], found.get(m, (0, 0))[0]) for m in months}
        return Figure(key, "Inputs", label, COUNT, cells)

    figures = [
        Figure("active_pairings", "Inputs", "Active pairings", COUNT, _pairings(people, months)),
        counts("cycles_opened", "Cycles opened", _cycles(people, start)),
        counts("lessons_uploaded", "Lessons uploaded", _lessons(people, start)),
        counts("notes", "Notes and replies written", _notes(people, start)),
        Figure("debriefs_held", "Inputs", "Debriefs held", COUNT, {}, DEBRIEFS_PENDING),
        *_outputs(people, months),
        _met_at_close(people, start, months),
        *_ratings(people, start, months),
    ]
    return ProgramView(user.school.name, months, figures)


def _outputs(people, months: list[str]) -> list[Figure]:
    measured, improved = outputs.goal_outputs(people, months)
    return [
        Figure("goals_measured", "Outputs", "Goals measured in 2+ lessons", COUNT, measured),
        Figure("goals_improved", "Outputs", "Share of those improved on baseline", SHARE, improved),
    ]


def _grouped(timestamp, teacher, *where):
    """(month, rows, distinct teachers) per month, for rows matching `where`."""
    month = month_of(timestamp)
    query = select(month, func.count(), func.count(func.distinct(teacher))).where(*where)
    return db.session().execute(query.group_by(month)).all()


def _cycles(people, start):
    return _grouped(
        Cycle.created_at, Cycle.teacher_id, Cycle.teacher_id.in_(people), Cycle.created_at >= start
    )


def _lessons(people, start):
    return _grouped(
        Video.created_at,
        Video.owner_id,
        Video.owner_id.in_(people),
        Video.status != Status.UPLOADING,
        Video.created_at >= start,
    )


def _notes(people, start):
    # Private ("only me") notes count too: a count says nothing of what they say.
    return _grouped(
        Annotation.created_at,
        Video.owner_id,
        Annotation.video_id == Video.id,
        Video.owner_id.in_(people),
        Annotation.deleted_at.is_(None),
        Annotation.created_at >= start,
    )


def _pairings(people, months: list[str]) -> dict[str, rules.Cell]:
    """Pairings active at some time in each month: accepted before it ended, not ended before
    it began. Counted in Python: a pairing spans months, which GROUP BY cannot express."""
    query = select(Pairing.teacher_id, Pairing.accepted_at, Pairing.ended_at).where(
        Pairing.teacher_id.in_(people), Pairing.accepted_at.isnot(None)
    )
    rows = db.session().execute(query).all()
    cells = {}
    for index, month in enumerate(months):
        begins = month_start(month)
        ends = month_start(months[index + 1]) if index + 1 < len(months) else None
        active = [
            teacher
            for teacher, accepted, ended in rows
            if (ends is None or accepted < ends) and (ended is None or ended >= begins)
        ]
        cells[month] = rules.cell(len(set(active)), len(active))
    return cells


def _met_at_close(people, start, months: list[str]) -> Figure:
    """Of the goals with a target and a figure when their cycle closed, the share met then."""
    month = month_of(Cycle.closed_at)
    query = (
        select(
            month,
            func.count(),
            func.sum(case((Goal.met_at_close.is_(True), 1), else_=0)),
            func.count(func.distinct(Cycle.teacher_id)),
        )
        .join(Cycle, Cycle.id == Goal.cycle_id)
        .where(Cycle.teacher_id.in_(people), Cycle.closed_at >= start)
        .where(Goal.met_at_close.isnot(None))
        .group_by(month)
    )
    found = {m: (n, met, teachers) for m, n, met, teachers in db.session().execute(query)}
    cells = {m: rules.share(*found.get(m, (0, 0, 0))) for m in months}
    return Figure("goals_met_at_close", "Outcomes", "Goals met at cycle close", SHARE, cells)


RATING_LABELS = {
    "useful": "Teachers' rating: the coaching was useful (1 to 5)",
    "safe": "Teachers' rating: it felt safe and non-evaluative (1 to 5)",
    "would_continue": "Teachers' rating: they would continue (1 to 5)",
}


def _ratings(people, start, months: list[str]) -> list[Figure]:
    """The teachers' own average ratings, by the month they answered."""
    month = month_of(CoachingFeedback.created_at)
    query = (
        select(
            month,
            func.count(func.distinct(CoachingFeedback.teacher_id)),
            *(func.avg(getattr(CoachingFeedback, name)) for name in QUESTIONS),
        )
        .where(CoachingFeedback.teacher_id.in_(people), CoachingFeedback.created_at >= start)
        .group_by(month)
    )
    found = {m: (teachers, averages) for m, teachers, *averages in db.session().execute(query)}
    figures = []
    for index, name in enumerate(QUESTIONS):
        cells = {}
        for m in months:
            teachers, averages = found.get(m, (0, [0] * len(QUESTIONS)))
            cells[m] = rules.cell(teachers, round(float(averages[index]), 1))
        figures.append(Figure(f"rating_{name}", "Outcomes", RATING_LABELS[name], RATING, cells))
    return figures
