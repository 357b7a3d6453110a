"""Who coaches whom, the moves a school looks for, and the cycles and goals they work in."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.db import Base, utcnow


class PairingStatus(enum.StrEnum):
    """A pairing grants access only once the teacher has accepted it (DESIGN §3, §4)."""

    PENDING = "pending"
    ACTIVE = "active"
    DECLINED = "declined"
    ENDED = "ended"


# Pending and active pairings are "open": at most one of them per coach and teacher.
OPEN_STATUSES = (PairingStatus.PENDING, PairingStatus.ACTIVE)


class Pairing(Base):
    """A coach works with a teacher once the teacher accepts; closed pairings stay as history."""

    __tablename__ = "pairings"
    __table_args__ = (
        # At most one open (pending or active) pairing per coach and teacher.
        Index(
            "uq_pairings_active",
            "coach_id",
            "teacher_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
        # Open exactly while not ended: the index above and the status never disagree.
        CheckConstraint(
            "(status IN ('pending', 'active')) = (ended_at IS NULL)", name="open_until_ended"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=PairingStatus.PENDING)
    # Who asked: an admin or the coach. The teacher alone makes the pairing active.
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None]
    # Set when the pairing closes: declined, ended, or withdrawn while pending.
    ended_at: Mapped[datetime | None]

    coach: Mapped[User] = relationship(foreign_keys=[coach_id], lazy="joined")
    teacher: Mapped[User] = relationship(foreign_keys=[teacher_id], lazy="joined")

    @property
    def active(self) -> bool:
        return self.status == PairingStatus.ACTIVE

    @property
    def pending(self) -> bool:
        return self.status == PairingStatus.PENDING


def open_clause():
    """A pairing still open: waiting for the teacher's answer, or active."""
    return Pairing.status.in_(OPEN_STATUSES)


QUICK_KEYS = 9


class Framework(Base):
    __tablename__ = "frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    moves: Mapped[list["Move"]] = relationship(
        back_populates="framework", order_by="Move.position, Move.id"
    )

    @property
    def quick_moves(self) -> list["Move"]:
        """The first nine moves in use, in order: number keys 1 to 9 tag them on the review page."""
        return [m for m in self.moves if m.archived_at is None][:QUICK_KEYS]

    @property
    def quick_keys(self) -> dict[int, int]:
        """The quick moves' number keys, by move id."""
        return {move.id: key for key, move in enumerate(self.quick_moves, start=1)}


class Move(Base):
    """An instructional move; archived rather than deleted so old annotations keep their tag."""

    __tablename__ = "moves"
    __table_args__ = (Index("uq_moves_framework_code", "framework_id", "code", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    code: Mapped[str] = mapped_column(String(16))
    colour: Mapped[str] = mapped_column(String(7))
    description: Mapped[str] = mapped_column(Text, default="")
    group: Mapped[str] = mapped_column(String(120), default="")
    position: Mapped[int] = mapped_column(default=0)
    archived_at: Mapped[datetime | None]

    framework: Mapped[Framework] = relationship(back_populates="moves")

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def quick_key(self) -> int | None:
        """Its number key (1 to 9) on the review page, if it is one of the quick moves."""
        return self.framework.quick_keys.get(self.id)


class CycleStatus(enum.StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    CLOSED = "closed"


goal_moves = Table(
    "goal_moves",
    Base.metadata,
    Column("goal_id", ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True),
    Column("move_id", ForeignKey("moves.id"), primary_key=True),
)


class Cycle(Base):
    """A coaching cycle of one teacher with one coach."""

    __tablename__ = "cycles"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The cycle is the teacher's: it stays (coachless) when the coach's account is deleted.
    coach_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id"))
    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default=CycleStatus.PLANNED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When it last closed (None while open): the month its outcomes count in (webapp/program).
    closed_at: Mapped[datetime | None]

    teacher: Mapped[User] = relationship(foreign_keys=[teacher_id], lazy="joined")
    coach: Mapped[User | None] = relationship(foreign_keys=[coach_id], lazy="joined")
    framework: Mapped[Framework] = relationship()
    goals: Mapped[list["Goal"]] = relationship(
        back_populates="cycle", order_by="Goal.position, Goal.id", cascade="all, delete-orphan"
    )

    @property
    def coach_name(self) -> str:
        return self.coach.name if self.coach else "a coach whose account was deleted"


class GoalMetric(enum.StrEnum):
    """The lesson figure a goal is measured by (webapp/coaching/progress.py computes each)."""

    STUDENT_TALK_PCT = "student_talk_pct"
    TEACHER_TALK_PCT = "teacher_talk_pct"
    MEAN_WAIT_S = "mean_wait_s"
    WAIT_GE_PCT = "wait_ge_pct"  # share of questions with a wait of threshold_s or more
    OPEN_QUESTIONS_PER_10MIN = "open_questions_per_10min"
    TAGGED_NOTES = "tagged_notes"  # notes tagged with one of the goal's linked moves


class GoalDirection(enum.StrEnum):
    """Which side of its target a goal's figure should be on."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class Goal(Base):
    __tablename__ = "goals"
    __table_args__ = (
        # A target, direction or threshold qualifies a metric: none of them outlives it.
        CheckConstraint(
            "metric IS NOT NULL OR (target IS NULL AND direction IS NULL AND threshold_s IS NULL)",
            name="metric_settings",
        ),
        # A target is a number and a side of it: both or neither.
        CheckConstraint(
            "(target IS NULL) = (direction IS NULL) "
            "AND (direction IS NULL OR direction IN ('at_least', 'at_most'))",
            name="target_direction",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    # What measures it (a GoalMetric), and optionally the target it should reach. The baseline
    # is not stored: it is the figure at the cycle's first analysed lesson.
    metric: Mapped[str | None] = mapped_column(String(40))
    target: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[str | None] = mapped_column(String(10))
    # The N of "share of questions with a wait of N s or more" (wait_ge_pct; default 3).
    threshold_s: Mapped[float | None] = mapped_column(Float)
    # Whether the latest measured lesson met the target when the cycle closed (None: open, no
    # target or no figure). Recorded then, so later lessons or re-runs do not rewrite an outcome.
    met_at_close: Mapped[bool | None]

    cycle: Mapped[Cycle] = relationship(back_populates="goals")
    moves: Mapped[list[Move]] = relationship(
        secondary=goal_moves, order_by="Move.position, Move.id"
    )

    @property
    def move_ids(self) -> list[int]:
        return [move.id for move in self.moves]
