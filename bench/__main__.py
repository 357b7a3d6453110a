"""Run the benchmarks: `python -m bench [--quick] [NAME …]`; exit 1 when a goal is missed."""

import argparse
import os
import sys
import time
import traceback

from bench import (
    analysis,
    annotations,
    fairness,
    hevc,
    library,
    pipeline,
    playable,
    putmem,
    report,
    scaling,
    singlepass,
    upload,
)

BENCHMARKS = {
    "pipeline": pipeline,  # (a)
    "singlepass": singlepass,  # (b)
    "upload": upload,  # (c)
    "putmem": putmem,  # (d)
    "playable": playable,  # (e)
    "annotations": annotations,  # (f)
    "hevc": hevc,  # (g)
    "scaling": scaling,  # (h)
    "fairness": fairness,  # (i)
    "analysis": analysis,  # (j)
    "library": library,  # (k)
}
LETTERS = dict(zip("abcdefghijk", BENCHMARKS, strict=True))


def parse(argv: list[str]) -> argparse.Namespace:
    """Read the benchmark names (or their letters a to k) and --quick."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    names = ", ".join(f"{name} ({letter})" for letter, name in LETTERS.items())
    parser.add_argument("names", nargs="*", help=f"any of {names}; default: all")
    parser.add_argument("--quick", action="store_true", help="shorter inputs, a few minutes")
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(BENCHMARKS) - set(LETTERS)
    if unknown:
        parser.error(f"unknown benchmark {', '.join(sorted(unknown))}; choose from {names}")
    args.names = [LETTERS.get(n, n) for n in args.names] or list(BENCHMARKS)
    return args


def run_one(name: str, quick: bool) -> report.Result | None:
    """Run one benchmark, show and save its result; a crash is reported, not fatal."""
    start = time.perf_counter()
    try:
        result = BENCHMARKS[name].run(quick)
    except Exception:
        traceback.print_exc()
        print(f"\n{name}: ERROR after {time.perf_counter() - start:.0f} s")
        return None
    report.show(result)
    print(f"  ({time.perf_counter() - start:.0f} s; saved {report.save(result, quick)})")
    return result


def main(argv: list[str]) -> int:
    """Run the chosen benchmarks in order, then print one line per benchmark."""
    args = parse(argv)
    load = os.getloadavg()[0]
    if load > 0.5:
        print(f"warning: load average {load:.1f}; other work skews wall times (CPU times hold)")
    results = {name: run_one(name, args.quick) for name in args.names}
    print("\nSummary")
    for name, result in results.items():
        if result is None:
            print(f"  {name:<11} ERROR")
        for check in result.checks if result else []:
            value = f"{report.number(check.value)} (goal {check.goal_text})"
            print(f"  {name:<11} {check.verdict:<5} {check.metric}: {value}")
    return 0 if all(r and r.verdict != "MISS" for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
