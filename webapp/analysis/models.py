"""The LessonAnalysis row: one per video, the source of truth for its analysis's state.

The figures, questions, turns, transcript and speech are stored as JSON, exactly as the
engine (worker/analysis) made them, minus the per-word timings, which are kept with the full
result in storage (`videos/<uuid>/analysis/analysis.json`).
"""

import enum
import secrets
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import Base, utcnow


class AnalysisStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    OFF = "off"


# Waiting for, or in the hands of, a worker: what the reconciler looks after.
IN_PROGRESS = (AnalysisStatus.PENDING, AnalysisStatus.RUNNING)


class LessonAnalysis(Base):
    __tablename__ = "lesson_analyses"

    video_id: Mapped[int] = mapped_column(
        ForeignKey("videos.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(20), default=AnalysisStatus.PENDING, index=True)
    # Why it failed or is off, in words the teacher can act on.
    error: Mapped[str | None] = mapped_column(Text)
    progress: Mapped[int] = mapped_column(default=0)
    attempt: Mapped[int] = mapped_column(default=0)
    # Names the one run that may store its result (and its rq job): a re-run, a reconciled
    # retry or a deletion makes any older job's progress and result land nowhere.
    run_token: Mapped[str | None] = mapped_column(String(32))
    # The full result of the last finished run in storage; kept across a reset until the
    # next run replaces it, so the replaced object can be deleted.
    result_key: Mapped[str | None] = mapped_column(String(500))
    # The engine's model label, its version and the language asked for: a result is only
    # comparable with one made by the same three.
    model: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(20))
    duration_ms: Mapped[int | None]
    metrics: Mapped[dict | None] = mapped_column(JSON)
    questions: Mapped[list] = mapped_column(JSON, default=list)
    turns: Mapped[list] = mapped_column(JSON, default=list)
    transcript: Mapped[list] = mapped_column(JSON, default=list)
    speech: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[list] = mapped_column(JSON, default=list)  # the engine's caveats
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None]

    def reset(self, status: AnalysisStatus, error: str | None = None) -> None:
        """Forget every result: the analysis starts again (pending) or will not run (off)."""
        self.status, self.error = status, error
        self.run_token = new_run_token() if status == AnalysisStatus.PENDING else None
        self.progress, self.attempt, self.finished_at = 0, 0, None
        self.model = self.version = self.language = None
        self.duration_ms, self.metrics = None, None
        self.questions, self.turns, self.transcript, self.speech, self.notes = [], [], [], [], []


def new_run_token() -> str:
    return secrets.token_hex(8)
