"""Writing and reading the audit record. Functions flush; callers commit.

Views of a video by anyone but its owner are recorded by an after-request hook for every video
a successful read loaded (webapp/permissions.py), at most once per viewer and video every ten
minutes so that polling pages and media segments do not flood the record.
"""

from datetime import timedelta

from flask import current_app, request
from flask_login import current_user
from redis.exceptions import RedisError
from sqlalchemy import insert, or_, select

from webapp import access, db
from webapp.db import utcnow
from webapp.permissions import read_videos
from webapp.queue import connection
from webapp.sharing.models import AuditEvent
from webapp.video.models import Video

VIEW = "video.viewed"
VIEW_DEDUPE = timedelta(minutes=10)
# How the audit names the way a video was read; other routes go by their view's name.
VIA = {
    "video_pages.show": "page",
    "video_api.get_video": "api",
    "annotations_pages.summary": "summary",
    "coaching_pages.show_cycle": "cycle",
}
# What the owner's "who has seen my video" history lists besides views.
SHARING_ACTIONS = ("share.created", "share.changed", "share.revoked")
# The changes of a pairing that a teacher's record keeps.
PAIRING = ("requested", "accepted", "declined", "ended", "withdrawn")


def _person(user) -> dict | None:
    return {"name": user.name, "role": user.role} if user is not None else None


def _row(actor, action: str, *, video: Video | None = None, subject=None, **detail) -> dict:
    """An event's columns; names and the title are copied so the row outlives them."""
    if video is not None:
        detail.setdefault("title", video.title)
    return {
        "created_at": utcnow(),
        "actor_id": actor.id if actor is not None else None,
        "action": action,
        "video_id": video.id if video is not None else None,
        "subject_id": subject.id if subject is not None else None,
        "detail": {"actor": _person(actor), "subject": _person(subject), **detail},
    }


def record(actor, action: str, *, video: Video | None = None, subject=None, **detail) -> None:
    """Append one event."""
    db.session().add(AuditEvent(**_row(actor, action, video=video, subject=subject, **detail)))
    db.session().flush()


def admin_action(action: str, subject=None, **detail) -> None:
    """Record something an admin did, from an admin page or the API."""
    record(current_user, f"admin.{action}", subject=subject, **detail)


def pairing_change(actor, pairing, change: str, **detail) -> None:
    """Put a pairing change in the teacher's record; an admin's change also in the admin log.

    `actor` is None for the command line, which only an operator can run.
    """
    by_admin = actor is None or actor.role == "admin"
    action = f"{'admin.' if by_admin else ''}pairing.{change}"
    record(actor, action, subject=pairing.teacher, coach=pairing.coach.name, **detail)


def pairing_history(teacher, *, limit: int = 50) -> list[AuditEvent]:
    """The pairing changes in a teacher's record, newest first: who asked, accepted, ended."""
    actions = [f"{prefix}pairing.{change}" for prefix in ("", "admin.") for change in PAIRING]
    query = (
        select(AuditEvent)
        .where(AuditEvent.subject_id == teacher.id, AuditEvent.action.in_(actions))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return list(db.session().scalars(query))


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


def record_views(videos: list[Video], viewer, via: str) -> int:
    """Record views by someone other than the owner, once per viewer and video per window.

    In a fixed number of queries whatever the number of videos (a cycle page shows many).
    """
    fresh = [v for v in videos if v.owner_id != viewer.id and not _seen_lately(v, viewer)]
    if not fresh:
        return 0
    session = db.session()
    recent = set(
        session.scalars(
            select(AuditEvent.video_id).where(
                AuditEvent.actor_id == viewer.id,
                AuditEvent.video_id.in_([v.id for v in fresh]),
                AuditEvent.action == VIEW,
                AuditEvent.created_at > utcnow() - VIEW_DEDUPE,
            )
        )
    )
    fresh = [v for v in fresh if v.id not in recent]
    if fresh:
        rows = [
            _row(viewer, VIEW, video=video, via=via,
                 access=access.access_of(viewer, video))
            for video in fresh
        ]  # fmt: skip
        session.execute(insert(AuditEvent), rows)  # one statement for them all
    return len(fresh)


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
    """Audit every video a successful read (GET) loaded through permissions.load.

    One place for every route: pages, the API, exports, captions and media (whose 302 to a
    short-lived URL is a read as much as a 200 is).
    """
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code >= 400
        or not current_user.is_authenticated
    ):
        return response
    via = VIA.get(request.endpoint, (request.endpoint or "").rpartition(".")[2])
    record_views(read_videos(), current_user, via)  # committed with the request
    return response
