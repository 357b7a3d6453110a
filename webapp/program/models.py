"""A teacher's answer, once per closed cycle, on how the coaching went."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import Base, utcnow

RATING_MIN, RATING_MAX = 1, 5


def _rating(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN {RATING_MIN} AND {RATING_MAX}", name=column)


class CoachingFeedback(Base):
    """Three 1 to 5 ratings and an optional comment, which reaches the coach only if shared.

    No relationship to people is mapped on purpose: nothing that renders an answer can reach
    a name through it; the rows are read as aggregates (feedback.py, figures.py).
    """

    __tablename__ = "coaching_feedback"
    __table_args__ = (_rating("useful"), _rating("safe"), _rating("would_continue"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), unique=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The cycle's coach when the teacher answered: whose averages it counts in.
    coach_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    useful: Mapped[int]
    safe: Mapped[int]
    would_continue: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    share_comment: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
