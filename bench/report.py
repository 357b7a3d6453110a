"""One benchmark's result: a printed table, PASS/MISS verdicts and bench/results/<name>.json."""

import json
import operator
import os
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
CHECKS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}
SYMBOLS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">"}


@dataclass
class Check:
    """One value judged against a goal from the issue (op None: the issue set no goal)."""

    metric: str
    value: float
    op: str | None = None
    goal: float | None = None

    @property
    def verdict(self) -> str:
        """Return PASS or MISS against the goal, or INFO when there is none."""
        if self.op is None or self.goal is None:
            return "INFO"
        return "PASS" if CHECKS[self.op](self.value, self.goal) else "MISS"

    @property
    def goal_text(self) -> str:
        """Return the goal as people read it, e.g. "≤ 1.1"."""
        return f"{SYMBOLS[self.op]} {self.goal:g}" if self.op else "none set"


@dataclass
class Result:
    """Measured figures plus the values judged against the issue's goals."""

    name: str
    title: str
    figures: list[tuple[str, float, str]]  # (label, value, unit)
    checks: list[Check]
    notes: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """Return MISS if any check misses, PASS if any passes, else INFO."""
        verdicts = {check.verdict for check in self.checks}
        for verdict in ("MISS", "PASS"):
            if verdict in verdicts:
                return verdict
        return "INFO"


def number(value: float) -> str:
    """Format a figure with about four significant digits."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def cpu_model() -> str:
    """Return the CPU model from /proc/cpuinfo, for reading figures against the machine."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor()
    return next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")), "")


def show(result: Result) -> None:
    """Print the figures, then each judged value, its goal and the verdict."""
    print(f"\n{result.title}")
    for label, value, unit in result.figures:
        print(f"  {label:<52} {number(value):>10} {unit}")
    for check in result.checks:
        line = f"  {check.metric:<52} {number(check.value):>10}"
        print(f"{line}   goal {check.goal_text:<8} {check.verdict}")
    for note in result.notes:
        print(f"  note: {note}")


def save(result: Result, quick: bool) -> Path:
    """Write the result as JSON under bench/results/, named after the benchmark."""
    RESULTS_DIR.mkdir(exist_ok=True)
    document = {
        **asdict(result),
        "figures": [{"label": k, "value": v, "unit": u} for k, v, u in result.figures],
        "checks": [{**asdict(c), "goal_text": c.goal_text, "verdict": c.verdict}
                   for c in result.checks],
        "verdict": result.verdict, "quick": quick,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "host": {"cpus": os.cpu_count(), "cpu": cpu_model(), "machine": platform.machine(),
                 "load_average": os.getloadavg()},
    }  # fmt: skip
    path = RESULTS_DIR / f"{result.name}.json"
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path
