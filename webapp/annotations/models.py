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

    def can_view(self, user) -> bool:
        if self.deleted_at is not None or not self.video.can_view(user):
            return False
        return not self.private or user.id == self.author_id

    def can_edit(self, user) -> bool:
        """Only the author edits or deletes what they wrote."""
        return user.is_authenticated and user.id == self.author_id

    def can_resolve(self, user) -> bool:
        """Either side of the conversation may mark a thread resolved."""
        return self.can_view(user) and can_annotate(self.video, user)

    def to_json(self) -> dict:
        return annotation_json(self, self.author.public())


def annotation_json(note, author: dict) -> dict:
    """The API shape of a note, from a model or from a plain row of the same columns."""
    return {
        "id": note.id,
        "video_id": note.video_id,
        "author": author,
        "start_ms": note.start_ms,
        "end_ms": note.end_ms,
        "body": note.body,
        "kind": note.kind,
        "move_id": note.move_id,
        "goal_id": note.goal_id,
        "parent_id": note.parent_id,
        "private": note.private,
        "resolved": note.resolved_at is not None,
        "edited": note.edited_at is not None,
        "deleted": note.deleted_at is not None,
        "created_at": note.created_at.isoformat() + "Z",
        "updated_at": note.updated_at.isoformat() + "Z",
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


def can_annotate(video: Video, user) -> bool:
    """The owner (self-reflection), coaches paired with the owner, and comment shares."""
    return video.can_comment(user)
