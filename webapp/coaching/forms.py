"""Turn the cycle form's fields into service arguments; the services do the checking."""

import math
from dataclasses import dataclass, field
from datetime import date

from webapp.coaching import measures
from webapp.coaching.models import Cycle, Goal, GoalDirection, Move
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
    """One goal slot of the form: an existing goal (id) or a new one. The measure's fields
    are kept as typed, so a re-shown form gives them back unchanged."""

    id: int | None = None
    statement: str = ""
    move_ids: list[int] = field(default_factory=list)
    metric: str = ""
    target: str = ""
    direction: str = GoalDirection.AT_LEAST
    threshold: str = ""


def goal_rows(form, cycle: Cycle | None = None) -> list[GoalRow]:
    """The goal slots as entered (on a re-shown form) or as stored, padded to three."""
    if form is not None:
        rows = [_entered(form, n) for n in range(1, MAX_GOALS + 1)]
    else:
        rows = [_stored(goal) for goal in (cycle.goals if cycle else [])]
    return rows + [GoalRow() for _ in range(MAX_GOALS - len(rows))]


def _entered(form, n: int) -> GoalRow:
    return GoalRow(
        id=form_id(form.get(f"goal-{n}-id")),
        statement=form.get(f"goal-{n}", "").strip(),
        move_ids=[i for i in map(form_id, form.getlist(f"goal-{n}-moves")) if i is not None],
        metric=form.get(f"goal-{n}-metric", ""),
        target=form.get(f"goal-{n}-target", "").strip(),
        direction=form.get(f"goal-{n}-direction", GoalDirection.AT_LEAST),
        threshold=form.get(f"goal-{n}-threshold", "").strip(),
    )


def _stored(goal: Goal) -> GoalRow:
    def text(value):
        return "" if value is None else measures.number(value, 2)

    return GoalRow(
        goal.id,
        goal.statement,
        [m.id for m in goal.moves],
        metric=goal.metric or "",
        target=text(goal.target),
        direction=goal.direction or GoalDirection.AT_LEAST,
        threshold=text(goal.threshold_s),
    )


def goal_specs(rows: list[GoalRow], moves: list[Move]) -> list[tuple]:
    """(goal id or None, statement, moves, measure) for each stored or filled slot; at least
    one. Every slot's measure is checked, its errors named by the slot's own fields."""
    by_id = {m.id: m for m in moves}
    specs, errors = [], {}
    for n, row in enumerate(rows, start=1):
        if not (row.statement or row.id):
            continue
        try:
            measure = _row_measure(row, n)
        except ValidationError as err:
            errors |= err.fields
            continue
        specs.append(
            (row.id, row.statement, [by_id[i] for i in row.move_ids if i in by_id], measure)
        )
    if errors:
        raise ValidationError("Please correct the goals' measures.", errors)
    if not specs:
        raise ValidationError("Add at least one goal.", {"goals": "Write at least one goal."})
    return specs


# The service's field names, as each goal slot of the form names them.
SLOT_FIELDS = {"metric": "metric", "target": "target", "direction": "direction",
               "threshold_s": "threshold"}  # fmt: skip


def _row_measure(row: GoalRow, n: int) -> measures.Measure:
    """Slot n's measure, checked; the direction counts only once a target is given."""
    fields: dict = {}
    target = _number(row.target, "target", fields)
    threshold = _number(row.threshold, "threshold_s", fields)
    if not fields:
        direction = (row.direction or None) if target is not None else None
        try:
            return measures.check(
                measures.Measure(row.metric or None, target, direction, threshold)
            )
        except ValidationError as err:
            fields = err.fields
    slot = {f"goal-{n}-{SLOT_FIELDS[name]}": message for name, message in fields.items()}
    raise ValidationError("Please correct the goals' measures.", slot)


def _number(text: str, name: str, fields: dict) -> float | None:
    """A number typed in the form (None when blank); a bad one is added to `fields`."""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        fields[name] = "Enter a number, like 40 or 2.5."
        return None
    return value


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
