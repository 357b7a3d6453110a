"""The geometry of a goal's chart on the cycle page, drawn as SVG by the server.

No script draws it, and no style attribute (the CSP forbids both inline): the template writes
plain SVG attributes and the stylesheet colours them by class. Horizontal positions are
percentages of the chart's width and vertical ones pixels of a fixed height, so the chart
fills a 390 px phone or a laptop's card while its text keeps its size (a scaled viewBox would
shrink the labels to nothing on a phone).
"""

import math
from dataclasses import dataclass
from itertools import pairwise

from webapp.coaching.measures import number
from webapp.coaching.progress import Figure, GoalProgress, Lesson

HEIGHT = 220  # px
TOP, BOTTOM = 28, 182  # the plot's extent in px: room for labels above and lesson numbers below
LEFT, WIDTH = 3.0, 94.0  # % of the width: lessons sit in equal bands across it
LABEL_Y = 204


@dataclass(frozen=True)
class Point:
    lesson: Lesson
    figure: Figure
    x: float  # %
    y: float | None  # px; None: no figure in this lesson

    @property
    def state(self) -> str:
        """The point's class: meets the target, not yet, or no target to meet."""
        return {True: "met", False: "unmet"}.get(self.figure.met, "plain")


@dataclass(frozen=True)
class Chart:
    progress: GoalProgress
    points: list[Point]
    grid: list[tuple[float, str]]  # (y px, label)
    target_y: float | None
    baseline_y: float | None
    height: int = HEIGHT
    label_y: int = LABEL_Y

    @property
    def verdict(self) -> str:
        return verdict(self.progress)

    @property
    def segments(self) -> list[tuple[Point, Point]]:
        """Lines joining each lesson with a figure to the next one that has one."""
        drawn = [point for point in self.points if point.y is not None]
        return list(pairwise(drawn))


def nice_top(value: float) -> float:
    """The smallest of 1, 2 or 5 times a power of ten at or above the value (at least 1): the
    axis's top, and a whole number of notes."""
    if value <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def chart(progress: GoalProgress) -> Chart:
    """Where each lesson, the target and the baseline go; shares run 0 to 100, other figures
    from 0 to a round number above the largest of them."""
    measure = progress.measure
    values = [fig.value for _, fig in progress.measured]
    values += [v for v in (measure.target, progress.baseline) if v is not None]
    top = measure.spec.maximum or nice_top(max(values, default=0) * 1.1)

    def y(value: float | None) -> float | None:
        if value is None:
            return None
        return round(BOTTOM - min(value, top) / top * (BOTTOM - TOP), 1)

    band = WIDTH / max(len(progress.points), 1)
    points = [
        Point(lesson, fig, round(LEFT + (i + 0.5) * band, 2), y(fig.value))
        for i, (lesson, fig) in enumerate(progress.points)
    ]
    # Numbers on the axis, the unit once at its top: "0", "50", "100 %".
    grid = [(y(0), "0"), (y(top / 2), number(top / 2, 1)), (y(top), measure.show(top))]
    return Chart(progress, points, grid, y(measure.target), y(progress.baseline))


def verdict(progress: GoalProgress) -> str:
    """Where the goal stands, in a sentence: the latest lesson measured against the target."""
    latest, measure = progress.latest, progress.measure
    if latest is None:
        return "No lesson has a figure yet: the chart fills in as lessons are analysed."
    lesson, fig = latest
    which = (
        f"The latest lesson measured, {lesson.video.title} ({lesson.video.lesson_date:%d %b %Y}),"
    )
    if fig.met is None:
        return f"{which} measured {measure.show(fig.value)}; no target is set."
    against = f"{measure.show(fig.value)} against a target of {measure.target_text}."
    if fig.met:
        return f"{which} meets the target: {against}"
    return f"{which} does not meet the target yet: {against}"
