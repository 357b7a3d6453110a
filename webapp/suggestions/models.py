"""A suggested moment of a video, made from its analysis; accepting it makes a note.

Regenerating keeps a decision: a suggestion is known by its `key` (its kind and where it
starts), unique per video, so a suggestion dismissed or accepted once stays so when the
figures are made again (a re-run, a corrected turn) and finds the same moment.
"""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base, utcnow
from webapp.video.models import Video


class SuggestionKind(enum.StrEnum):
    LONG_WAIT = "long_wait"  # a question followed by a wait long enough to think
    SHORT_WAIT = "short_wait"  # an open question answered (or dropped) almost at once
    STUDENT_TALK = "student_talk"  # students talked at length
    MONOLOGUE = "monologue"  # the teacher talked for minutes without a pause


class SuggestionState(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"


class Suggestion(Base):
    __tablename__ = "suggestions"
    __table_args__ = (UniqueConstraint("video_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))  # "<kind>:<start_ms>"
    kind: Mapped[str] = mapped_column(String(20))
    start_ms: Mapped[int]
    end_ms: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)  # the evidence, in words: the accepted note's body
    move_id: Mapped[int | None] = mapped_column(ForeignKey("moves.id"))
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goals.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(20), default=SuggestionState.OPEN)
    annotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    video: Mapped[Video] = relationship()
