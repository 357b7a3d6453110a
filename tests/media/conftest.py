"""Session-wide generated inputs and transcodes, so each file is made and encoded once."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.media import matrix
from worker.ladder import Outputs, Rung, plan_ladder, transcode
from worker.media import Binaries, ProbeResult, probe


@dataclass
class Transcoded:
    """A generated sample with its probe, ladder, transcode outputs and measurements."""

    sample: matrix.Sample
    probe: ProbeResult
    ladder: list[Rung]
    outputs: Outputs
    out_dir: Path
    seconds: float
    progress: list[float] = field(default_factory=list)


TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="session")
def transcoded(
    binaries: Binaries, sample: Callable[[str], matrix.Sample],
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[str], Transcoded]:  # fmt: skip
    """Return a function transcoding (once per session) the named sample."""
    cache: dict[str, Transcoded] = {}

    def get(name: str) -> Transcoded:
        if name not in cache:
            src = sample(name)
            info = probe(src.path, binaries)
            ladder = plan_ladder(info)
            out = tmp_path_factory.mktemp(f"out-{name}")
            progress: list[float] = []
            started = time.monotonic()
            outputs = transcode(src.path, out, info, ladder, binaries, on_progress=progress.append)
            seconds = time.monotonic() - started
            TIMINGS[name] = seconds
            cache[name] = Transcoded(src, info, ladder, outputs, out, seconds, progress)
        return cache[name]

    return get


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print how long each sample took to transcode, to watch for regressions."""
    if TIMINGS:
        terminalreporter.section("transcode timings")
        for name, seconds in sorted(TIMINGS.items()):
            terminalreporter.write_line(f"{name:12s} {seconds:6.2f} s")
