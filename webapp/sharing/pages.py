"""Pages: sharing a video from its page, and the privacy panel the video page shows."""

from datetime import datetime, time, timedelta

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from webapp import access, permissions
from webapp.db import utcnow
from webapp.errors import DebriefError
from webapp.sharing import audit, policies, services
from webapp.transaction import on_error
from webapp.video.models import Video

bp = Blueprint("sharing", __name__, template_folder="templates")
bp.after_app_request(audit.record_video_view)


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
        expires_at=services.parse_expiry(form.get("expires_at") or None),
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
