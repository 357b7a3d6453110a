"""Run ffmpeg in its own process group with progress, stall detection, a timeout and a CPU
budget (a tiny file can cost hours of CPU; wall time alone misses that on a busy machine).

Commands are built as ffmpeg-python graphs and compiled here to argv; ffmpeg-python's own
runner is not used, as it has none of the above.
"""

from __future__ import annotations

import collections
import contextlib
import os
import resource
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ffmpeg.nodes import OutputStream

if TYPE_CHECKING:
    from worker.media import Binaries


class FFmpegError(RuntimeError):
    """ffmpeg/ffprobe failed in a way a retry might fix; carries the end of its log."""

    def __init__(self, message: str, stderr_tail: str = "") -> None:
        super().__init__(f"{message}\n{stderr_tail}".rstrip())
        self.stderr_tail = stderr_tail


class FFmpegTimeout(FFmpegError):
    """ffmpeg ran too long or stopped making progress, and was killed."""


class CpuBudgetExceeded(FFmpegError):
    """ffmpeg used more CPU time than the video's budget allows, and was killed."""

    def __init__(self, budget: CpuBudget, stderr_tail: str = "") -> None:
        super().__init__(f"ffmpeg used over {budget.total:g} CPU seconds", stderr_tail)
        self.budget = budget


class CpuBudget:
    """CPU seconds that all the ffmpeg runs for one video may use between them."""

    def __init__(self, total: float) -> None:
        self.total = total
        self.used = 0.0

    @property
    def remaining(self) -> float:
        return self.total - self.used


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a running process from /proc (Linux); None where unavailable."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class FFmpegProcess:
    """An ffmpeg run in its own process group, killed whole on timeout, stall or exception."""

    def __init__(
        self, args: Sequence[str], *, cwd: str | os.PathLike[str] | None = None,
        stall_timeout: float | None = 120.0, timeout: float | None = None,
        cpu_budget: CpuBudget | None = None,
    ) -> None:  # fmt: skip
        self.args = list(args)
        self.cpu_budget = cpu_budget
        self._cpu = 0.0
        self.cwd = cwd
        self.stall_timeout = stall_timeout
        self.timeout = timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.killed_because: str | None = None
        self._stderr: collections.deque[str] = collections.deque(maxlen=20)
        self._last_activity = time.monotonic()
        self._done = threading.Event()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> FFmpegProcess:
        if self.cpu_budget is not None and self.cpu_budget.remaining <= 0:
            raise CpuBudgetExceeded(self.cpu_budget)
        self._children_cpu_before = _children_cpu()
        self.proc = subprocess.Popen(
            self.args, cwd=self.cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        self._started = self._last_activity = time.monotonic()
        for target in (self._drain_stderr, self._watchdog):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._done.set()
        if self.proc is not None:
            kill_group(self.proc)
            if self.proc.stdout:
                self.proc.stdout.close()
        for thread in self._threads:
            thread.join(timeout=5)
        if self.cpu_budget is not None:
            # The last /proc sample misses the run's final moments; the reaped-children delta
            # includes them (one video's runs are sequential, so that delta is this run's).
            self.cpu_budget.used += max(self._cpu, _children_cpu() - self._children_cpu_before)

    @property
    def stdout(self) -> Any:
        """Return ffmpeg's stdout pipe (progress lines or raw samples)."""
        assert self.proc is not None and self.proc.stdout is not None
        return self.proc.stdout

    def touch(self) -> None:
        """Record that ffmpeg made progress, resetting the stall clock."""
        self._last_activity = time.monotonic()

    def wait(self) -> None:
        """Wait for exit; raise FFmpegTimeout if we killed it, FFmpegError if it failed."""
        assert self.proc is not None
        code = self.proc.wait()
        self._done.set()
        self._threads[0].join(timeout=5)
        tail = "\n".join(self._stderr)
        if self.killed_because == "cpu":
            assert self.cpu_budget is not None
            raise CpuBudgetExceeded(self.cpu_budget, tail)
        if self.killed_because:
            raise FFmpegTimeout(f"ffmpeg killed: {self.killed_because}", tail)
        if code != 0:
            raise FFmpegError(f"ffmpeg exited with status {code}", tail)

    def _drain_stderr(self) -> None:
        """Keep the last lines of the log; draining also stops ffmpeg blocking on a full pipe."""
        assert self.proc is not None and self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr.append(line.decode("utf-8", "replace").rstrip())
        self.proc.stderr.close()

    def _watchdog(self) -> None:
        """Kill the process group when the run is too long, too costly or makes no progress."""
        assert self.proc is not None
        while not self._done.wait(0.1):
            now = time.monotonic()
            if self.cpu_budget is not None:
                self._cpu = _cpu_seconds(self.proc.pid) or self._cpu
            if self.cpu_budget is not None and self._cpu > self.cpu_budget.remaining:
                self.killed_because = "cpu"
            elif self.timeout is not None and now - self._started > self.timeout:
                self.killed_because = f"took longer than {self.timeout:g} s"
            elif self.stall_timeout is not None and now - self._last_activity > self.stall_timeout:
                self.killed_because = f"no progress for {self.stall_timeout:g} s"
            else:
                continue
            kill_group(self.proc)
            return


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL a process started with start_new_session=True, with all its children."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):  # it may exit between poll and kill
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


# Quiet, never interactive, overwrite, and machine-readable progress on stdout.
RUNNER_ARGS = ("-hide_banner", "-nostdin", "-y", "-v", "error", "-progress", "pipe:1", "-nostats")


def compile_command(binaries: Binaries, graph: OutputStream, *global_args: str) -> list[str]:
    """Return the argv of an ffmpeg-python graph, run by our binary with these global options."""
    return graph.global_args(*global_args).compile(cmd=binaries.ffmpeg)


def run_ffmpeg(
    binaries: Binaries, args: OutputStream | Sequence[str], *, duration_s: float = 0.0,
    on_progress: Callable[[float], None] | None = None, cwd: str | os.PathLike[str] | None = None,
    stall_timeout: float | None = 120.0, timeout: float | None = None,
    cpu_budget: CpuBudget | None = None,
) -> float:  # fmt: skip
    """Run ffmpeg with progress, calling on_progress(0 to 100) as it advances.

    `args` is a graph, or the arguments after the runner's own as strings (tests hand-write
    those). Returns the seconds of output written, so callers can check the real length.
    """
    if isinstance(args, OutputStream):
        full = compile_command(binaries, args, *RUNNER_ARGS)
    else:
        full = [binaries.ffmpeg, *RUNNER_ARGS, *args]
    reported = -1.0
    with FFmpegProcess(full, cwd=cwd, stall_timeout=stall_timeout, timeout=timeout,
                       cpu_budget=cpu_budget) as run:  # fmt: skip
        position = 0
        for raw in run.stdout:
            key, _, value = raw.decode("ascii", "replace").strip().partition("=")
            # out_time_ms is microseconds too (an old ffmpeg naming bug), kept as a fallback.
            if key in ("out_time_us", "out_time_ms") and value.isdigit() and int(value) > position:
                position = int(value)
                run.touch()
                percent = min(99.9, position / 1e4 / duration_s) if duration_s > 0 else 0.0
                if on_progress and percent > reported:
                    reported = percent
                    on_progress(round(percent, 1))
            elif key == "progress" and value == "end":
                run.touch()
        run.wait()
    if on_progress:
        on_progress(100.0)
    return position / 1e6
