"""Writing and reading the audit record. Functions flush; callers commit.

Views of a video by anyone but its owner are recorded by an after-request hook on the routes
that show a video (the watch page, its printable summary and GET /api/v1/videos/{id}), at most
once per viewer and video every ten minutes so that polling pages do not flood the record.
"""

from datetime import timedelta

from flask import current_app, request
from flask_login import current_user
from redis.exceptions import RedisError
from sqlalchemy import exists, or_, select

from webapp import db
from webapp.coaching.models import is_coaching
from webapp.db import utcnow
from webapp.queue import connection
from webapp.sharing.models import AuditEvent
from webapp.video.models import Video

VIEW = "video.viewed"
VIEW_DEDUPE = timedelta(minutes=10)
# The routes that show a video, and how the audit names each.
AUDITED_VIEWS = {
    "video_pages.show": "page",
    "video_api.get_video": "api",
    "annotations_pages.summary": "summary",
}
# What the owner's "who has seen my video" history lists besides views.
SHARING_ACTIONS = ("share.created", "share.changed", "share.revoked")


def _person(user) -> dict | None:
    return {"name": user.name, "role": user.role} if user is not None else None


def record(actor, action: str, *, video: Video | None = None, subject=None, **detail) -> None:
    """Append one event; names and the title are copied so the row outlives them."""
    if video is not None:
        detail.setdefault("title", video.title)
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        video_id=video.id if video is not None else None,
        subject_id=subject.id if subject is not None else None,
        detail={"actor": _person(actor), "subject": _person(subject), **detail},
    )
    db.session().add(event)
    db.session().flush()


def admin_action(action: str, subject=None, **detail) -> None:
    """Record something an admin did, from an admin page or the API."""
    record(current_user, f"admin.{action}", subject=subject, **detail)


def _seen_lately(video: Video, viewer) -> bool:
    """A Redis marker per viewer and video spares the database a check on every page load.

    Without Redis (or after it lost its data) the database check below still decides.
    """
    key = f"{current_app.config['QUEUE_NAME']}:viewed:{video.id}:{viewer.id}"
    try:
        fresh = connection().set(key, 1, nx=True, ex=int(VIEW_DEDUPE.total_seconds()))
    except RedisError:
        return False
    return not fresh


def record_view(video: Video, viewer, via: str) -> bool:
    """Record a view by someone other than the owner, once per viewer and video per window."""
    if viewer.id == video.owner_id or _seen_lately(video, viewer):
        return False
    session = db.session()
    recent = select(
        exists().where(
            AuditEvent.actor_id == viewer.id,
            AuditEvent.video_id == video.id,
            AuditEvent.action == VIEW,
            AuditEvent.created_at > utcnow() - VIEW_DEDUPE,
        )
    )
    if session.scalar(recent):
        return False
    access = "coach" if is_coaching(session, viewer, video.owner_id) else "share"
    record(viewer, VIEW, video=video, access=access, via=via)
    return True


def video_events(video: Video, *, actions=None, limit=None, offset: int = 0) -> list[AuditEvent]:
    """The events of one video, newest first."""
    query = select(AuditEvent).where(AuditEvent.video_id == video.id)
    if actions:
        query = query.where(AuditEvent.action.in_(actions))
    query = query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    query = query.limit(limit).offset(offset)
    return list(db.session().scalars(query))


def admin_events(*, limit: int, offset: int = 0) -> list[AuditEvent]:
    """Admin actions and account deletions, newest first: never views or video titles."""
    query = (
        select(AuditEvent)
        .where(or_(AuditEvent.action.startswith("admin."), AuditEvent.action == "account.deleted"))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(db.session().scalars(query))


def viewers(video: Video) -> list[dict]:
    """Who has seen the video: one entry per person, with their last view and view count."""
    people: dict[int | None, dict] = {}
    for event in video_events(video, actions=(VIEW,)):
        entry = people.setdefault(
            event.actor_id,
            {"person": event.detail.get("actor") or {}, "last": event.created_at, "count": 0},
        )
        entry["count"] += 1
        entry.setdefault("access", event.detail.get("access"))
    return list(people.values())


def record_video_view(response):
    """Audit a successful GET of a video page or video resource by someone else."""
    if (
        request.endpoint not in AUDITED_VIEWS
        or request.method != "GET"
        or response.status_code != 200
        or not current_user.is_authenticated
    ):
        return response
    video = db.session().get(Video, (request.view_args or {}).get("video_id"))
    if video is not None and record_view(video, current_user, AUDITED_VIEWS[request.endpoint]):
        db.session().commit()
    return response
