"""Test recordings made with ffmpeg lavfi, cached, and a bare ffmpeg runner to compare with."""

import resource
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from worker.media import Binaries

CACHE_DIR = Path(__file__).resolve().parent / ".cache"


def recording(binaries: Binaries, seconds: int) -> Path:
    """Return a cached 1080p30 H.264/AAC MP4 like a phone recording, making it on first use."""
    path = CACHE_DIR / f"testsrc2-1080p30-{seconds}s.mp4"
    if path.exists():
        return path
    CACHE_DIR.mkdir(exist_ok=True)
    partial = path.with_name(path.stem + ".partial.mp4")
    # A small pattern scaled up and ultrafast x264 make a 10-minute 1080p file in about 2 min.
    video = f"testsrc2=s=480x270:r=30:d={seconds},scale=1920:1080:flags=fast_bilinear"
    subprocess.run(
        [binaries.ffmpeg, "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", video,
         "-f", "lavfi", "-i", f"sine=f=440:sample_rate=48000:d={seconds}",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "60",
         "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", str(partial)],
        check=True,
    )  # fmt: skip
    partial.rename(path)
    return path


def looped(binaries: Binaries, unit: Path, seconds: int, suffix: str) -> Path:
    """Return a cached recording made of `unit` repeated (stream copy) to `seconds` long."""
    path = CACHE_DIR / f"{unit.stem}-x{seconds}s{suffix}"
    if path.exists():
        return path
    partial = path.with_name(path.stem + ".partial" + suffix)
    subprocess.run(
        [binaries.ffmpeg, "-hide_banner", "-v", "error", "-y", "-stream_loop", "-1", "-i",
         str(unit), "-t", str(seconds), "-c", "copy", "-movflags", "+faststart", str(partial)],
        check=True,
    )  # fmt: skip
    partial.rename(path)
    return path


def hevc_portrait(binaries: Binaries, seconds: int) -> Path:
    """Return a cached 1080p30 HEVC/AAC portrait .mov (1080 by 1920), as iPhones record by default.

    One minute is encoded (x265 is slow), keyframes every 2 s like a phone's, then looped.
    """
    unit = CACHE_DIR / "hevc-1080x1920p30-60s.mov"
    if not unit.exists():
        CACHE_DIR.mkdir(exist_ok=True)
        partial = unit.with_name(unit.stem + ".partial.mov")
        video = "testsrc2=s=270x480:r=30:d=60,scale=1080:1920:flags=fast_bilinear"
        subprocess.run(
            [binaries.ffmpeg, "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", video,
             "-f", "lavfi", "-i", "sine=f=440:sample_rate=48000:d=60", "-c:v", "libx265",
             "-preset", "ultrafast", "-x265-params", "log-level=error:keyint=60",
             "-tag:v", "hvc1", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k",
             str(partial)],
            check=True,
        )  # fmt: skip
        partial.rename(unit)
    return unit if seconds == 60 else looped(binaries, unit, seconds, ".mov")


def warm(path: Path) -> None:
    """Read a file once so every timed run finds it in the page cache alike."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds, and CPU seconds of this process plus the children it waited for."""

    wall: float
    cpu: float


def _cpu() -> float:
    """Return user + system CPU seconds used so far by us and our reaped children."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def timed(action: Callable[[], object]) -> Timing:
    """Time action(); CPU time stays fair when other work shares the machine, wall time not."""
    cpu, start = _cpu(), time.perf_counter()
    action()
    return Timing(time.perf_counter() - start, _cpu() - cpu)


def alternate(first: Callable[[int], object], second: Callable[[int], object], rounds: int) -> None:
    """Call first(i) and second(i) for each round, swapping the order every round, so neither
    side always runs first, on a colder cache or at a busier moment of a shared machine."""
    for i in range(rounds):
        for action in (first, second) if i % 2 == 0 else (second, first):
            action(i)


def bare_ffmpeg(binaries: Binaries, args: list[str], cwd: Path) -> None:
    """Run ffmpeg with the given arguments and nothing else: no progress pipe, no watchdog."""
    cwd.mkdir(parents=True, exist_ok=True)
    subprocess.run([binaries.ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", *args],
                   cwd=cwd, check=True, stdin=subprocess.DEVNULL)  # fmt: skip
