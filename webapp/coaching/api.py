"""JSON API for pairings, frameworks, moves, cycles and goals."""

from datetime import date

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from webapp import db, permissions
from webapp.auth import services as accounts
from webapp.auth.login import role_required
from webapp.auth.models import Role
from webapp.coaching import services
from webapp.coaching.models import Cycle, Move, Pairing
from webapp.errors import ValidationError
from webapp.http import json_body, optional_int, require_fields

api = Blueprint("coaching_api", __name__, url_prefix="/api/v1")


def _pairing_json(pairing: Pairing) -> dict:
    return {
        "id": pairing.id,
        "coach": pairing.coach.public(),
        "teacher": pairing.teacher.public(),
        "active": pairing.active,
        "started_at": pairing.started_at.isoformat() + "Z",
        "ended_at": pairing.ended_at.isoformat() + "Z" if pairing.ended_at else None,
    }


def _framework_json(framework) -> dict:
    return {
        "id": framework.id,
        "name": framework.name,
        "description": framework.description,
        "is_default": framework.is_default,
        "moves": [move.to_json() for move in framework.moves],
    }


def _date(data: dict, name: str) -> date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError("Dates use the form YYYY-MM-DD.", {name: "Use YYYY-MM-DD."}) from None


@api.get("/pairings")
@login_required
def list_pairings():
    """Admins see every pairing; others see the pairings they are part of."""
    pairings = services.list_pairings(include_ended=request.args.get("all") == "1")
    if current_user.role != Role.ADMIN:
        pairings = [p for p in pairings if current_user.id in (p.coach_id, p.teacher_id)]
    return jsonify({"pairings": [_pairing_json(p) for p in pairings]})


@api.post("/pairings")
@role_required(Role.ADMIN)
def create_pairing():
    """Pair a coach with a teacher (admins only)."""
    data = json_body()
    require_fields(data, "coach_id", "teacher_id")
    coach = accounts.get_user(optional_int(data, "coach_id"))
    teacher = accounts.get_user(optional_int(data, "teacher_id"))
    pairing = services.pair(coach, teacher)
    db.session().commit()
    return jsonify(_pairing_json(pairing)), 201


@api.get("/frameworks")
@login_required
def list_frameworks():
    """Every framework with its moves (archived ones flagged)."""
    services.default_framework()
    db.session().commit()
    return jsonify({"frameworks": [_framework_json(f) for f in services.list_frameworks()]})


@api.post("/frameworks")
@role_required(Role.ADMIN)
def create_framework():
    """Create an empty framework (admins only)."""
    data = json_body()
    framework = services.create_framework(
        str(data.get("name") or ""), str(data.get("description") or "")
    )
    db.session().commit()
    return jsonify(_framework_json(framework)), 201


@api.get("/frameworks/<int:framework_id>/moves")
@login_required
def list_moves(framework_id: int):
    """The moves of one framework, in display order."""
    framework = services.get_framework(framework_id)
    return jsonify({"moves": [move.to_json() for move in framework.moves]})


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
    db.session().commit()
    return jsonify(move.to_json()), 201


@api.get("/cycles")
@login_required
def list_cycles():
    """Cycles I take part in."""
    return jsonify({"cycles": [c.to_json() for c in services.cycles_for(current_user)]})


@api.post("/cycles")
@role_required(Role.COACH, Role.ADMIN)
def create_cycle():
    """Open a cycle with a teacher I coach, with up to three goals."""
    data = json_body()
    require_fields(data, "teacher_id", "title")
    goals = data.get("goals") or []
    if not isinstance(goals, list) or not all(isinstance(g, str) for g in goals):
        raise ValidationError("goals must be a list of statements.", {"goals": "List of text."})
    teacher = accounts.get_user(optional_int(data, "teacher_id"))
    cycle = services.create_cycle(
        teacher=teacher,
        coach=current_user,
        title=str(data["title"]),
        starts_on=_date(data, "starts_on"),
        ends_on=_date(data, "ends_on"),
        status=str(data.get("status") or "planned"),
        goals=goals,
    )
    db.session().commit()
    return jsonify(cycle.to_json()), 201


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
    move_ids = data.get("move_ids") or []
    if not isinstance(move_ids, list) or not all(isinstance(i, int) for i in move_ids):
        raise ValidationError("move_ids must be a list of ids.", {"move_ids": "List of ids."})
    moves = [db.session().get(Move, i) for i in move_ids]
    if any(m is None for m in moves):
        raise ValidationError("Unknown move.", {"move_ids": "One of these moves does not exist."})
    goal = services.add_goal(cycle, str(data.get("statement") or ""), moves)
    db.session().commit()
    return jsonify(goal.to_json()), 201
