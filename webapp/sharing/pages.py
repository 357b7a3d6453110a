"""Pages: sharing from the video page, deleting accounts, and schools' privacy settings."""

from datetime import datetime, time, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp import access, db, permissions
from webapp.auth import ratelimit
from webapp.auth import services as accounts
from webapp.auth.login import end_session, role_required
from webapp.auth.models import Role, School
from webapp.auth.passwords import verify_password
from webapp.db import utcnow
from webapp.errors import DebriefError, NotFound
from webapp.http import page_number
from webapp.sharing import audit, deletion, policies, services
from webapp.transaction import on_error
from webapp.video.models import Video

bp = Blueprint("sharing", __name__, template_folder="templates")
bp.after_app_request(audit.record_video_view)

LOG_PAGE = 100
MAX_PAGE = 10_000  # keeps the offset a small number on every database


@bp.app_template_global()
def sharing_panel(video: Video) -> dict:
    """What the video page's privacy panel shows the current user."""
    owner = current_user.id == video.owner_id
    return {
        "owner": owner,
        "shares": services.shares_of(video) if owner else [],
        "viewers": audit.viewers(video) if owner else [],
        "history": (
            audit.video_events(video, actions=audit.SHARING_ACTIONS, limit=50) if owner else []
        ),
        "my_share": None
        if owner or _coaches(video)
        else services.active_share(video, current_user),
        "deletion": policies.deletion_notice(video),
        "today": utcnow().date(),
    }


def _coaches(video: Video) -> bool:
    return access.is_coaching(current_user, video.owner_id)


@bp.app_template_filter("until")
def until(value: datetime | str) -> str:
    """An end as people say it: a share ending at midnight lasts through the day before."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.removesuffix("Z"))
    if value.time() == time():
        return (value - timedelta(days=1)).strftime("the end of %d %b %Y (UTC)")
    return value.strftime("%d %b %Y %H:%M UTC")


def _back_to(video_id: int):
    return redirect(url_for("video_pages.show", video_id=video_id, _anchor="sharing"))


def _not_shared(err: DebriefError, video_id: int):
    flash(err.message, "error")
    return _back_to(video_id)


@bp.post("/videos/<int:video_id>/shares")
@login_required
@on_error(_not_shared)
def share(video_id: int):
    """Share the video from its page."""
    video = permissions.load(Video, video_id, edit=True)
    form = request.form
    created = services.share(
        video,
        current_user,
        email=form.get("email", ""),
        permission=form.get("permission", "view"),
        expires_at=form.get("expires_at") or None,
    )
    what = "watch and comment on" if created.permission == "comment" else "watch"
    flash(f"{created.user.name} can now {what} this video.", "success")
    return _back_to(video_id)


@bp.post("/videos/<int:video_id>/shares/<int:share_id>/revoke")
@login_required
def revoke(video_id: int, share_id: int):
    """Stop sharing the video with one person, from their next request on."""
    video = permissions.load(Video, video_id, edit=True)
    ended = services.get_share(video, share_id)
    services.revoke(ended)
    flash(f"{ended.user.name} can no longer see this video.", "success")
    return _back_to(video_id)


def _not_deleted(err: DebriefError, **_view_args):
    flash(err.message, "error")
    return redirect(request.path)


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@on_error(_not_deleted)
def delete_my_account():
    """Delete my account and all my recordings, after I confirm with my password."""
    user = current_user._get_current_object()
    error = None
    if request.method == "POST":
        password = request.form.get("password", "")
        # Throttled like sign-in: a left-open session must not become a password oracle.
        if ratelimit.check_password(
            user.email, lambda: verify_password(user.password_hash, password)
        ):
            return _delete_account(user, self_service=True)
        error = "That password is not right."
    return render_template(
        "sharing/delete_account.html",
        person=user,
        footprint=deletion.account_footprint(user),
        error=error,
    ), (422 if error else 200)


@bp.route("/admin/people/<int:user_id>/delete", methods=["GET", "POST"])
@role_required(Role.ADMIN)
@on_error(_not_deleted)
def delete_person(user_id: int):
    """Delete someone's account and all their recordings, after typing their email."""
    person = accounts.get_user(user_id)
    if person.id == current_user.id:
        return redirect(url_for("sharing.delete_my_account"))
    error = None
    if request.method == "POST":
        if accounts.normalize_email(request.form.get("confirm_email", "")) == person.email:
            return _delete_account(person, self_service=False)
        error = f"Type {person.email} to confirm."
    return render_template(
        "sharing/delete_account.html",
        person=person,
        footprint=deletion.account_footprint(person),
        error=error,
    ), (422 if error else 200)


def _delete_account(person, *, self_service: bool):
    name = person.name
    deletion.delete_account(person, current_user._get_current_object())
    if self_service:
        end_session()
        flash("Your account and all your recordings are deleted.", "info")
        return redirect(url_for("auth.login"))
    flash(f"Deleted {name}'s account and all their recordings.", "success")
    return redirect(url_for("admin.people"))


@bp.get("/admin/schools")
@role_required(Role.ADMIN)
def schools():
    """Each school's consent policy and retention period."""
    return _schools_page({}, None)


def _schools_page(errors: dict, failed_id: int | None, status: int = 200):
    listed = list(db.session().scalars(select(School).order_by(School.name)))
    return render_template(
        "sharing/schools.html", schools=listed, errors=errors, failed_id=failed_id
    ), status


def _school_not_saved(err: DebriefError, school_id: int):
    flash(err.message, "error")
    return _schools_page(err.fields, school_id, err.status)


@bp.post("/admin/schools/<int:school_id>")
@role_required(Role.ADMIN)
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
    return redirect(url_for("sharing.schools", _anchor=f"school-{school.id}"))


@bp.get("/admin/log")
@role_required(Role.ADMIN)
def admin_log():
    """What admins did, and which accounts were deleted, newest first."""
    page = min(page_number(), MAX_PAGE)
    events = audit.admin_events(limit=LOG_PAGE + 1, offset=(page - 1) * LOG_PAGE)
    return render_template(
        "sharing/admin_log.html",
        events=events[:LOG_PAGE],
        page=page,
        more=len(events) > LOG_PAGE,
    )
