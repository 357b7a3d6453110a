"""Cycle pages for teachers and coaches: list, open, edit, change status, and the evidence."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp import permissions
from webapp.auth.models import Role
from webapp.coaching import chart, evidence, forms, measures, pairings, progress, services
from webapp.coaching.models import Cycle, CycleStatus
from webapp.errors import DebriefError, ValidationError
from webapp.http import form_id
from webapp.program import feedback
from webapp.transaction import on_error

bp = Blueprint("coaching_pages", __name__, template_folder="templates")

STATUS_ACTIONS = {
    CycleStatus.ACTIVE: "Start the cycle",
    CycleStatus.CLOSED: "Close the cycle",
}


@bp.get("/cycles")
@login_required
def list_cycles():
    """List the cycles I take part in, with their video and note counts."""
    cycles = services.cycles_for(current_user)
    counts = evidence.cycle_counts(cycles, current_user)
    return render_template("coaching/cycles.html", cycles=cycles, counts=counts)


def _partners() -> list:
    """Whom the current user can open a cycle with: their coaches, or the teachers they coach."""
    if current_user.role == Role.TEACHER:
        return pairings.coaches_of(current_user)
    return pairings.teachers_of(current_user)


def _form_page(cycle: Cycle | None, errors: dict, status: int = 200):
    form = request.form if request.method == "POST" else None
    framework = cycle.framework if cycle else _chosen_framework()
    return render_template(
        "coaching/cycle_form.html",
        cycle=cycle,
        form=form or {},
        errors=errors,
        partners=[] if cycle else [(u.id, u.name) for u in _partners()],
        frameworks=services.list_frameworks(),
        framework=framework,
        move_groups=forms.move_groups(framework.moves),
        goals=forms.goal_rows(form, cycle),
        metrics=[("", "Not measured")] + [(m, spec.label) for m, spec in measures.METRICS.items()],
        directions=list(measures.DIRECTIONS.items()),
    ), status


def _chosen_framework():
    framework_id = form_id(request.values.get("framework_id"))
    return services.get_framework(framework_id) if framework_id else services.default_framework()


def _form_again(err: DebriefError, cycle_id: int | None = None):
    """The cycle form once more, with what was wrong beside each field and the input kept."""
    flash(err.message, "error")
    cycle = permissions.load(Cycle, cycle_id, edit=True) if cycle_id else None
    return _form_page(cycle, err.fields, err.status)


@bp.get("/cycles/new")
@login_required
def new_cycle():
    """Show the form to open a cycle."""
    return _form_page(None, {})


@bp.post("/cycles/new")
@login_required
@on_error(_form_again)
def create_cycle():
    """Open a cycle with one to three goals, each optionally linked to moves."""
    form, errors = request.form, {}
    framework = services.get_framework(form_id(form.get("framework_id")) or 0)
    parties = _collect(
        errors,
        pairings.cycle_parties,
        current_user,
        teacher_id=form_id(form.get("teacher_id")),
        coach_id=form_id(form.get("coach_id")),
    )
    changes = _collect(errors, forms.cycle_changes, form)
    specs = _collect(errors, forms.goal_specs, forms.goal_rows(form), framework.moves)
    if changes:
        errors |= services.cycle_field_errors(**changes)
    if errors:
        raise ValidationError("Please correct the highlighted fields.", errors)
    teacher, coach = parties
    cycle = services.create_cycle(
        teacher=teacher,
        coach=coach,
        framework=framework,
        goals=[spec[1:] for spec in specs],
        **changes,
    )
    flash(f"Opened the cycle {cycle.title}.", "success")
    return redirect(url_for("coaching_pages.show_cycle", cycle_id=cycle.id))


def _collect(errors: dict, parse, *args, **kwargs):
    """Run one parsing step, adding its field errors so the form can show them all at once."""
    try:
        return parse(*args, **kwargs)
    except ValidationError as err:
        errors |= err.fields
        return None


@bp.get("/cycles/<int:cycle_id>")
@login_required
def show_cycle(cycle_id: int):
    """Show a cycle's goals, its videos, each measured goal's chart and the evidence for each."""
    cycle = permissions.load(Cycle, cycle_id)
    found = evidence.cycle_evidence(cycle, current_user)
    measured = progress.cycle_progress(cycle, current_user, [row.video for row in found.videos])
    shown = {video.id for video in progress.shown_videos(measured)}
    for row in found.videos:
        if row.notes or row.video.id in shown:  # its notes or figures are on this page
            permissions.mark_read(row.video)
    return render_template(
        "coaching/cycle.html",
        cycle=cycle,
        evidence=found,
        charts={item.goal.id: chart.chart(item) for item in measured},
        next_statuses=[
            (s, "Reopen the cycle" if cycle.status == CycleStatus.CLOSED else STATUS_ACTIONS[s])
            for s in sorted(services.STATUS_NEXT[cycle.status])
        ],
        panel=feedback.cycle_panel(cycle, current_user),
        questions=feedback.QUESTIONS,
        scale=feedback.SCALE,
        form={},
        errors={},
    )


@bp.get("/cycles/<int:cycle_id>/edit")
@login_required
def edit_cycle(cycle_id: int):
    """Show the form to change a cycle and its goals."""
    return _form_page(permissions.load(Cycle, cycle_id, edit=True), {})


@bp.post("/cycles/<int:cycle_id>/edit")
@login_required
@on_error(_form_again)
def update_cycle(cycle_id: int):
    """Save a cycle's title, dates, status and goals; new goals fill the empty slots."""
    cycle = permissions.load(Cycle, cycle_id, edit=True)
    goals = {goal.id: goal for goal in cycle.goals}
    services.update_cycle(cycle, forms.cycle_changes(request.form))
    specs = forms.goal_specs(forms.goal_rows(request.form), cycle.framework.moves)
    for goal_id, statement, moves, measure in specs:
        if goal_id in goals:
            services.update_goal(goals[goal_id], statement, moves, measure)
        else:
            services.add_goal(cycle, statement, moves, measure)
    flash("Saved the cycle.", "success")
    return redirect(url_for("coaching_pages.show_cycle", cycle_id=cycle.id))


def _status_not_changed(err: DebriefError, cycle_id: int):
    flash(f"{err.message} {' '.join(err.fields.values())}".strip(), "error")
    return redirect(url_for("coaching_pages.show_cycle", cycle_id=cycle_id))


@bp.post("/cycles/<int:cycle_id>/status")
@login_required
@on_error(_status_not_changed)
def set_status(cycle_id: int):
    """Move a cycle on: planned to active to closed, or reopen a closed one."""
    cycle = permissions.load(Cycle, cycle_id, edit=True)
    services.update_cycle(cycle, {"status": request.form.get("status", "")})
    flash(f"The cycle is now {cycle.status}.", "success")
    return redirect(url_for("coaching_pages.show_cycle", cycle_id=cycle.id))


@bp.post("/pairings/<int:pairing_id>/<any(accept, decline):answer>")
@login_required
def answer_pairing(pairing_id: int, answer: str):
    """The teacher accepts or declines a coaching request from their home page."""
    pairing = pairings.load_pairing(pairing_id, current_user)
    pairings.respond(pairing, current_user, accept=answer == "accept")
    if pairing.active:
        flash(f"{pairing.coach.name} is now your coach and can see your videos.", "success")
    else:
        flash(f"Declined. {pairing.coach.name} cannot see your videos.", "success")
    return redirect(url_for("home.index"))


@bp.post("/pairings/<int:pairing_id>/end")
@login_required
def end_pairing(pairing_id: int):
    """The teacher or the coach ends their pairing (or withdraws a request); access ends now."""
    pairing = pairings.end_pairing(pairings.load_pairing(pairing_id, current_user), current_user)
    other = pairing.coach if current_user.id == pairing.teacher_id else pairing.teacher
    flash(f"Ended the coaching pairing with {other.name}.", "success")
    return redirect(url_for("home.index"))


def _not_asked(err: DebriefError):
    flash(err.message, "error")
    return redirect(url_for("home.index"))


@bp.post("/pairings")
@login_required
@on_error(_not_asked)
def request_pairing():
    """A coach asks a teacher of their school to accept them as coach."""
    coach, teacher = pairings.pairing_parties(
        current_user, current_user.id, form_id(request.form.get("teacher_id"))
    )
    pairings.pair(coach, teacher, requested_by=current_user)
    flash(f"Asked {teacher.name} to accept you as their coach.", "success")
    return redirect(url_for("home.index"))
