"""Frameworks, cycles and goals. Functions flush; callers commit (pairings: pairings.py)."""

import re
from datetime import date

from sqlalchemy import select

from webapp import access, db
from webapp.auth.models import User
from webapp.coaching import measures
from webapp.coaching.defaults import (
    DEFAULT_FRAMEWORK_DESCRIPTION,
    DEFAULT_FRAMEWORK_NAME,
    DEFAULT_MOVES,
)
from webapp.coaching.models import (
    Cycle,
    CycleStatus,
    Framework,
    Goal,
    Move,
)
from webapp.db import utcnow
from webapp.errors import Conflict, NotFound, ValidationError

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_GOALS = 3


# Frameworks and moves ------------------------------------------------------


def default_framework() -> Framework:
    """The installation's default framework, seeded by `debrief db upgrade` (`seed_defaults`).

    Only read here: no GET may write, and a page asking for it must not create it.
    """
    framework = db.session().scalar(select(Framework).where(Framework.is_default.is_(True)))
    if framework is None:
        raise RuntimeError("The default framework is missing: run `debrief db upgrade`.")
    return framework


def seed_defaults(session) -> bool:
    """Create the default framework from the shipped moves unless one exists; flushes.

    Part of bringing a database up to date (webapp.db.upgrade), never of serving a request.
    """
    if session.scalar(select(Framework.id).where(Framework.is_default.is_(True))) is not None:
        return False
    framework = Framework(
        name=DEFAULT_FRAMEWORK_NAME, description=DEFAULT_FRAMEWORK_DESCRIPTION, is_default=True
    )
    session.add(framework)
    for position, (group, name, code, colour, description) in enumerate(DEFAULT_MOVES):
        framework.moves.append(
            Move(
                name=name,
                code=code,
                colour=colour,
                description=description,
                group=group,
                position=position,
            )
        )
    session.flush()
    return True


def list_frameworks() -> list[Framework]:
    return list(db.session().scalars(select(Framework).order_by(Framework.name)))


def get_framework(framework_id: int) -> Framework:
    framework = db.session().get(Framework, framework_id)
    if framework is None:
        raise NotFound("No such framework.")
    return framework


def create_framework(name: str, description: str = "") -> Framework:
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationError("A framework needs a name.", {"name": "Enter 1 to 200 characters."})
    if db.session().scalar(select(Framework).where(Framework.name == name)):
        raise Conflict(f"A framework named {name!r} already exists.", {"name": "Name taken."})
    framework = Framework(name=name, description=description.strip())
    db.session().add(framework)
    db.session().flush()
    return framework


def _move_fields(name: str, code: str, colour: str) -> tuple[str, str, str]:
    """Cleaned name, code and colour, or a ValidationError naming each bad field."""
    name, code = name.strip(), code.strip().upper()
    fields = {}
    if not name or len(name) > 120:
        fields["name"] = "Enter a name of 1 to 120 characters."
    if not re.fullmatch(r"[A-Z0-9]{1,16}", code):
        fields["code"] = "Use 1 to 16 letters or digits, like WT."
    if not COLOUR_RE.match(colour):
        fields["colour"] = "Use a colour like #1f6feb."
    if fields:
        raise ValidationError("Please correct the highlighted fields.", fields)
    return name, code, colour.lower()


def _check_code_free(framework: Framework, code: str, move: Move | None = None) -> None:
    if any(m.code == code and m is not move for m in framework.moves):
        raise Conflict(f"This framework already has a move coded {code}.", {"code": "Code taken."})


def add_move(
    framework: Framework,
    *,
    name: str,
    code: str,
    colour: str,
    description: str = "",
    group: str = "",
) -> Move:
    """Add a move after checking its fields; codes are unique within a framework."""
    name, code, colour = _move_fields(name, code, colour)
    _check_code_free(framework, code)
    move = Move(
        framework=framework,
        name=name,
        code=code,
        colour=colour,
        description=description.strip(),
        group=group.strip()[:120],
        position=len(framework.moves),
    )
    db.session().add(move)
    db.session().flush()
    return move


MOVE_FIELDS = ("name", "code", "colour", "description", "group", "position")


def update_move(move: Move, changes: dict) -> Move:
    """Change a move's fields; a new position renumbers the framework so the order stays whole.

    `changes` maps some of MOVE_FIELDS to new values: strings, and the position a whole number
    from 0 (the callers' forms and schemas make sure of both).
    """
    merged = {"name": move.name, "code": move.code, "colour": move.colour, **changes}
    name, code, colour = _move_fields(merged["name"], merged["code"], merged["colour"])
    _check_code_free(move.framework, code, move)
    move.name, move.code, move.colour = name, code, colour
    if "description" in changes:
        move.description = changes["description"].strip()
    if "group" in changes:
        move.group = changes["group"].strip()[:120]
    if "position" in changes:
        _reposition(move, changes["position"])
    db.session().flush()
    db.session().expire(move.framework, ["moves"])  # reload in the new order
    return move


def _reposition(move: Move, position: int) -> None:
    others = [m for m in move.framework.moves if m is not move]
    others.insert(min(position, len(others)), move)
    for index, each in enumerate(others):
        each.position = index


def get_move(move_id: int) -> Move:
    move = db.session().get(Move, move_id)
    if move is None:
        raise NotFound("No such move.")
    return move


def archive_move(move: Move, archived: bool = True) -> None:
    move.archived_at = utcnow() if archived else None


# Cycles and goals ----------------------------------------------------------

# Forward through the cycle, or reopen a closed one; never back to planned.
STATUS_NEXT = {
    CycleStatus.PLANNED: {CycleStatus.ACTIVE, CycleStatus.CLOSED},
    CycleStatus.ACTIVE: {CycleStatus.CLOSED},
    CycleStatus.CLOSED: {CycleStatus.ACTIVE},
}


def cycle_field_errors(title: str, status: str, starts_on, ends_on) -> dict:
    """Field errors for a cycle's title, status and dates (empty when all are fine)."""
    fields = {}
    if not title or len(title) > 200:
        fields["title"] = "Enter a title of 1 to 200 characters."
    if status not in {s.value for s in CycleStatus}:
        fields["status"] = "Status must be planned, active or closed."
    if starts_on and ends_on and ends_on < starts_on:
        fields["ends_on"] = "The end date must be on or after the start date."
    return fields


def create_cycle(
    *,
    teacher: User,
    coach: User,
    title: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
    status: str = CycleStatus.PLANNED,
    framework: Framework | None = None,
    goals: list = (),
) -> Cycle:
    """Open a cycle for an active pairing, with up to three goals.

    Each goal is a statement, or a (statement, moves) pair to link moves of the framework, or
    (statement, moves, measures.Measure) to measure it too.
    """
    title = (title or "").strip()
    fields = cycle_field_errors(title, status, starts_on, ends_on)
    if len(goals) > MAX_GOALS:
        fields["goals"] = f"A cycle has at most {MAX_GOALS} goals."
    if fields:
        raise ValidationError("Please correct the highlighted fields.", fields)
    if not access.is_coaching(coach, teacher.id):
        raise ValidationError("A cycle needs an active pairing of its coach and teacher.")
    cycle = Cycle(
        teacher=teacher,
        coach=coach,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        framework=framework or default_framework(),
    )
    db.session().add(cycle)
    db.session().flush()  # goals check their moves against the cycle's framework_id
    for goal in goals:
        add_goal(cycle, *((goal,) if isinstance(goal, str) else goal))
    if status == CycleStatus.CLOSED:
        record_close(cycle)
    db.session().flush()
    return cycle


def update_cycle(cycle: Cycle, changes: dict) -> Cycle:
    """Change title, dates or status (planned → active → closed, or reopen a closed cycle)."""
    title = changes.get("title", cycle.title).strip()
    status = changes.get("status", cycle.status)
    starts_on = changes.get("starts_on", cycle.starts_on)
    ends_on = changes.get("ends_on", cycle.ends_on)
    fields = cycle_field_errors(title, status, starts_on, ends_on)
    if not fields and status != cycle.status and status not in STATUS_NEXT[cycle.status]:
        fields["status"] = f"A {cycle.status} cycle cannot become {status}."
    if fields:
        raise ValidationError("Please correct the highlighted fields.", fields)
    was = cycle.status
    cycle.title, cycle.status, cycle.starts_on, cycle.ends_on = title, status, starts_on, ends_on
    if status == CycleStatus.CLOSED and was != CycleStatus.CLOSED:
        record_close(cycle)
    elif was == CycleStatus.CLOSED and status != CycleStatus.CLOSED:
        _forget_close(cycle)
    db.session().flush()
    return cycle


def record_close(cycle: Cycle) -> None:
    """Write down the outcome as it stands at closing: when, and for each goal with a target
    whether its latest measured lesson met it. The teacher's view of the lessons is used, since
    every lesson of the cycle is theirs; the program view counts these, never shows them."""
    cycle.closed_at = utcnow()
    db.session().flush()  # the lessons are read from the database
    met = {item.goal.id: item.latest and item.latest[1].met for item in _teacher_progress(cycle)}
    for goal in cycle.goals:
        goal.met_at_close = met.get(goal.id)


def _teacher_progress(cycle: Cycle) -> list:
    # Imported here: progress reads analyses, whose imports come back to this module's schemas.
    from webapp.coaching import progress

    return progress.cycle_progress(cycle, cycle.teacher)


def _forget_close(cycle: Cycle) -> None:
    """A reopened cycle has no outcome yet: closing it again records a new one."""
    cycle.closed_at = None
    for goal in cycle.goals:
        goal.met_at_close = None


def _goal_statement(statement: str) -> str:
    statement = statement.strip()
    if not statement or len(statement) > 500:
        raise ValidationError(
            "A goal needs a statement.", {"statement": "Enter 1 to 500 characters."}
        )
    return statement


def _check_goal_moves(cycle: Cycle, moves) -> list[Move]:
    if any(m.framework_id != cycle.framework_id for m in moves):
        raise ValidationError(
            "Linked moves must come from the cycle's framework.", {"move_ids": "Not in framework."}
        )
    return list(moves)


def add_goal(
    cycle: Cycle,
    statement: str,
    moves: list[Move] = (),
    measure: measures.Measure = measures.UNMEASURED,
) -> Goal:
    """Add a goal, optionally linked to moves and measured by a lesson figure."""
    statement = _goal_statement(statement)
    if len(cycle.goals) >= MAX_GOALS:
        raise ValidationError(
            f"A cycle has at most {MAX_GOALS} goals.", {"goals": f"At most {MAX_GOALS}."}
        )
    goal = Goal(
        statement=statement, position=len(cycle.goals), moves=_check_goal_moves(cycle, moves)
    )
    _measure(goal, measure)
    cycle.goals.append(goal)
    db.session().flush()
    return goal


def update_goal(
    goal: Goal,
    statement: str | None = None,
    moves: list[Move] | None = None,
    measure: measures.Measure | None = None,
) -> Goal:
    """Reword a goal, change its linked moves or its measure; notes tagged with it keep the tag."""
    if statement is not None:
        goal.statement = _goal_statement(statement)
    if moves is not None:
        goal.moves = _check_goal_moves(goal.cycle, moves)
    if measure is not None:
        _measure(goal, measure)
    db.session().flush()
    return goal


def set_goal_metric(
    goal: Goal,
    metric: str | None,
    target: float | None = None,
    direction: str | None = None,
    threshold_s: float | None = None,
) -> Goal:
    """Measure a goal by a lesson figure, with an optional target (None: no longer measured).

    The four replace what the goal had; a bad combination is a ValidationError naming the
    field (see measures.check). The baseline is never set: it is the first analysed lesson's.
    """
    _measure(goal, measures.Measure(metric, target, direction, threshold_s))
    db.session().flush()
    return goal


def _measure(goal: Goal, measure: measures.Measure) -> None:
    measures.check(measure)
    goal.metric, goal.target = measure.metric, measure.target
    goal.direction, goal.threshold_s = measure.direction, measure.threshold_s


def moves_by_ids(move_ids: list[int]) -> list[Move]:
    """The moves with these ids, in the given order, or a ValidationError naming the field."""
    if not move_ids:
        return []
    found = {m.id: m for m in db.session().scalars(select(Move).where(Move.id.in_(move_ids)))}
    if len(found) != len(set(move_ids)):
        raise ValidationError("Unknown move.", {"move_ids": "One of these moves does not exist."})
    return [found[i] for i in dict.fromkeys(move_ids)]


def cycles_for(user: User) -> list[Cycle]:
    """Cycles the user takes part in: as teacher, or as a coach still paired with the teacher."""
    query = select(Cycle).where(access.cycle_clause(user)).order_by(Cycle.created_at.desc())
    return list(db.session().scalars(query))
