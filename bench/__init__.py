"""On-demand benchmarks for Debrief: figures and side-by-side ratios, measured in one run.

Run `python -m bench` (all), `python -m bench NAME …` (some) or add `--quick` for short inputs.
"""
