"""Cycle pages for teachers and coaches."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from webapp import permissions
from webapp.coaching import services
from webapp.coaching.models import Cycle

bp = Blueprint("coaching_pages", __name__, template_folder="templates")


@bp.get("/cycles")
@login_required
def list_cycles():
    """List the cycles I take part in."""
    return render_template("coaching/cycles.html", cycles=services.cycles_for(current_user))


@bp.get("/cycles/<int:cycle_id>")
@login_required
def show_cycle(cycle_id: int):
    """Show a cycle's goals and the moves linked to them."""
    cycle = permissions.load(Cycle, cycle_id)
    return render_template("coaching/cycle.html", cycle=cycle)
