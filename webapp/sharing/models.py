"""Who a video is shared with, and the append-only record of who did what to it."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, event, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.db import Base, utcnow

if TYPE_CHECKING:
    from webapp.video.models import Video


class Permission(enum.StrEnum):
    VIEW = "view"
    COMMENT = "comment"


class Share(Base):
    """The owner lets one person watch (and maybe comment on) one video, perhaps until a date."""

    __tablename__ = "shares"
    __table_args__ = (Index("ix_shares_user_video", "user_id", "video_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    permission: Mapped[str] = mapped_column(String(10), default=Permission.VIEW)
    expires_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    video: Mapped["Video"] = relationship()

    @property
    def active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > utcnow()


def active_share_clause(now: datetime | None = None):
    """SQL for "not revoked and not expired", the only shares that grant anything."""
    now = now or utcnow()
    return Share.revoked_at.is_(None) & or_(Share.expires_at.is_(None), Share.expires_at > now)


class AuditEvent(Base):
    """One thing that happened: a view, a share, a revoke, an admin action, a deletion.

    Rows are never updated or deleted by the app. Ids are plain integers without foreign keys,
    so a row outlives the video or account it names; names and titles are copied into `detail`
    when the event happens for the same reason.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_video_created", "video_id", "created_at"),
        Index("ix_audit_events_actor_video_action", "actor_id", "video_id", "action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(40), index=True)
    video_id: Mapped[int | None]
    subject_id: Mapped[int | None]
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    @property
    def actor(self) -> dict | None:
        """Who did it: their id, and their name and role as they were then (or None: Debrief)."""
        return self._person(self.actor_id, "actor")

    @property
    def subject(self) -> dict | None:
        """Whom it concerned, named as they were then, if anyone."""
        return self._person(self.subject_id, "subject")

    @property
    def facts(self) -> dict:
        """`detail` without the two people, who are `actor` and `subject`."""
        return {k: v for k, v in (self.detail or {}).items() if k not in ("actor", "subject")}

    def _person(self, person_id: int | None, role: str) -> dict | None:
        named = (self.detail or {}).get(role)
        return {"id": person_id, **named} if named else None

    def describe_pairing(self) -> str:
        """A pairing change as its teacher reads it in their history."""
        change = self.action.rsplit(".", 1)[-1]
        coach = self.detail.get("coach") or "a coach"
        actor = (self.detail.get("actor") or {}).get("name")
        if self.actor_id is not None and self.actor_id == self.subject_id:
            who = "You"
        elif actor is None:
            who = "The system operator"
        else:
            who = actor
        sentences = {
            "requested": f"{who} asked to be your coach"
            if who == coach
            else f"{who} asked for {coach} to be your coach",
            "accepted": f"{who} accepted {coach} as your coach",
            "declined": f"{who} declined {coach} as your coach",
            "ended": f"{who} ended the coaching pairing with {coach}",
            "withdrawn": f"{who} withdrew the request for {coach} to coach you",
        }
        return sentences.get(change, f"{who}: {self.action}") + "."


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _append_only(_mapper, _connection, target: AuditEvent) -> None:
    raise RuntimeError(f"audit event {target.id} is append-only")
