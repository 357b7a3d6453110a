"""`analyse(path)`: one recording in, transcript, speakers, questions and figures out.

One pass over the audio, a bounded chunk at a time: each chunk is measured (frame cues for the
speaker estimate), searched for speech (VAD) and transcribed, then dropped. What is kept grows
with the lesson but is small (words, intervals, three floats per 20 ms), so a three-hour
lesson fits in a few tens of MB beside the model.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from worker.analysis import metrics
from worker.analysis.acoustics import FrameFeatures, measure, refine_onsets
from worker.analysis.audio import DEFAULT_CHUNK_S, SAMPLE_RATE, iter_chunks, require_audio
from worker.analysis.questions import find_questions
from worker.analysis.results import Interval, LessonAnalysis, Segment
from worker.analysis.speakers import estimate_turns
from worker.analysis.transcribe import (
    DEFAULT_LANGUAGE,
    heard,
    load_model,
    model_name,
    speech_intervals,
    transcribe_chunk,
)
from worker.media import Binaries, Limits, find_binaries, probe

# Bump when a change would alter stored results, so old analyses can be found and redone.
ANALYSER_VERSION = "1.0.0"
JOIN_MS = 40  # speech cut by a chunk boundary is one stretch again


def analyse(
    path: str | os.PathLike[str], *, model_path: str | os.PathLike[str] | None = None,
    language: str = DEFAULT_LANGUAGE, binaries: Binaries | None = None,
    limits: Limits | None = None, chunk_s: float = DEFAULT_CHUNK_S, cpu_threads: int = 0,
    on_progress: Callable[[float], None] | None = None,
) -> LessonAnalysis:  # fmt: skip
    """Transcribe and measure one lesson recording (any format ffmpeg reads).

    `model_path` is a local faster-whisper model folder (default: the bundled tiny.en) and
    `language` its language. Raises NoAudioTrack without sound, MediaRejected for a file that
    is not a recording, ModelNotFound for a bad model folder.
    """
    binaries = binaries or find_binaries()
    limits = limits or Limits()
    info = probe(path, binaries, limits)
    require_audio(info)
    model = load_model(model_path, cpu_threads)
    frames = FrameFeatures.empty()
    speech: list[Interval] = []
    transcript: list[Segment] = []
    end = 0
    for chunk in iter_chunks(path, info, binaries, limits, chunk_s):
        frames.extend(measure(chunk.samples))
        found = speech_intervals(chunk)
        speech.extend(found)
        transcript.extend(heard(transcribe_chunk(model, chunk, language), found))
        end = chunk.end
        if on_progress and info.duration_s > 0:
            on_progress(min(99.0, round(100 * end / SAMPLE_RATE / info.duration_s, 1)))
    duration_ms = end * 1000 // SAMPLE_RATE
    speech = refine_onsets(join_touching(speech), frames)
    turns, notes = estimate_turns(speech, frames)
    questions = find_questions(transcript, turns, speech)
    figures = metrics.compute(duration_ms, speech, turns, questions)
    if on_progress:
        on_progress(100.0)
    return LessonAnalysis(
        version=ANALYSER_VERSION, model=model_name(model_path), language=language,
        duration_ms=duration_ms, transcript=tuple(transcript), speech=tuple(speech),
        turns=tuple(turns), questions=tuple(questions), metrics=figures, notes=tuple(notes),
    )  # fmt: skip


def join_touching(speech: list[Interval]) -> list[Interval]:
    """Join stretches a chunk boundary split (gap under JOIN_MS)."""
    joined: list[Interval] = []
    for interval in sorted(speech, key=lambda i: i.start_ms):
        if joined and interval.start_ms - joined[-1].end_ms < JOIN_MS:
            joined[-1] = Interval(joined[-1].start_ms, max(joined[-1].end_ms, interval.end_ms))
        else:
            joined.append(interval)
    return joined
