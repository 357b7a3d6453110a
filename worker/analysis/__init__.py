"""The lesson analysis engine: pure functions on local files, no database, no network.

`analyse(path)` transcribes a recording with faster-whisper, estimates teacher and student
turns from how near each voice sounds, finds the teacher's questions with their wait times and
computes the lesson figures. Jobs, storage and pages build on it; nothing here knows of them.
"""

from worker.analysis.audio import NoAudioTrack
from worker.analysis.engine import ANALYSER_VERSION, analyse
from worker.analysis.results import (
    Interval,
    LessonAnalysis,
    Metrics,
    MinuteShare,
    Question,
    Segment,
    Turn,
    Word,
)
from worker.analysis.transcribe import ModelNotFound, default_model_path

__all__ = [
    "ANALYSER_VERSION",
    "Interval",
    "LessonAnalysis",
    "Metrics",
    "MinuteShare",
    "ModelNotFound",
    "NoAudioTrack",
    "Question",
    "Segment",
    "Turn",
    "Word",
    "analyse",
    "default_model_path",
]
