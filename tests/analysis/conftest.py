"""Synthetic lessons and their analyses, made once per session (speech synthesis and
recognition are the slow parts). espeak-ng must be installed: `make test` does it as root;
without it these tests fail saying so, never skip."""

from __future__ import annotations

import time

import pytest

from tests.analysis.report import FIGURES, TIMINGS
from webapp import lessonsynth
from worker.analysis import LessonAnalysis, analyse


@pytest.fixture(scope="session")
def espeak() -> str:
    try:
        return lessonsynth.require_espeak()
    except RuntimeError as missing:
        pytest.fail(str(missing), pytrace=False)


@pytest.fixture(scope="session")
def lesson(binaries, espeak, tmp_path_factory) -> lessonsynth.Lesson:
    """The scripted fractions lesson: a teacher near the phone, two students across the room."""
    started = time.monotonic()
    made = lessonsynth.make_lesson(binaries, tmp_path_factory.mktemp("lesson"))
    TIMINGS["synthesise lesson"] = time.monotonic() - started
    return made


@pytest.fixture(scope="session")
def analysed(lesson, binaries) -> LessonAnalysis:
    """The lesson analysed as the worker would (one chunk: it is shorter than a chunk)."""
    started = time.monotonic()
    result = analyse(lesson.path, binaries=binaries)
    TIMINGS["analyse lesson"] = time.monotonic() - started
    return result


@pytest.fixture(scope="session")
def analysed_in_chunks(lesson, binaries) -> LessonAnalysis:
    """The same lesson cut in 25 s chunks, as a long lesson is."""
    started = time.monotonic()
    result = analyse(lesson.path, binaries=binaries, chunk_s=25)
    TIMINGS["analyse lesson in chunks"] = time.monotonic() - started
    return result


@pytest.fixture(scope="session")
def lecture(binaries, espeak, tmp_path_factory) -> lessonsynth.Lesson:
    """The teacher alone."""
    return lessonsynth.make_lesson(
        binaries, tmp_path_factory.mktemp("lecture"), lessonsynth.LECTURE
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the accuracy measured and how long synthesis and analysis took."""
    if TIMINGS or FIGURES:
        terminalreporter.section("lesson analysis")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name:36s} {value}")
        for name, seconds in TIMINGS.items():
            terminalreporter.write_line(f"{name:36s} {seconds:6.2f} s")
