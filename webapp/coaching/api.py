"""JSON API for pairings, frameworks, moves, cycles and goals."""

from flask import Blueprint
from flask_login import current_user, login_required

from webapp import permissions
from webapp.auth.login import role_required
from webapp.auth.models import Role
from webapp.coaching import pairings, progress, services
from webapp.coaching.measures import Measure
from webapp.coaching.models import Cycle, Goal
from webapp.coaching.progress_schemas import CycleProgressOut
from webapp.coaching.schemas import (
    CycleCreate,
    CycleList,
    CycleOut,
    CycleUpdate,
    FrameworkCreate,
    FrameworkList,
    FrameworkOut,
    GoalCreate,
    GoalList,
    GoalOut,
    GoalUpdate,
    MoveCreate,
    MoveList,
    MoveOut,
    MoveUpdate,
    PairingCreate,
    PairingList,
    PairingListQuery,
    PairingOut,
)
from webapp.openapi import operation
from webapp.schemas import Out
from webapp.sharing.audit import admin_action

api = Blueprint("coaching_api", __name__, url_prefix="/api/v1")
api.openapi_tag = "Coaching"


@api.get("/pairings")
@login_required
@operation(query=PairingListQuery, response=PairingList)
def list_pairings(query: PairingListQuery):
    """Pairings: every one for admins, the ones I am part of for others.

    Open (pending and active) pairings only, unless `all` asks for closed ones too.
    """
    found = pairings.pairings_of(current_user, include_closed=query.all)
    return PairingList(pairings=found)


@api.post("/pairings")
@login_required
@operation(body=PairingCreate, response=PairingOut, status=201, errors=(403, 404, 409))
def create_pairing(body: PairingCreate):
    """Ask for a pairing: an admin for any coach and teacher, a coach for a teacher of their school.

    The pairing is pending, and grants nothing, until the teacher accepts it.
    """
    coach, teacher = pairings.pairing_parties(current_user, body.coach_id, body.teacher_id)
    pairing = pairings.pair(coach, teacher, requested_by=current_user)
    return PairingOut.model_validate(pairing)


@api.post("/pairings/<int:pairing_id>/<any(accept, decline):answer>")
@login_required
@operation(response=PairingOut, errors=(403, 404, 409))
def answer_pairing(pairing_id: int, answer: str):
    """The teacher accepts or declines a coaching request; only then may the coach see anything."""
    pairing = pairings.load_pairing(pairing_id, current_user)
    pairings.respond(pairing, current_user, accept=answer == "accept")
    return PairingOut.model_validate(pairing)


@api.post("/pairings/<int:pairing_id>/end")
@login_required
@operation(response=PairingOut, errors=(404,))
def end_pairing(pairing_id: int):
    """End an active pairing or withdraw a pending request: the teacher, the coach or an admin."""
    pairing = pairings.load_pairing(pairing_id, current_user)
    pairings.end_pairing(pairing, current_user)
    return PairingOut.model_validate(pairing)


@api.get("/frameworks")
@login_required
@operation(response=FrameworkList)
def list_frameworks():
    """Every framework with its moves (archived ones flagged)."""
    return FrameworkList(frameworks=services.list_frameworks())


@api.post("/frameworks")
@role_required(Role.ADMIN)
@operation(body=FrameworkCreate, response=FrameworkOut, status=201, errors=(403, 409))
def create_framework(body: FrameworkCreate):
    """Create an empty framework (admins only)."""
    framework = services.create_framework(body.name, body.description)
    admin_action("framework.created", framework=framework.name)
    return FrameworkOut.model_validate(framework)


@api.get("/frameworks/<int:framework_id>/moves")
@login_required
@operation(response=MoveList, errors=(404,))
def list_moves(framework_id: int):
    """The moves of one framework, in display order."""
    return MoveList.model_validate(services.get_framework(framework_id))


@api.post("/frameworks/<int:framework_id>/moves")
@role_required(Role.ADMIN)
@operation(body=MoveCreate, response=MoveOut, status=201, errors=(403, 404, 409))
def create_move(framework_id: int, body: MoveCreate):
    """Add a move to a framework (admins only)."""
    framework = services.get_framework(framework_id)
    move = services.add_move(framework, **body.model_dump())
    admin_action("move.added", framework=framework.name, move=move.name, code=move.code)
    return MoveOut.model_validate(move)


@api.patch("/moves/<int:move_id>")
@role_required(Role.ADMIN)
@operation(body=MoveUpdate, response=MoveOut, errors=(403, 404, 409))
def update_move(move_id: int, body: MoveUpdate):
    """Edit a move, reorder it, or archive and restore it (admins only; never deleted)."""
    move = services.get_move(move_id)
    sent = body.sent()
    services.update_move(move, {k: v for k, v in sent.items() if k in services.MOVE_FIELDS})
    if "archived" in sent:
        services.archive_move(move, sent["archived"])
    admin_action("move.updated", move=move.name, code=move.code, fields=", ".join(sorted(sent)))
    return MoveOut.model_validate(move)


def _with_goals(model: type[Out], data, cycles: list[Cycle]):
    """An answer with goals in it: their baselines are computed for me, from my lessons."""
    baselines = progress.baselines(cycles, current_user)
    return model.model_validate(data, context={"baselines": baselines})


@api.get("/cycles")
@login_required
@operation(response=CycleList)
def list_cycles():
    """Cycles I take part in."""
    cycles = services.cycles_for(current_user)
    return _with_goals(CycleList, {"cycles": cycles}, cycles)


def _measure(goal: GoalCreate) -> Measure:
    return Measure(goal.metric, goal.target, goal.direction, goal.threshold_s)


@api.post("/cycles")
@login_required
@operation(body=CycleCreate, response=CycleOut, status=201, errors=(404,))
def create_cycle(body: CycleCreate):
    """Open a cycle: a coach names a teacher they coach, a teacher names one of their coaches."""
    teacher, coach = pairings.cycle_parties(
        current_user, teacher_id=body.teacher_id, coach_id=body.coach_id
    )
    framework = services.get_framework(body.framework_id) if body.framework_id else None
    cycle = services.create_cycle(
        teacher=teacher,
        coach=coach,
        title=body.title,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        status=body.status,
        framework=framework,
        goals=[(goal.statement, services.moves_by_ids(goal.move_ids), _measure(goal))
               for goal in body.goals],
    )  # fmt: skip
    return _with_goals(CycleOut, cycle, [cycle])


@api.get("/cycles/<int:cycle_id>")
@login_required
@operation(response=CycleOut, errors=(404,))
def get_cycle(cycle_id: int):
    """One cycle I take part in, with its goals."""
    cycle = permissions.load(Cycle, cycle_id)
    return _with_goals(CycleOut, cycle, [cycle])


@api.patch("/cycles/<int:cycle_id>")
@login_required
@operation(body=CycleUpdate, response=CycleOut, errors=(404,))
def update_cycle(cycle_id: int, body: CycleUpdate):
    """Change a cycle's title, dates or status (planned, active, closed)."""
    cycle = permissions.load(Cycle, cycle_id, edit=True)
    services.update_cycle(cycle, body.sent())
    return _with_goals(CycleOut, cycle, [cycle])


@api.get("/cycles/<int:cycle_id>/goals")
@login_required
@operation(response=GoalList, errors=(404,))
def list_goals(cycle_id: int):
    """The goals of a cycle I take part in."""
    cycle = permissions.load(Cycle, cycle_id)
    return _with_goals(GoalList, cycle, [cycle])


@api.post("/cycles/<int:cycle_id>/goals")
@login_required
@operation(body=GoalCreate, response=GoalOut, status=201, errors=(404,))
def create_goal(cycle_id: int, body: GoalCreate):
    """Add a goal, optionally linked to moves of the cycle's framework and measured by a
    lesson figure with a target."""
    cycle = permissions.load(Cycle, cycle_id, edit=True)
    moves = services.moves_by_ids(body.move_ids)
    goal = services.add_goal(cycle, body.statement, moves, _measure(body))
    return _with_goals(GoalOut, goal, [cycle])


@api.patch("/goals/<int:goal_id>")
@login_required
@operation(body=GoalUpdate, response=GoalOut, errors=(404,))
def update_goal(goal_id: int, body: GoalUpdate):
    """Reword a goal, replace its linked moves, or change its metric, target and direction."""
    goal = permissions.load(Goal, goal_id, edit=True)
    sent = body.sent()
    moves = services.moves_by_ids(sent["move_ids"]) if "move_ids" in sent else None
    services.update_goal(goal, sent.get("statement"), moves, Measure.of(goal).changed(sent))
    return _with_goals(GoalOut, goal, [goal.cycle])


@api.get("/cycles/<int:cycle_id>/progress")
@login_required
@operation(response=CycleProgressOut, errors=(404,))
def cycle_progress(cycle_id: int):
    """Each measured goal's figure per lesson, its baseline, and whether the target is met.

    Lessons are the cycle's videos I may watch, oldest first; one not analysed yet has a null
    value and says why. The baseline is the figure at the first lesson that has one.
    """
    cycle = permissions.load(Cycle, cycle_id)
    found = progress.cycle_progress(cycle, current_user)
    for video in progress.shown_videos(found):
        permissions.mark_read(video)
    return CycleProgressOut.model_validate({"cycle_id": cycle.id, "goals": found})
