"""The answer of GET /api/v1/cycles/{id}/progress: each measured goal, lesson by lesson."""

from typing import Any, Literal

from pydantic import Field, model_validator

from webapp.coaching.progress import GoalProgress
from webapp.coaching.schemas import GoalDirectionValue, GoalMetricValue
from webapp.schemas import Out, Timestamp

# progress.FigureStatus: measured, no figure in an analysed lesson, or the analysis's state.
FigureStatusValue = Literal["measured", "no_figure", "pending", "running", "failed", "off"]


class LessonFigureOut(Out):
    """One lesson's figure for a goal; `reason` says why there is none."""

    video_id: int
    title: str
    number: int = Field(description="Its place in lesson order (oldest first), from 1")
    recorded_at: Timestamp = Field(description="When it was uploaded, which orders the lessons")
    value: float | None
    met: bool | None = Field(description="Meets the target; null without a target or a figure")
    status: FigureStatusValue = Field(
        description="measured; no_figure (analysed, but undefined: no talk, no question "
        "followed by speech); or the analysis's pending, running, failed, off"
    )
    reason: str | None


class GoalProgressOut(Out):
    """A measured goal across the cycle's lessons that I may watch."""

    goal_id: int
    statement: str
    metric: GoalMetricValue
    target: float | None
    direction: GoalDirectionValue | None
    threshold_s: float | None = Field(description="wait_ge_pct only; null: 3 seconds")
    baseline: float | None = Field(description="The figure at the first lesson that has one")
    unit: str = Field(description='"%", "s", "per 10 min" or "notes"')
    latest_met: bool | None = Field(
        description="Whether the most recent lesson with a figure meets the target"
    )
    lessons: list[LessonFigureOut]

    @model_validator(mode="before")
    @classmethod
    def _from_progress(cls, value: Any) -> Any:
        if not isinstance(value, GoalProgress):
            return value
        goal, measure, latest = value.goal, value.measure, value.latest
        lessons = [
            {"video_id": lesson.video.id, "title": lesson.video.title, "number": lesson.number,
             "recorded_at": lesson.video.created_at, "value": fig.value, "met": fig.met,
             "status": fig.status, "reason": fig.reason}
            for lesson, fig in value.points
        ]  # fmt: skip
        return {
            "goal_id": goal.id,
            "statement": goal.statement,
            "metric": goal.metric,
            "target": goal.target,
            "direction": goal.direction,
            "threshold_s": goal.threshold_s,
            "baseline": value.baseline,
            "unit": measure.spec.unit,
            "latest_met": latest[1].met if latest else None,
            "lessons": lessons,
        }


class CycleProgressOut(Out):
    """Goals without a metric are left out; lessons I may not watch are not listed."""

    cycle_id: int
    goals: list[GoalProgressOut]
