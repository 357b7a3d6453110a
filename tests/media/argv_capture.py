"""Record the exact ffmpeg argv every worker builder hands to the runner, without running ffmpeg.

The public functions (transcode, remux_faststart, make_poster, make_storyboard, make_peaks) run
against a stand-in FFmpegProcess that only records its arguments, so what is captured is what
production would execute. `python -m tests.media.argv_capture` probes the media matrix and
writes the fixture that tests/media/test_ffmpeg_args.py compares later builds against.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import tempfile
from collections.abc import Iterator
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any
from unittest import mock

from tests.media import matrix
from worker import artifacts, ffrun
from worker.ladder import plan_ladder, remux_faststart, transcode
from worker.media import Binaries, Limits, ProbeResult, find_binaries, for_recording, probe

FIXTURE = Path(__file__).with_name("expected_ffmpeg_args.json")
SRC_DIR, OUT_DIR = "/src", "/out"  # placeholders for the source folder and the scratch folder


class _Recorder:
    """Stands in for FFmpegProcess: records argv and cwd, then behaves like a silent run."""

    runs: list[dict[str, Any]]

    def __init__(self, args: list[str], *, cwd: Any = None, **_: Any) -> None:
        self.runs.append({"argv": list(args), "cwd": None if cwd is None else str(cwd)})
        self.stdout = io.BytesIO(b"")

    def __enter__(self) -> _Recorder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass

    def touch(self) -> None:
        pass

    def wait(self) -> None:
        pass


@contextlib.contextmanager
def recording() -> Iterator[list[dict[str, Any]]]:
    """Patch both places the worker starts ffmpeg; yield the list runs are appended to."""
    runs: list[dict[str, Any]] = []
    recorder = type("Recorder", (_Recorder,), {"runs": runs})
    with mock.patch.object(ffrun, "FFmpegProcess", recorder), \
         mock.patch.object(artifacts, "FFmpegProcess", recorder):  # fmt: skip
        yield runs


def _normalised(runs: list[dict[str, Any]], out: Path) -> list[dict[str, Any]]:
    """Replace the scratch folder by OUT_DIR, so captures from any machine compare equal."""

    def fix(text: str | None) -> str | None:
        return None if text is None else text.replace(str(out), OUT_DIR)

    return [{"argv": [fix(a) for a in run["argv"]], "cwd": fix(run["cwd"])} for run in runs]


def capture(info: ProbeResult | None, src: str, limits: Limits) -> dict[str, list]:
    """Return {builder: [runs]} for one probed source; failures after the run are expected."""
    result: dict[str, list] = {}
    b = _BINARIES
    steps = {
        "ladder": lambda out: transcode(src, out, info, plan_ladder(info), b, limits=limits),
        "remux": lambda out: remux_faststart(src, out / "quick.mp4", b, info, limits),
        "poster": lambda out: artifacts.make_poster(src, out / "poster.jpg", info, b, limits),
        "storyboard": lambda out: artifacts.make_storyboard(src, out, info, b, limits=limits),
        "peaks": lambda out: artifacts.make_peaks(src, out / "peaks.json", info, b, limits=limits),
    }
    if info is None:  # only the quick remux may run before a probe
        steps = {"remux": steps["remux"]}
    for name, step in steps.items():
        with tempfile.TemporaryDirectory() as tmp, recording() as runs:
            # Nothing was written, so the builders' own output checks fail after the run.
            with contextlib.suppress(RuntimeError):
                step(Path(tmp))
            result[name] = _normalised(runs, Path(tmp))
    return result


# Fixed names, so argv never depends on where ffmpeg is installed.
_BINARIES = Binaries(ffmpeg="ffmpeg", ffprobe="ffprobe")


def probe_to_json(info: ProbeResult) -> dict[str, Any]:
    """Serialise a probe; the exact frame rate as "num/den"."""
    data = dataclasses.asdict(info)
    data["frame_rate"] = None if info.frame_rate is None else str(info.frame_rate)
    data["recorded_on"] = None if info.recorded_on is None else info.recorded_on.isoformat()
    return data


def probe_from_json(data: dict[str, Any]) -> ProbeResult:
    """Rebuild a probe saved by probe_to_json."""
    rate, day = data["frame_rate"], data.get("recorded_on")
    fields = {"frame_rate": None if rate is None else Fraction(rate),
              "recorded_on": None if day is None else date.fromisoformat(day)}  # fmt: skip
    return ProbeResult(**{**data, **fields})


def limit_variants(info: ProbeResult | None) -> dict[str, Limits]:
    """Default limits (no -t), and the per-recording ones jobs use (with -t and a CPU budget)."""
    variants = {"default": Limits()}
    if info is not None:
        variants["recording"] = for_recording(Limits(), info, 1.0)
    return variants


def expected_for(info: ProbeResult | None) -> dict[str, Any]:
    """Capture every builder under every limit variant for one source (info.path is its name)."""
    src = info.path if info else f"{SRC_DIR}/unprobed.mp4"
    return {variant: capture(info, src, limits) for variant, limits in limit_variants(info).items()}


def build_fixture(binaries: Binaries, media: Path) -> dict[str, Any]:
    """Generate and probe every good matrix source, and capture its ffmpeg runs."""
    fixture: dict[str, Any] = {"unprobed": {"probe": None, "runs": expected_for(None)}}
    for name, make in matrix.GOOD.items():
        path = make(binaries, media).path
        info = dataclasses.replace(probe(path, binaries), path=f"{SRC_DIR}/{path.name}")
        fixture[name] = {"probe": probe_to_json(info), "runs": expected_for(info)}
    return fixture


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as media_dir:
        data = build_fixture(find_binaries(), Path(media_dir))
    FIXTURE.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"wrote {FIXTURE} ({len(data)} sources)")
