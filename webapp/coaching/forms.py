"""Turn the cycle form's fields into service arguments; the services do the checking."""

from dataclasses import dataclass, field
from datetime import date

from webapp.coaching.models import Cycle, Move
from webapp.coaching.services import MAX_GOALS
from webapp.errors import ValidationError
from webapp.http import form_id


def parse_date(value, name: str) -> date | None:
    """A YYYY-MM-DD date, None when blank, or a ValidationError naming the field."""
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError("Dates use the form YYYY-MM-DD.", {name: "Use YYYY-MM-DD."}) from None


@dataclass
class GoalRow:
    """One goal slot of the form: an existing goal (id) or a new one."""

    id: int | None = None
    statement: str = ""
    move_ids: list[int] = field(default_factory=list)


def goal_rows(form, cycle: Cycle | None = None) -> list[GoalRow]:
    """The goal slots as entered (on a re-shown form) or as stored, padded to three."""
    if form is not None:
        rows = [
            GoalRow(
                id=form_id(form.get(f"goal-{n}-id")),
                statement=form.get(f"goal-{n}", "").strip(),
                move_ids=[
                    i for i in map(form_id, form.getlist(f"goal-{n}-moves")) if i is not None
                ],
            )
            for n in range(1, MAX_GOALS + 1)
        ]
    else:
        goals = cycle.goals if cycle else []
        rows = [GoalRow(g.id, g.statement, [m.id for m in g.moves]) for g in goals]
    return rows + [GoalRow() for _ in range(MAX_GOALS - len(rows))]


def goal_specs(rows: list[GoalRow], moves: list[Move]) -> list[tuple[int | None, str, list]]:
    """(goal id or None, statement, moves) for each stored or filled slot; at least one."""
    by_id = {m.id: m for m in moves}
    specs = [
        (row.id, row.statement, [by_id[i] for i in row.move_ids if i in by_id])
        for row in rows
        if row.statement or row.id
    ]
    if not specs:
        raise ValidationError("Add at least one goal.", {"goals": "Write at least one goal."})
    return specs


def cycle_changes(form) -> dict:
    """Title, dates and status from the form, for create or update."""
    return {
        "title": form.get("title", ""),
        "status": form.get("status", "planned"),
        "starts_on": parse_date(form.get("starts_on"), "starts_on"),
        "ends_on": parse_date(form.get("ends_on"), "ends_on"),
    }


def move_groups(moves: list[Move]) -> list[tuple[str, list[Move]]]:
    """Moves grouped by their group, groups in the order their first move appears."""
    groups: dict[str, list[Move]] = {}
    for move in moves:
        groups.setdefault(move.group, []).append(move)
    return list(groups.items())
