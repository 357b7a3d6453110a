"""JSON API: a video's shares (owner only) and its audit record (owner only)."""

from flask import Blueprint
from flask_login import current_user, login_required

from webapp import permissions
from webapp.openapi import operation
from webapp.sharing import audit, services
from webapp.sharing.schemas import AuditPage, AuditQuery, ShareCreate, ShareList, ShareOut
from webapp.video.models import Video

api = Blueprint("sharing_api", __name__, url_prefix="/api/v1")
api.openapi_tag = "Sharing and audit"

AUDIT_PAGE = 100
MAX_PAGE = 10_000  # keeps the offset a small number on every database


@api.get("/videos/<int:video_id>/shares")
@login_required
@operation(response=ShareList, errors=(403, 404))
def list_shares(video_id: int):
    """Everyone the video is or was shared with; `active` tells which still count."""
    video = permissions.load(Video, video_id, edit=True)
    return ShareList(shares=services.shares_of(video, include_ended=True))


@api.post("/videos/<int:video_id>/shares")
@login_required
@operation(body=ShareCreate, response=ShareOut, status=201, errors=(403, 404))
def create_share(video_id: int, body: ShareCreate):
    """Share the video with a person by email, to view or to comment, optionally until a date.

    Sharing again with the same person replaces the terms. An email that is not an active
    colleague's, my own, or an end in the past answers 422.
    """
    video = permissions.load(Video, video_id, edit=True)
    share = services.share(
        video,
        current_user,
        email=body.email,
        permission=body.permission,
        expires_at=body.expires_at,
    )
    return ShareOut.model_validate(share)


@api.delete("/videos/<int:video_id>/shares/<int:share_id>")
@login_required
@operation(status=204, errors=(403, 404))
def revoke_share(video_id: int, share_id: int):
    """Revoke a share; the person's next request for the video is refused."""
    video = permissions.load(Video, video_id, edit=True)
    services.revoke(services.get_share(video, share_id))


@api.get("/videos/<int:video_id>/audit")
@login_required
@operation(query=AuditQuery, response=AuditPage, errors=(403, 404))
def video_audit(video_id: int, query: AuditQuery):
    """Who viewed, shared and revoked the video, and when; newest first, 100 per page."""
    video = permissions.load(Video, video_id, edit=True)
    page = min(query.page, MAX_PAGE)
    events = audit.video_events(video, limit=AUDIT_PAGE + 1, offset=(page - 1) * AUDIT_PAGE)
    return AuditPage(
        events=events[:AUDIT_PAGE],
        next_page=page + 1 if len(events) > AUDIT_PAGE else None,
    )
