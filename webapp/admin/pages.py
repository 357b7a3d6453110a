"""Admin pages: program overview, people (and deleting accounts), pairings, frameworks,
schools' privacy settings and the admin log."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from webapp import db
from webapp.auth import services as accounts
from webapp.auth.login import role_required
from webapp.auth.models import Role, School
from webapp.auth.pages import account_not_deleted, deletion_page
from webapp.coaching import pairings as pairing_service
from webapp.coaching import services as coaching
from webapp.errors import DebriefError, NotFound, ValidationError
from webapp.http import form_id, page_number
from webapp.program import chart, export, figures, outputs, rules
from webapp.sharing import audit, deletion, policies
from webapp.sharing.audit import admin_action
from webapp.transaction import on_error

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

LOG_PAGE = 100
MAX_PAGE = 10_000  # keeps the offset a small number on every database


@bp.before_request
@role_required(Role.ADMIN)
def _admins_only():
    """Every admin page is for admins only."""


@bp.get("/")
def overview():
    """The program view of my school: inputs, outputs, outcomes per month, with trends."""
    view = figures.program_view(current_user)
    return render_template(
        "admin/overview.html",
        view=view,
        trends={f.key: chart.trend(f, view.months) for f in view.figures if not f.note},
        rule=rules.RULE,
        outputs_definition=outputs.DEFINITION,
    )


@bp.get("/program.csv")
def program_csv():
    """The program view's cells as CSV, withheld ones as the page shows them."""
    view = figures.program_view(current_user)
    response = Response(export.to_csv(view), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="program.csv"'
    return response


@bp.get("/people")
def people():
    """List people and offer the form to add one."""
    return render_template("admin/people.html", users=accounts.list_users(), errors={}, form={})


def _person_not_added(err: DebriefError):
    flash(err.message, "error")
    return render_template(
        "admin/people.html", users=accounts.list_users(), errors=err.fields, form=request.form
    ), err.status


@bp.post("/people")
@on_error(_person_not_added)
def create_person():
    """Create an account in the admin's school."""
    form = request.form
    user = accounts.create_user(
        email=form.get("email", ""),
        name=form.get("name", ""),
        role=form.get("role", ""),
        password=form.get("password", ""),
        school=current_user.school,
    )
    admin_action("person.created", subject=user, email=user.email, role=user.role)
    flash(f"Added {user.name} as a {user.role}.", "success")
    return redirect(url_for("admin.people"))


@bp.post("/people/<int:user_id>/active")
def set_active(user_id: int):
    """Deactivate or reactivate an account."""
    user = accounts.get_user(user_id)
    active = request.form.get("active") == "1"
    if user.id == current_user.id and not active:
        flash("You cannot deactivate your own account.", "error")
        return redirect(url_for("admin.people"))
    accounts.set_active(user, active)
    admin_action("person.activated" if active else "person.deactivated", subject=user)
    flash(f"{user.name} is now {'active' if active else 'deactivated'}.", "success")
    return redirect(url_for("admin.people"))


@bp.get("/pairings")
def pairings():
    """List pairings and offer the form to create one."""
    return _pairings_page()


def _pairings_page(status: int = 200):
    users = accounts.list_users()
    return render_template(
        "admin/pairings.html",
        pairings=pairing_service.pairings_of(current_user, include_closed=True),
        coach_options=[(u.id, f"{u.name} ({u.email})") for u in users if u.can_coach and u.active],
        teacher_options=[
            (u.id, f"{u.name} ({u.email})") for u in users if u.role == Role.TEACHER and u.active
        ],
    ), status


def _pairing_not_asked(err: DebriefError):
    flash(err.message, "error")
    return _pairings_page(err.status)


@bp.post("/pairings")
@on_error(_pairing_not_asked)
def create_pairing():
    """Ask a teacher to accept a coach; the pairing grants nothing until they do."""
    coach_id = form_id(request.form.get("coach_id"))
    teacher_id = form_id(request.form.get("teacher_id"))
    if coach_id is None or teacher_id is None:
        raise ValidationError("Choose a coach and a teacher.")
    coach, teacher = pairing_service.pairing_parties(current_user, coach_id, teacher_id)
    pairing = pairing_service.pair(coach, teacher, requested_by=current_user)
    flash(
        f"Asked {pairing.teacher.name} to accept {pairing.coach.name} as their coach. "
        "Nothing is shared until they accept on their home page.",
        "success",
    )
    return redirect(url_for("admin.pairings"))


@bp.post("/pairings/<int:pairing_id>/end")
def end_pairing(pairing_id: int):
    """End a pairing or withdraw a request; the coach loses access at once."""
    pairing = pairing_service.end_pairing(pairing_service.get_pairing(pairing_id), current_user)
    flash(f"Ended the pairing of {pairing.coach.name} and {pairing.teacher.name}.", "success")
    return redirect(url_for("admin.pairings"))


@bp.get("/frameworks")
def frameworks():
    """Frameworks with their moves, and forms to add or archive moves."""
    return render_template("admin/frameworks.html", frameworks=coaching.list_frameworks())


def _framework_not_changed(err: DebriefError, **_view_args):
    flash(f"{err.message} {' '.join(err.fields.values())}".strip(), "error")
    return redirect(url_for("admin.frameworks"))


@bp.post("/frameworks")
@on_error(_framework_not_changed)
def create_framework():
    """Create an empty framework; moves are added to it below."""
    form = request.form
    framework = coaching.create_framework(form.get("name", ""), form.get("description", ""))
    admin_action("framework.created", framework=framework.name)
    flash(f"Created the framework {framework.name}. Add its moves below.", "success")
    return redirect(url_for("admin.frameworks", _anchor=f"fw-{framework.id}"))


@bp.post("/frameworks/<int:framework_id>/moves")
@on_error(_framework_not_changed)
def add_move(framework_id: int):
    """Add a move to a framework."""
    framework = coaching.get_framework(framework_id)
    form = request.form
    move = coaching.add_move(
        framework,
        name=form.get("name", ""),
        code=form.get("code", ""),
        colour=form.get("colour", ""),
        description=form.get("description", ""),
        group=form.get("group", ""),
    )
    admin_action("move.added", framework=framework.name, move=move.name, code=move.code)
    flash(f"Added the move {move.name}.", "success")
    return redirect(url_for("admin.frameworks"))


@bp.get("/moves/<int:move_id>")
def edit_move(move_id: int):
    """Show the form to edit a move."""
    move = coaching.get_move(move_id)
    return render_template("admin/move.html", move=move, form={}, errors={})


def _move_not_saved(err: DebriefError, move_id: int):
    flash(err.message, "error")
    move = coaching.get_move(move_id)
    return render_template("admin/move.html", move=move, form=request.form, errors=err.fields), 422


@bp.post("/moves/<int:move_id>")
@on_error(_move_not_saved)
def update_move(move_id: int):
    """Save a move's name, code, colour, description, group and place in the list."""
    move = coaching.get_move(move_id)
    form = request.form
    changes = {k: form.get(k, "") for k in coaching.MOVE_FIELDS if k != "position"}
    position = form_id(form.get("position"))
    if position is None or position < 1:
        raise ValidationError(
            "Please correct the highlighted fields.", {"position": "Enter a whole number from 1."}
        )
    coaching.update_move(move, changes | {"position": position - 1})
    admin_action("move.updated", move=move.name, code=move.code)
    flash(f"Saved the move {move.name}.", "success")
    return redirect(url_for("admin.frameworks", _anchor=f"fw-{move.framework_id}"))


@bp.post("/moves/<int:move_id>/archive")
def archive_move(move_id: int):
    """Archive or restore a move; annotations keep their tag either way."""
    move = coaching.get_move(move_id)
    archived = request.form.get("archived") == "1"
    coaching.archive_move(move, archived)
    admin_action("move.archived" if archived else "move.restored", move=move.name)
    flash(f"{move.name} is {'archived' if archived else 'restored'}.", "success")
    return redirect(url_for("admin.frameworks"))


@bp.route("/people/<int:user_id>/delete", methods=["GET", "POST"])
@on_error(account_not_deleted)
def delete_person(user_id: int):
    """Delete someone's account and all their recordings, after typing their email."""
    person = accounts.get_user(user_id)
    if person.id == current_user.id:
        return redirect(url_for("auth.delete_my_account"))
    error = None
    if request.method == "POST":
        if accounts.normalize_email(request.form.get("confirm_email", "")) == person.email:
            name = person.name
            deletion.delete_account(person, current_user._get_current_object())
            flash(f"Deleted {name}'s account and all their recordings.", "success")
            return redirect(url_for("admin.people"))
        error = f"Type {person.email} to confirm."
    return deletion_page(person, error)


@bp.get("/schools")
def schools():
    """Each school's consent policy and retention period."""
    return _schools_page({}, None)


def _schools_page(errors: dict, failed_id: int | None, status: int = 200):
    listed = list(db.session().scalars(select(School).order_by(School.name)))
    return render_template(
        "admin/schools.html", schools=listed, errors=errors, failed_id=failed_id
    ), status


def _school_not_saved(err: DebriefError, school_id: int):
    flash(err.message, "error")
    return _schools_page(err.fields, school_id, err.status)


@bp.post("/schools/<int:school_id>")
@on_error(_school_not_saved)
def update_school(school_id: int):
    """Save one school's consent policy and retention period."""
    school = db.session().get(School, school_id)
    if school is None:
        raise NotFound("No such school.")
    form = request.form
    policies.update_school(
        school,
        require_consent=form.get("require_consent") == "1",
        policy=form.get("consent_policy", ""),
        retention_days=form.get("retention_days", "").strip() or None,
    )
    audit.admin_action(
        "school.updated",
        school=school.name,
        require_consent=school.require_consent,
        consent_policy_version=school.consent_policy_version,
        retention_days=school.retention_days,
    )
    flash(f"Saved the privacy settings of {school.name}.", "success")
    return redirect(url_for("admin.schools", _anchor=f"school-{school.id}"))


@bp.get("/log")
def admin_log():
    """What admins did, and which accounts were deleted, newest first."""
    page = min(page_number(), MAX_PAGE)
    events = audit.admin_events(limit=LOG_PAGE + 1, offset=(page - 1) * LOG_PAGE)
    return render_template(
        "admin/admin_log.html",
        events=events[:LOG_PAGE],
        page=page,
        more=len(events) > LOG_PAGE,
    )
