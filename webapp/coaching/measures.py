"""What a goal's metric means, and the checks on a goal's metric, target and direction.

A goal's measure is four columns that only make sense together (DESIGN §3): the metric, a
target with the side of it the figure should be on, and for the wait share its threshold. The
checks live here, once, for the API and the cycle form alike; the database's CHECKs
(migration 0010) are the last line, not the wording people see.
"""

import math
from dataclasses import dataclass, fields, replace

from webapp.coaching.models import GoalDirection, GoalMetric
from webapp.errors import ValidationError

DEFAULT_THRESHOLD_S = 3.0  # Rowe's wait time: at least 3 seconds
MAX_THRESHOLD_S = 60.0


@dataclass(frozen=True)
class MetricSpec:
    """How a metric is named in the form, written beside its figures, and bounded."""

    label: str  # plain words, as the cycle form offers it
    unit: str  # as the API answers it and the page writes it after a figure
    digits: int  # decimals shown
    maximum: float | None = None  # shares are percentages: 0 to 100
    singular: str | None = None  # the unit after a 1, when it differs ("1 note")


METRICS = {
    GoalMetric.STUDENT_TALK_PCT: MetricSpec("Students' share of talk (%)", "%", 1, 100.0),
    GoalMetric.TEACHER_TALK_PCT: MetricSpec("Teacher's share of talk (%)", "%", 1, 100.0),
    GoalMetric.MEAN_WAIT_S: MetricSpec("Average wait after a question (seconds)", "s", 1),
    GoalMetric.WAIT_GE_PCT: MetricSpec(
        "Questions followed by a wait of at least N seconds (%)", "%", 1, 100.0
    ),
    GoalMetric.OPEN_QUESTIONS_PER_10MIN: MetricSpec(
        "Open questions per 10 minutes", "per 10 min", 1
    ),
    GoalMetric.TAGGED_NOTES: MetricSpec(
        "Notes tagged with the goal's linked moves", "notes", 0, singular="note"
    ),
}

DIRECTIONS = {GoalDirection.AT_LEAST: "At least", GoalDirection.AT_MOST: "At most"}


@dataclass(frozen=True)
class Measure:
    """A goal's metric, target, direction and wait threshold (all None: not measured)."""

    metric: str | None = None
    target: float | None = None
    direction: str | None = None
    threshold_s: float | None = None

    @classmethod
    def of(cls, goal) -> "Measure":
        return cls(goal.metric, goal.target, goal.direction, goal.threshold_s)

    def changed(self, changes: dict) -> "Measure":
        """This measure with the fields in `changes` replaced (others in it are ignored). A
        new metric starts afresh: the old target, direction and threshold were for the old one."""
        sent = {f.name: changes[f.name] for f in fields(self) if f.name in changes}
        base = self if sent.get("metric", self.metric) == self.metric else Measure()
        return replace(base, **sent)

    @property
    def spec(self) -> MetricSpec:
        return METRICS[GoalMetric(self.metric)]

    @property
    def threshold(self) -> float:
        """The wait that counts as long enough for the wait share, in seconds."""
        return self.threshold_s if self.threshold_s is not None else DEFAULT_THRESHOLD_S

    @property
    def label(self) -> str:
        """The metric in plain words, the wait share with its own threshold."""
        label = self.spec.label
        if self.metric == GoalMetric.WAIT_GE_PCT:
            label = label.replace("N seconds", f"{number(self.threshold, 1)} seconds")
        return label

    def show(self, value: float) -> str:
        """A figure as the pages write it: "42.5 %", "3.1 s", "4 notes"."""
        unit = self.spec.singular if value == 1 and self.spec.singular else self.spec.unit
        return f"{number(value, self.spec.digits)} {unit}"

    @property
    def target_text(self) -> str:
        """The target in words, e.g. "at least 40 %" ("" without a target)."""
        if self.target is None:
            return ""
        return f"{DIRECTIONS[GoalDirection(self.direction)].lower()} {self.show(self.target)}"

    def meets(self, value: float | None) -> bool | None:
        """Whether a figure is on the target's side of it (None: no target, or no figure)."""
        if self.target is None or value is None:
            return None
        if self.direction == GoalDirection.AT_MOST:
            return value <= self.target
        return value >= self.target


UNMEASURED = Measure()


def number(value: float, digits: int) -> str:
    """A figure with at most `digits` decimals and no trailing zeros: 40, 42.5."""
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def check(measure: Measure) -> Measure:
    """The measure if it holds together, else a ValidationError naming each field at fault.

    A target needs a metric and a direction (and a direction a target); shares are 0 to 100;
    the threshold belongs to the wait share alone. Without a metric nothing else may be set.
    """
    fields = _metric_errors(measure) if measure.metric is not None else _unmeasured(measure)
    if fields:
        raise ValidationError("Please correct the goal's measure.", fields)
    return measure


def _unmeasured(measure: Measure) -> dict:
    fields = {}
    if measure.target is not None:
        fields["target"] = "Choose what measures this goal before setting a target."
    if measure.direction is not None:
        fields["direction"] = "Choose what measures this goal before setting a direction."
    if measure.threshold_s is not None:
        fields["threshold_s"] = "A wait threshold goes with the wait share metric."
    return fields


def _metric_errors(measure: Measure) -> dict:
    if measure.metric not in set(GoalMetric):
        return {"metric": "Choose one of the listed measures."}
    fields, spec, target = {}, METRICS[GoalMetric(measure.metric)], measure.target
    if target is not None and not (math.isfinite(target) and target >= 0):
        fields["target"] = "The target is a number of 0 or more."
    elif target is not None and spec.maximum is not None and target > spec.maximum:
        fields["target"] = "A percentage target is between 0 and 100."
    if measure.direction is None and target is not None:
        fields["direction"] = "Say whether the figure should be at least or at most the target."
    elif measure.direction is not None and measure.direction not in set(GoalDirection):
        fields["direction"] = "Choose at least or at most."
    elif measure.direction is not None and target is None:
        fields["target"] = "Give the number the figure should be at least or at most."
    fields |= _threshold_errors(measure)
    return fields


def _threshold_errors(measure: Measure) -> dict:
    threshold = measure.threshold_s
    if threshold is None:
        return {}
    if measure.metric != GoalMetric.WAIT_GE_PCT:
        return {"threshold_s": "A wait threshold goes with the wait share metric."}
    if not (math.isfinite(threshold) and 0 < threshold <= MAX_THRESHOLD_S):
        return {"threshold_s": f"The wait is more than 0 and at most {MAX_THRESHOLD_S:g} seconds."}
    return {}
