"""An annotation marks a moment or a range of a video, optionally tagged with a move and goal."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.db import Base, utcnow
from webapp.video.models import Video


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
    move_id: Mapped[int | None] = mapped_column(ForeignKey("moves.id"), index=True)
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

    @property
    def resolved(self) -> bool:
        """A thread either side has marked as dealt with."""
        return self.resolved_at is not None

    @property
    def edited(self) -> bool:
        """Its text, time or tags changed after it was written."""
        return self.edited_at is not None

    @property
    def deleted(self) -> bool:
        """Deleted notes are erased: only a tombstone (id, updated_at) is left, for pollers."""
        return self.deleted_at is not None


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
