"""Goals that measure themselves: each measured goal's figure in every lesson of its cycle.

The lessons are the cycle's videos the asking person may watch (`evidence.cycle_videos`, which
applies the video rule of access.py), oldest first: figures are visible exactly to those who can
view the video, so a lesson someone cannot watch is not a point of their chart, and a baseline
is the figure at the first analysed lesson *they* can watch. Nothing here is stored: the
figures are read from each lesson's analysis when asked, so a corrected speaker or a re-run
shows at once, and a deleted analysis leaves nothing behind.

`tagged_notes` counts, per lesson, the notes tagged with one of the goal's linked moves that
the asking person may read: the rule of the move counts beside the chart (evidence.py). Replies
and deleted notes never count, and "only me" notes count for their author alone, so a coach's
private preparation can make their figure larger than the teacher's; it never shows another
person a private note's existence. It needs no analysis: every lesson has it.
"""

import enum
from dataclasses import dataclass

from sqlalchemy import select

from webapp import db
from webapp.analysis import services as analyses
from webapp.analysis.models import AnalysisStatus, LessonAnalysis
from webapp.coaching import evidence
from webapp.coaching.measures import Measure
from webapp.coaching.models import Cycle, Goal, GoalMetric
from webapp.video.models import Video

TEN_MINUTES_MS = 600_000


class FigureStatus(enum.StrEnum):
    """A lesson's figure: measured, undefined in an analysed lesson, or why there is none yet."""

    MEASURED = "measured"
    NO_FIGURE = "no_figure"  # analysed, but the figure is undefined (no talk, no question)
    PENDING = "pending"
    RUNNING = "running"
    FAILED = "failed"
    OFF = "off"


WAITING = {
    AnalysisStatus.PENDING: "Not analysed yet: the analysis is waiting for a worker.",
    AnalysisStatus.RUNNING: "Being analysed now.",
}
NO_TALK = "No talk was heard in this lesson."
NO_WAIT = "No question in this lesson was followed by speech."
NO_FIGURE_REASONS = {
    GoalMetric.STUDENT_TALK_PCT: NO_TALK,
    GoalMetric.TEACHER_TALK_PCT: NO_TALK,
    GoalMetric.MEAN_WAIT_S: NO_WAIT,
    GoalMetric.WAIT_GE_PCT: NO_WAIT,
    GoalMetric.OPEN_QUESTIONS_PER_10MIN: "The lesson's length is not known.",
}


@dataclass(frozen=True)
class Figure:
    value: float | None
    status: FigureStatus
    reason: str | None = None
    met: bool | None = None


@dataclass(frozen=True)
class Lesson:
    """One of the cycle's videos as its goals measure it."""

    video: Video
    number: int  # 1 for the first lesson the person may watch
    analysis: LessonAnalysis  # the stored one, or one saying why there is none (describe)
    tagged: dict[int, int]  # move id -> notes tagged with it that the person may read


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    measure: Measure
    points: list[tuple[Lesson, Figure]]

    @property
    def measured(self) -> list[tuple[Lesson, Figure]]:
        return [(lesson, fig) for lesson, fig in self.points if fig.value is not None]

    @property
    def baseline(self) -> float | None:
        """The figure at the first lesson that has one: the cycle's first analysed lesson."""
        return self.measured[0][1].value if self.measured else None

    @property
    def latest(self) -> tuple[Lesson, Figure] | None:
        """The most recent lesson with a figure, whose `met` says where the goal stands."""
        return self.measured[-1] if self.measured else None


def _analysed(analysis: LessonAnalysis, key: str) -> float | None:
    return (analysis.metrics or {}).get(key)


def _wait_share(analysis: LessonAnalysis, measure: Measure) -> float | None:
    """Of the questions followed by speech, the share whose wait reached the threshold (the
    engine's `wait_ge_3s_pct`, for any threshold)."""
    waits = [q["wait_ms"] for q in analysis.questions if q.get("wait_ms") is not None]
    if not waits:
        return None
    return 100 * sum(wait >= measure.threshold * 1000 for wait in waits) / len(waits)


def _open_per_ten_minutes(analysis: LessonAnalysis, measure: Measure) -> float | None:
    open_questions = _analysed(analysis, "open_questions")
    if not analysis.duration_ms or open_questions is None:
        return None
    return open_questions * TEN_MINUTES_MS / analysis.duration_ms


COMPUTE = {
    GoalMetric.STUDENT_TALK_PCT: lambda a, m: _analysed(a, "student_talk_pct"),
    GoalMetric.TEACHER_TALK_PCT: lambda a, m: _analysed(a, "teacher_talk_pct"),
    GoalMetric.MEAN_WAIT_S: lambda a, m: _analysed(a, "mean_wait_s"),
    GoalMetric.WAIT_GE_PCT: _wait_share,
    GoalMetric.OPEN_QUESTIONS_PER_10MIN: _open_per_ten_minutes,
}


def figure(goal: Goal, lesson: Lesson) -> Figure:
    """The goal's figure in this lesson, whether it meets the target, or why there is none."""
    measure = Measure.of(goal)
    if measure.metric == GoalMetric.TAGGED_NOTES:
        value = float(sum(lesson.tagged.get(move.id, 0) for move in goal.moves))
        return Figure(value, FigureStatus.MEASURED, met=measure.meets(value))
    analysis = lesson.analysis
    if analysis.status != AnalysisStatus.DONE:
        reason = analysis.error or WAITING.get(AnalysisStatus(analysis.status))
        return Figure(None, FigureStatus(analysis.status), reason)
    value = COMPUTE[GoalMetric(measure.metric)](analysis, measure)
    if value is None:
        return Figure(None, FigureStatus.NO_FIGURE, NO_FIGURE_REASONS[GoalMetric(measure.metric)])
    value = round(value, 2)
    return Figure(value, FigureStatus.MEASURED, met=measure.meets(value))


def lessons(videos: list[Video], user, goals: list[Goal]) -> list[Lesson]:
    """The videos (already filtered to the person's) with their analyses and tagged-note
    counts, in a fixed number of queries."""
    ids = [video.id for video in videos]
    query = select(LessonAnalysis).where(LessonAnalysis.video_id.in_(ids))
    stored = {a.video_id: a for a in db.session().scalars(query)} if ids else {}
    linked = {move.id for g in goals if g.metric == GoalMetric.TAGGED_NOTES for move in g.moves}
    counts = evidence.move_counts(ids, user, linked)
    return [
        Lesson(
            video,
            number,
            # Without a row, describe() says what will happen (and writes nothing).
            stored.get(video.id) or analyses.describe(video),
            {move: n for (video_id, move), n in counts.items() if video_id == video.id},
        )
        for number, video in enumerate(videos, start=1)
    ]


def cycle_progress(cycle: Cycle, user, videos: list[Video] | None = None) -> list[GoalProgress]:
    """Each measured goal of the cycle, lesson by lesson, as this person may see it.

    `videos` are the cycle's videos from `evidence.cycle_videos` when the caller has them.
    """
    goals = [goal for goal in cycle.goals if goal.metric is not None]
    if not goals:
        return []
    if videos is None:
        videos = [row.video for row in evidence.cycle_videos(cycle, user)]
    found = lessons(videos, user, goals)
    return [
        GoalProgress(goal, Measure.of(goal), [(lesson, figure(goal, lesson)) for lesson in found])
        for goal in goals
    ]


def baselines(cycles: list[Cycle], user) -> dict[int, float | None]:
    """Each measured goal's baseline, by goal id, for these cycles as this person sees them."""
    return {item.goal.id: item.baseline for cycle in cycles for item in cycle_progress(cycle, user)}


def lesson_figures(video: Video, goals: list[Goal], user) -> list[tuple[Goal, Measure, Figure]]:
    """The measured goals' figures in this one lesson (for its debrief summary).

    The caller has checked that the person may watch the video; no other lesson is read, so
    a person the video alone is shared with learns nothing of the rest of the cycle.
    """
    measured = [goal for goal in goals if goal.metric is not None]
    if not measured:
        return []
    [lesson] = lessons([video], user, measured)
    return [(goal, Measure.of(goal), figure(goal, lesson)) for goal in measured]


def shown_videos(progress: list[GoalProgress]) -> list[Video]:
    """The lessons whose figures an answer shows, for the owner's audit (permissions.mark_read)."""
    shown = {lesson.video.id: lesson.video for item in progress for lesson, _ in item.measured}
    return list(shown.values())
