"""JSON API: a video's shares (owner only) and its audit record (owner only)."""

from flask import Blueprint, jsonify
from flask_login import current_user, login_required

from webapp import permissions
from webapp.api_docs import register_paths
from webapp.http import json_body, page_number, require_fields
from webapp.sharing import audit, services
from webapp.sharing.openapi import PATHS, SCHEMAS
from webapp.video.models import Video

api = Blueprint("sharing_api", __name__, url_prefix="/api/v1")
api.record_once(lambda _state: register_paths(PATHS, SCHEMAS))

AUDIT_PAGE = 100
MAX_PAGE = 10_000  # keeps the offset a small number on every database


@api.get("/videos/<int:video_id>/shares")
@login_required
def list_shares(video_id: int):
    """Everyone the video is or was shared with; `active` tells which still count."""
    video = permissions.load(Video, video_id, edit=True)
    shares = services.shares_of(video, include_ended=True)
    return jsonify({"shares": [s.to_json() for s in shares]})


@api.post("/videos/<int:video_id>/shares")
@login_required
def create_share(video_id: int):
    """Share the video with a person by email, to view or to comment, optionally until a date."""
    video = permissions.load(Video, video_id, edit=True)
    data = json_body()
    require_fields(data, "email")
    share = services.share(
        video,
        current_user,
        email=str(data["email"]),
        permission=str(data.get("permission") or "view"),
        expires_at=data.get("expires_at"),
    )
    return jsonify(share.to_json()), 201


@api.delete("/videos/<int:video_id>/shares/<int:share_id>")
@login_required
def revoke_share(video_id: int, share_id: int):
    """Revoke a share; the person's next request for the video is refused."""
    video = permissions.load(Video, video_id, edit=True)
    services.revoke(services.get_share(video, share_id))
    return "", 204


@api.get("/videos/<int:video_id>/audit")
@login_required
def video_audit(video_id: int):
    """Who viewed, shared and revoked the video, and when; newest first, 100 per page."""
    video = permissions.load(Video, video_id, edit=True)
    page = min(page_number(), MAX_PAGE)
    events = audit.video_events(video, limit=AUDIT_PAGE + 1, offset=(page - 1) * AUDIT_PAGE)
    return jsonify(
        {
            "events": [e.to_json() for e in events[:AUDIT_PAGE]],
            "next_page": page + 1 if len(events) > AUDIT_PAGE else None,
        }
    )
