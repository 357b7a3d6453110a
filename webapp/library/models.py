"""Transcript cues: the words said in a lesson, one row per caption cue, for search.

A lesson's words live elsewhere as whole documents (the teacher's WebVTT in storage, the
analysis's transcript as JSON), which no full-text index can reach moment by moment. Each cue
is copied here by the code that stores or removes its source (webapp/library/search_index.py),
so a search hit knows the moment it opens the lesson at.
"""

import enum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import Base


class CueSource(enum.StrEnum):
    CAPTIONS = "captions"  # the teacher's own caption or transcript file
    ANALYSIS = "analysis"  # the lesson analysis's machine transcript


class TranscriptCue(Base):
    __tablename__ = "transcript_cues"
    # Replaced and removed a source at a time.
    __table_args__ = (Index("ix_transcript_cues_video_source", "video_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(20))
    start_ms: Mapped[int]
    end_ms: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
