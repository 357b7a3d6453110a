"""An annotation marks a moment or a range of a video, optionally tagged with a move and goal."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.db import Base, utcnow
from webapp.video.models import Video

TIMESTAMP = "%Y-%m-%dT%H:%M:%S.%fZ"  # UTC, always with microseconds


class Kind(enum.StrEnum):
    COMMENT = "comment"
    STRENGTH = "strength"
    QUESTION = "question"
    NEXT_STEP = "next_step"


class Annotation(Base):
    __tablename__ = "annotations"
    __table_args__ = (Index("ix_annotations_video_start", "video_id", "start_ms"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    start_ms: Mapped[int]
    end_ms: Mapped[int | None]
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default=Kind.COMMENT)
    move_id: Mapped[int | None] = mapped_column(ForeignKey("moves.id"))
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goals.id", ondelete="SET NULL"))
    # "Only me": a self-reflection or coach's preparation nobody else sees.
    private: Mapped[bool] = mapped_column(default=False)
    resolved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    author: Mapped[User] = relationship(lazy="joined")
    video: Mapped[Video] = relationship()

    @property
    def audited_video(self) -> Video:
        """Reading a note is reading its video: it goes in that video's audit."""
        return self.video

    def to_json(self) -> dict:
        """The API shape of a note; `timeline_json` has the database write it for timelines.

        A deleted note is only a tombstone, so pollers can drop it: nothing it said remains.
        """
        if self.deleted_at is not None:
            updated = self.updated_at.strftime(TIMESTAMP)
            return {"id": self.id, "deleted": True, "updated_at": updated}
        return {
            "id": self.id,
            "video_id": self.video_id,
            "author": self.author.public(),
            "start_ms": self.start_ms,
            "end_ms": self.end_ms,
            "body": self.body,
            "kind": self.kind,
            "move_id": self.move_id,
            "goal_id": self.goal_id,
            "parent_id": self.parent_id,
            "private": self.private,
            "resolved": self.resolved_at is not None,
            "edited": self.edited_at is not None,
            "deleted": False,
            "created_at": self.created_at.strftime(TIMESTAMP),
            "updated_at": self.updated_at.strftime(TIMESTAMP),
        }


class AnnotationRead(Base):
    """When a person last read a video's conversation, for its unread count."""

    __tablename__ = "annotation_reads"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    video_id: Mapped[int] = mapped_column(
        ForeignKey("videos.id", ondelete="CASCADE"), primary_key=True
    )
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
