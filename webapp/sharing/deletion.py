"""Deleting recordings and accounts so that nothing is left but the audit record.

Rows go in the caller's transaction; stored objects go only once it commits (registered with
`after_commit`), so a rolled-back deletion never loses media.
"""

import logging
from datetime import timedelta

from sqlalchemy import func, select

from webapp import db
from webapp.annotations.models import Annotation
from webapp.auth.models import Role, School, User
from webapp.coaching.models import Cycle
from webapp.db import utcnow
from webapp.errors import Conflict
from webapp.sharing import audit
from webapp.sharing.policies import NOTICE
from webapp.video import services as videos
from webapp.video.models import Video

log = logging.getLogger(__name__)


def delete_video(video: Video, actor, reason: str = "owner") -> None:
    """Record and delete one video; its shares, notes and read markers go with it (cascade)."""
    audit.record(actor, "video.deleted", video=video, uuid=video.uuid, reason=reason)
    videos.delete_video(video)


def account_footprint(user: User) -> dict:
    """What deleting an account removes, to show before asking for confirmation."""
    session = db.session()
    return {
        "videos": session.scalar(select(func.count()).where(Video.owner_id == user.id)),
        "notes": session.scalar(
            select(func.count()).where(
                Annotation.author_id == user.id, Annotation.deleted_at.is_(None)
            )
        ),
        "coached_cycles": session.scalar(select(func.count()).where(Cycle.coach_id == user.id)),
    }


def delete_account(user: User, actor) -> None:
    """Delete an account with every video it owns and everything it wrote."""
    if user.role == Role.ADMIN and _other_admins(user) == 0:
        raise Conflict("This is the only active admin account; make someone else an admin first.")
    owned = list(db.session().scalars(select(Video).where(Video.owner_id == user.id)))
    for video in owned:
        delete_video(video, actor, reason="account deleted")
    audit.record(actor, "account.deleted", subject=user, email=user.email, videos=len(owned))
    db.session().delete(user)
    db.session().flush()


def _other_admins(user: User) -> int:
    query = select(func.count()).where(
        User.role == Role.ADMIN, User.active.is_(True), User.id != user.id
    )
    return db.session().scalar(query)


def expire_recordings(now=None) -> list[int]:
    """Delete recordings older than their school's retention period (after notice); commit."""
    now = now or utcnow()
    session = db.session()
    expired = []
    for school in session.scalars(select(School).where(School.retention_days.is_not(None))):
        if school.retention_since is not None and school.retention_since + NOTICE > now:
            continue  # the period was just set or shortened: its notice is still running
        cutoff = now - timedelta(days=school.retention_days)
        query = (
            select(Video)
            .join(User, Video.owner_id == User.id)
            .where(User.school_id == school.id, Video.created_at <= cutoff)
        )
        for video in session.scalars(query):
            expired.append(video.id)
            delete_video(video, None, reason=f"retention ({school.retention_days} days)")
    session.commit()  # a maintenance job's unit of work: the stored objects go after it
    if expired:
        log.info("Retention deleted videos %s", expired)
    return expired
