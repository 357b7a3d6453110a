"""Figures the lesson tests measure, printed at the end of the run (and quoted in the README)."""

FIGURES: dict[str, str] = {}
TIMINGS: dict[str, float] = {}
