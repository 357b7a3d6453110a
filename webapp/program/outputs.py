"""The program's outputs: measured goals, and how many moved the right way from their baseline.

A goal counts once it has a figure in at least two lessons, in the month of its latest measured
lesson (so it shows where its story currently ends). It has improved when that latest figure is
past its baseline (the first lesson's figure) in the direction its target asks for; a goal
without a target uses its metric's natural direction (NATURAL). Figures are read as the
teacher's own lessons measure them (webapp/coaching/progress.py), then only counted.
"""

from collections import defaultdict

from sqlalchemy import exists, select

from webapp import db
from webapp.coaching import progress
from webapp.coaching.models import Cycle, Goal, GoalDirection, GoalMetric
from webapp.program import rules

NATURAL = {
    GoalMetric.STUDENT_TALK_PCT: GoalDirection.AT_LEAST,
    GoalMetric.TEACHER_TALK_PCT: GoalDirection.AT_MOST,
    GoalMetric.MEAN_WAIT_S: GoalDirection.AT_LEAST,
    GoalMetric.WAIT_GE_PCT: GoalDirection.AT_LEAST,
    GoalMetric.OPEN_QUESTIONS_PER_10MIN: GoalDirection.AT_LEAST,
    GoalMetric.TAGGED_NOTES: GoalDirection.AT_LEAST,
}
DEFINITION = (
    "A goal counts once its metric has a figure in at least two lessons, in the month of its "
    "latest one; it has improved when that figure is past the baseline (its first lesson) in "
    "the direction of its target, or without a target in its metric's natural direction "
    "(more student talk, less teacher talk, longer waits, more open questions or tagged notes)."
)


def improved(goal: Goal, baseline: float, latest: float) -> bool:
    """Whether the latest figure moved past the baseline the way the goal wants."""
    direction = goal.direction or NATURAL[GoalMetric(goal.metric)]
    return latest < baseline if direction == GoalDirection.AT_MOST else latest > baseline


def goal_outputs(people, months: list[str]) -> tuple[dict, dict]:
    """(goals measured in two lessons or more, share of them improved): cells by month."""
    found = defaultdict(lambda: [0, 0, set()])  # month -> goals, improved, teacher ids
    measured_goal = exists().where(Goal.cycle_id == Cycle.id, Goal.metric.isnot(None))
    cycles = db.session().scalars(select(Cycle).where(Cycle.teacher_id.in_(people), measured_goal))
    for cycle in cycles:
        for item in progress.cycle_progress(cycle, cycle.teacher):
            if len(item.measured) < 2:
                continue
            lesson, latest = item.measured[-1]
            entry = found[f"{lesson.video.created_at:%Y-%m}"]
            entry[0] += 1
            entry[1] += improved(item.goal, item.baseline, latest.value)
            entry[2].add(cycle.teacher_id)
    counts, shares = {}, {}
    for month in months:
        goals, better, teachers = found.get(month, (0, 0, ()))
        counts[month] = rules.cell(len(teachers), goals)
        shares[month] = rules.share(goals, better, len(teachers))
    return counts, shares
