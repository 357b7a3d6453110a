"""What keeps the search index: transcript cues in step with their sources, and the names of
the full-text artefacts that only migration 0015 describes.

Titles and notes need no code here: PostgreSQL indexes them by expression (GIN over
`to_tsvector('english', …)`) and SQLite's FTS5 tables follow them by triggers, so a renamed
lesson or an edited note is found by its new words in the same transaction. The words said in a
lesson are rows of their own (`TranscriptCue`), written by the code that stores or removes the
teacher's captions (webapp/annotations/transcripts.py) or the analysis (webapp/analysis); like
any service these functions only flush.
"""

import html
import io
from collections.abc import Iterable

import webvtt
from sqlalchemy import delete, insert

from webapp import db
from webapp.library.models import CueSource, TranscriptCue

# Every full-text table, shadow table, trigger and index is named so, and nothing else is.
FTS_PREFIX = "fts_"


def include_name(name: str | None, type_: str, _parent_names) -> bool:
    """Alembic's filter: leave out the full-text artefacts, which the models do not describe
    (FTS5 virtual and shadow tables on SQLite; on PostgreSQL the stored `fts_vector` columns
    and their GIN indexes)."""
    return not (type_ in ("table", "index", "column") and (name or "").startswith(FTS_PREFIX))


def replace_cues(video_id: int, source: CueSource, cues: Iterable[tuple[int, int, str]]) -> None:
    """Make `cues` (start ms, end ms, text) the lesson's words from `source`."""
    forget_cues(video_id, source)
    rows = [
        {"video_id": video_id, "source": source, "start_ms": start, "end_ms": end, "text": text}
        for start, end, text in cues
        if text.strip()
    ]
    if rows:
        db.session().execute(insert(TranscriptCue), rows)


def forget_cues(video_id: int, source: CueSource) -> None:
    """The source is gone (captions deleted, analysis reset or deleted): so are its words."""
    db.session().execute(
        delete(TranscriptCue).where(
            TranscriptCue.video_id == video_id, TranscriptCue.source == source
        )
    )


def caption_cues(vtt: str) -> list[tuple[int, int, str]]:
    """The cues of clean WebVTT (transcripts.normalise wrote it, text HTML-escaped) as plain
    text, for indexing: the snippet is escaped again when it is shown."""
    parsed = webvtt.from_buffer(io.StringIO(vtt))
    return [
        (c.start_time.in_milliseconds(), c.end_time.in_milliseconds(), html.unescape(c.text))
        for c in parsed.captions
    ]
