"""What a cycle has gathered: its videos, and for each goal the notes and move counts behind it.

Read-only and in a fixed number of queries whatever the number of videos or notes. A person
counts only what they may read: private ("only me") notes are their author's alone, deleted
notes nobody's, and replies are conversation rather than evidence.
"""

from dataclasses import dataclass, field
from itertools import groupby

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from webapp import access, db
from webapp.annotations.models import Annotation
from webapp.coaching.models import Cycle, Goal, Move
from webapp.video.models import Video


@dataclass
class VideoRow:
    video: Video
    notes: int


@dataclass
class GoalEvidence:
    goal: Goal
    moves: list[Move]
    notes: list[Annotation] = field(default_factory=list)
    # One row per cycle video in date order: (video, count of each linked move, same order).
    counts: list[tuple[Video, list[int]]] = field(default_factory=list)

    @property
    def notes_by_video(self) -> list[tuple[int, list[Annotation]]]:
        """The tagged notes in runs of one video each, keeping the date order."""
        return [
            (video_id, list(run)) for video_id, run in groupby(self.notes, lambda n: n.video_id)
        ]

    @property
    def most(self) -> int:
        """The largest count in the table, to scale its bars."""
        return max((n for _, row in self.counts for n in row), default=0)


@dataclass
class CycleEvidence:
    videos: list[VideoRow]
    goals: list[GoalEvidence]
    moves: dict[int, Move]

    @property
    def by_id(self) -> dict[int, Video]:
        return {row.video.id: row.video for row in self.videos}


def _readable(user):
    """Top-level notes the user may read (replies are conversation, not evidence)."""
    return and_(Annotation.parent_id.is_(None), access.note_clause(user))


def cycle_counts(cycles: list[Cycle], user) -> dict[int, tuple[int, int]]:
    """(videos, notes) per cycle id, in one query, for the cycle list."""
    if not cycles:
        return {}
    query = (
        select(Video.cycle_id, func.count(func.distinct(Video.id)), func.count(Annotation.id))
        .outerjoin(Annotation, and_(Annotation.video_id == Video.id, _readable(user)))
        .where(Video.cycle_id.in_([c.id for c in cycles]))
        .group_by(Video.cycle_id)
    )
    return {cycle_id: (videos, notes) for cycle_id, videos, notes in db.session().execute(query)}


def cycle_videos(cycle: Cycle, user) -> list[VideoRow]:
    """The cycle's videos the user may watch, oldest first, each with the number of notes the
    user may read (the lesson order the goals' charts follow too)."""
    notes = (
        select(Annotation.video_id, func.count().label("n"))
        .where(_readable(user))
        .group_by(Annotation.video_id)
        .subquery()
    )
    query = (
        select(Video, func.coalesce(notes.c.n, 0))
        .outerjoin(notes, notes.c.video_id == Video.id)
        .where(Video.cycle_id == cycle.id, access.video_clause(user))
        .order_by(Video.lesson_date, Video.created_at, Video.id)
    )
    return [VideoRow(video, n) for video, n in db.session().execute(query)]


def cycle_evidence(cycle: Cycle, user) -> CycleEvidence:
    """Videos, goals with their tagged notes, and per-video counts of each goal's linked moves."""
    session = db.session()
    videos = cycle_videos(cycle, user)
    goals = list(
        session.scalars(
            select(Goal)
            .where(Goal.cycle_id == cycle.id)
            .options(selectinload(Goal.moves))
            .order_by(Goal.position, Goal.id)
        )
    )
    tagged = _tagged_notes(cycle, user, [goal.id for goal in goals])
    linked = {move.id for goal in goals for move in goal.moves}
    counts = move_counts([row.video.id for row in videos], user, linked)
    ids = linked | {a.move_id for a in tagged if a.move_id is not None}
    moves = {m.id: m for m in session.scalars(select(Move).where(Move.id.in_(ids)))} if ids else {}
    evidence = [GoalEvidence(goal, list(goal.moves)) for goal in goals]
    by_goal = {item.goal.id: item for item in evidence}
    for note in tagged:
        by_goal[note.goal_id].notes.append(note)
    for item in evidence:
        item.counts = [
            (row.video, [counts.get((row.video.id, m.id), 0) for m in item.moves]) for row in videos
        ]
    return CycleEvidence(videos=videos, goals=evidence, moves=moves)


def _tagged_notes(cycle: Cycle, user, goal_ids: list[int]) -> list[Annotation]:
    """Notes tagged with these goals, by video date then time."""
    if not goal_ids:
        return []
    query = (
        select(Annotation)
        .join(Video, Video.id == Annotation.video_id)
        .where(Video.cycle_id == cycle.id, Annotation.goal_id.in_(goal_ids), _readable(user))
        .order_by(Video.lesson_date, Video.created_at, Video.id, Annotation.start_ms, Annotation.id)
    )
    return list(db.session().scalars(query))


def move_counts(video_ids: list[int], user, move_ids: set[int]) -> dict[tuple[int, int], int]:
    """How often each move was marked on each of these videos, whatever the goal tag, in the
    notes the user may read: (video id, move id) -> count."""
    if not move_ids or not video_ids:
        return {}
    query = (
        select(Annotation.video_id, Annotation.move_id, func.count())
        .where(
            Annotation.video_id.in_(video_ids), Annotation.move_id.in_(move_ids), _readable(user)
        )
        .group_by(Annotation.video_id, Annotation.move_id)
    )
    return {(video, move): n for video, move, n in db.session().execute(query)}
