"""A program figure's trend, month by month, as SVG drawn by the server.

The approach of webapp/coaching/chart.py (no script, no style attribute; x in percent of the
width, y in pixels of a fixed height, so a phone keeps readable labels). A withheld month is a
gap: no point, and the line breaks there rather than dropping to zero. The figures table on
the page is the accessible alternative; the chart is a picture of it.
"""

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from webapp.coaching.chart import nice_top
from webapp.coaching.measures import number
from webapp.program.figures import RATING, SHARE, Figure

HEIGHT = 150
TOP, BOTTOM = 16, 120
LEFT, WIDTH = 4.0, 92.0
LABEL_Y = 140
LABEL_EVERY = 3  # twelve month names side by side collide in a half-width card


@dataclass(frozen=True)
class Point:
    month: str
    label: str  # "Mar", on every LABEL_EVERY-th month back from the newest, else ""
    x: float  # %
    y: float | None  # None: withheld


@dataclass(frozen=True)
class Trend:
    figure: Figure
    points: list[Point]
    grid: list[tuple[float, str]]
    height: int = HEIGHT
    label_y: int = LABEL_Y

    @property
    def segments(self) -> list[tuple[Point, Point]]:
        """Lines between neighbouring months that both have a figure: a gap stays a gap."""
        return [(a, b) for a, b in pairwise(self.points) if a.y is not None and b.y is not None]

    @property
    def empty(self) -> bool:
        return all(point.y is None for point in self.points)


def _scale(figure: Figure) -> tuple[float, float]:
    if figure.kind == SHARE:
        return 0.0, 100.0
    if figure.kind == RATING:
        return 1.0, 5.0
    values = [c.value for c in figure.cells.values() if c.value is not None]
    return 0.0, nice_top(max(values, default=0) * 1.1)


def trend(figure: Figure, months: list[str]) -> Trend:
    """Where each month's figure goes on the chart of this figure."""
    low, high = _scale(figure)

    def y(value: float) -> float:
        return round(BOTTOM - (min(value, high) - low) / (high - low) * (BOTTOM - TOP), 1)

    band = WIDTH / max(len(months), 1)
    points = []
    for i, month in enumerate(months):
        value = figure.cells[month].value
        named = (len(months) - 1 - i) % LABEL_EVERY == 0
        label = date(int(month[:4]), int(month[5:]), 1).strftime("%b") if named else ""
        x = round(LEFT + (i + 0.5) * band, 2)
        points.append(Point(month, label, x, None if value is None else y(value)))
    middle = (low + high) / 2
    unit = " %" if figure.kind == SHARE else ""
    grid = [
        (y(low), number(low, 1)),
        (y(middle), number(middle, 1)),
        (y(high), f"{number(high, 1)}{unit}"),
    ]
    return Trend(figure, points, grid)
