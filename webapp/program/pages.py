"""The teacher's feedback form on a closed cycle (the cycle page shows the same questions)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp import permissions
from webapp.coaching.models import Cycle
from webapp.errors import DebriefError, Forbidden
from webapp.http import form_id
from webapp.program import feedback
from webapp.transaction import on_error

bp = Blueprint("program_pages", __name__, template_folder="templates")


def _teachers_cycle(cycle_id: int) -> Cycle:
    """The cycle, if I may see it (else 404), and if I am its teacher (else 403)."""
    cycle = permissions.load(Cycle, cycle_id)
    if cycle.teacher_id != current_user.id:
        raise Forbidden("Only the cycle's teacher answers these questions.")
    return cycle


def _page(cycle: Cycle, errors: dict, status: int = 200):
    return render_template(
        "program/feedback.html",
        cycle=cycle,
        panel=feedback.cycle_panel(cycle, current_user),
        questions=feedback.QUESTIONS,
        scale=feedback.SCALE,
        form=request.form if request.method == "POST" else {},
        errors=errors,
    ), status


@bp.get("/cycles/<int:cycle_id>/feedback")
@login_required
def feedback_form(cycle_id: int):
    """Show the three questions on a closed cycle, or my answer once given."""
    return _page(_teachers_cycle(cycle_id), {})


def _not_answered(err: DebriefError, cycle_id: int):
    flash(err.message, "error")
    return _page(_teachers_cycle(cycle_id), err.fields, err.status)


@bp.post("/cycles/<int:cycle_id>/feedback")
@login_required
@on_error(_not_answered)
def answer_feedback(cycle_id: int):
    """Record my answer on a closed cycle's coaching; the comment goes to the coach if ticked."""
    cycle = _teachers_cycle(cycle_id)
    form = request.form
    ratings = {name: form_id(form.get(name)) for name in feedback.QUESTIONS}
    feedback.answer(
        cycle, current_user, ratings, form.get("comment", ""), form.get("share_comment") == "1"
    )
    flash(
        "Thank you. Your coach sees averages only, once 3 or more teachers have answered.",
        "success",
    )
    return redirect(url_for("coaching_pages.show_cycle", cycle_id=cycle.id))
