"""JSON API for pairings, frameworks, moves, cycles and goals."""

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from webapp import permissions
from webapp.auth.login import role_required
from webapp.auth.models import Role
from webapp.coaching import pairings, services
from webapp.coaching.forms import parse_date
from webapp.coaching.models import Cycle, Goal, Move, Pairing
from webapp.errors import ValidationError
from webapp.http import json_body, optional_int, require_fields
from webapp.sharing.audit import admin_action

api = Blueprint("coaching_api", __name__, url_prefix="/api/v1")


def _pairing_json(pairing: Pairing) -> dict:
    return {
        "id": pairing.id,
        "coach": pairing.coach.public(),
        "teacher": pairing.teacher.public(),
        "status": pairing.status,
        "active": pairing.active,
        "started_at": pairing.started_at.isoformat() + "Z",
        "accepted_at": pairing.accepted_at.isoformat() + "Z" if pairing.accepted_at else None,
        "ended_at": pairing.ended_at.isoformat() + "Z" if pairing.ended_at else None,
    }


def _framework_json(framework) -> dict:
    return {
        "id": framework.id,
        "name": framework.name,
        "description": framework.description,
        "is_default": framework.is_default,
        "moves": framework.moves_json(),
    }


def _move_json(move: Move) -> dict:
    keys = {m.id: n for n, m in enumerate(move.framework.quick_moves, start=1)}
    return move.to_json(keys.get(move.id))


@api.get("/pairings")
@login_required
def list_pairings():
    """Admins see every pairing; others the pairings they are part of (`?all=1`: closed too)."""
    found = pairings.pairings_of(current_user, include_closed=request.args.get("all") == "1")
    return jsonify({"pairings": [_pairing_json(p) for p in found]})


@api.post("/pairings")
@login_required
def create_pairing():
    """Ask for a pairing: an admin for any coach and teacher, a coach for a teacher of their school.

    The pairing is pending, and grants nothing, until the teacher accepts it.
    """
    data = json_body()
    require_fields(data, "teacher_id")
    coach, teacher = pairings.pairing_parties(
        current_user, optional_int(data, "coach_id"), optional_int(data, "teacher_id")
    )
    pairing = pairings.pair(coach, teacher, requested_by=current_user)
    return jsonify(_pairing_json(pairing)), 201


@api.post("/pairings/<int:pairing_id>/<any(accept, decline):answer>")
@login_required
def answer_pairing(pairing_id: int, answer: str):
    """The teacher accepts or declines a coaching request; only then may the coach see anything."""
    pairing = pairings.load_pairing(pairing_id, current_user)
    pairings.respond(pairing, current_user, accept=answer == "accept")
    return jsonify(_pairing_json(pairing))


@api.post("/pairings/<int:pairing_id>/end")
@login_required
def end_pairing(pairing_id: int):
    """End an active pairing or withdraw a pending request: the teacher, the coach or an admin."""
    pairing = pairings.load_pairing(pairing_id, current_user)
    pairings.end_pairing(pairing, current_user)
    return jsonify(_pairing_json(pairing))


@api.get("/frameworks")
@login_required
def list_frameworks():
    """Every framework with its moves (archived ones flagged)."""
    return jsonify({"frameworks": [_framework_json(f) for f in services.list_frameworks()]})


@api.post("/frameworks")
@role_required(Role.ADMIN)
def create_framework():
    """Create an empty framework (admins only)."""
    data = json_body()
    framework = services.create_framework(
        str(data.get("name") or ""), str(data.get("description") or "")
    )
    admin_action("framework.created", framework=framework.name)
    return jsonify(_framework_json(framework)), 201


@api.get("/frameworks/<int:framework_id>/moves")
@login_required
def list_moves(framework_id: int):
    """The moves of one framework, in display order."""
    framework = services.get_framework(framework_id)
    return jsonify({"moves": framework.moves_json()})


@api.post("/frameworks/<int:framework_id>/moves")
@role_required(Role.ADMIN)
def create_move(framework_id: int):
    """Add a move to a framework (admins only)."""
    data = json_body()
    framework = services.get_framework(framework_id)
    move = services.add_move(
        framework,
        name=str(data.get("name") or ""),
        code=str(data.get("code") or ""),
        colour=str(data.get("colour") or ""),
        description=str(data.get("description") or ""),
        group=str(data.get("group") or ""),
    )
    admin_action("move.added", framework=framework.name, move=move.name, code=move.code)
    return jsonify(_move_json(move)), 201


@api.patch("/moves/<int:move_id>")
@role_required(Role.ADMIN)
def update_move(move_id: int):
    """Edit a move, reorder it, or archive and restore it (admins only; never deleted)."""
    move = services.get_move(move_id)
    data = json_body()
    services.update_move(move, {k: data[k] for k in services.MOVE_FIELDS if k in data})
    if "archived" in data:
        if not isinstance(data["archived"], bool):
            raise ValidationError("archived is true or false.", {"archived": "true or false."})
        services.archive_move(move, data["archived"])
    admin_action("move.updated", move=move.name, code=move.code, fields=", ".join(sorted(data)))
    return jsonify(_move_json(move))


@api.get("/cycles")
@login_required
def list_cycles():
    """Cycles I take part in."""
    return jsonify({"cycles": [c.to_json() for c in services.cycles_for(current_user)]})


def _goal_specs(goals) -> list:
    """Goals as sent: statements, or {statement, move_ids} objects."""
    if not isinstance(goals, list):
        raise ValidationError("goals must be a list.", {"goals": "A list."})
    specs = []
    for goal in goals:
        if isinstance(goal, str):
            specs.append(goal)
        elif isinstance(goal, dict):
            moves = services.moves_by_ids(goal.get("move_ids") or [])
            specs.append((str(goal.get("statement") or ""), moves))
        else:
            raise ValidationError("Each goal is a statement or an object.", {"goals": "Bad item."})
    return specs


@api.post("/cycles")
@login_required
def create_cycle():
    """Open a cycle: a coach names a teacher they coach, a teacher names one of their coaches."""
    data = json_body()
    require_fields(data, "title")
    teacher, coach = pairings.cycle_parties(
        current_user,
        teacher_id=optional_int(data, "teacher_id"),
        coach_id=optional_int(data, "coach_id"),
    )
    framework_id = optional_int(data, "framework_id")
    cycle = services.create_cycle(
        teacher=teacher,
        coach=coach,
        title=str(data["title"]),
        starts_on=parse_date(data.get("starts_on"), "starts_on"),
        ends_on=parse_date(data.get("ends_on"), "ends_on"),
        status=str(data.get("status") or "planned"),
        framework=services.get_framework(framework_id) if framework_id else None,
        goals=_goal_specs(data.get("goals") or []),
    )
    return jsonify(cycle.to_json()), 201


@api.get("/cycles/<int:cycle_id>")
@login_required
def get_cycle(cycle_id: int):
    """One cycle I take part in, with its goals."""
    return jsonify(permissions.load(Cycle, cycle_id).to_json())


@api.patch("/cycles/<int:cycle_id>")
@login_required
def update_cycle(cycle_id: int):
    """Change a cycle's title, dates or status (planned, active, closed)."""
    cycle = permissions.load(Cycle, cycle_id, edit=True)
    data = json_body()
    changes = {k: str(data[k] or "") for k in ("title", "status") if k in data}
    changes |= {k: parse_date(data.get(k), k) for k in ("starts_on", "ends_on") if k in data}
    services.update_cycle(cycle, changes)
    return jsonify(cycle.to_json())


@api.get("/cycles/<int:cycle_id>/goals")
@login_required
def list_goals(cycle_id: int):
    """The goals of a cycle I take part in."""
    cycle = permissions.load(Cycle, cycle_id)
    return jsonify({"goals": [goal.to_json() for goal in cycle.goals]})


@api.post("/cycles/<int:cycle_id>/goals")
@login_required
def create_goal(cycle_id: int):
    """Add a goal, optionally linked to moves of the cycle's framework."""
    cycle = permissions.load(Cycle, cycle_id, edit=True)
    data = json_body()
    moves = services.moves_by_ids(data.get("move_ids") or [])
    goal = services.add_goal(cycle, str(data.get("statement") or ""), moves)
    return jsonify(goal.to_json()), 201


@api.patch("/goals/<int:goal_id>")
@login_required
def update_goal(goal_id: int):
    """Reword a goal or replace its linked moves."""
    goal = permissions.load(Goal, goal_id, edit=True)
    data = json_body()
    statement = str(data["statement"] or "") if "statement" in data else None
    moves = services.moves_by_ids(data["move_ids"] or []) if "move_ids" in data else None
    services.update_goal(goal, statement, moves)
    return jsonify(goal.to_json())
