"""search: the words said in lessons, and full-text indexes over titles, notes and those words

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 14:10:00

`transcript_cues` holds each lesson's words a cue at a time (the teacher's captions and the
analysis's transcript; the analysis transcripts already stored are copied in here, captions
files are added as they are next uploaded). The full-text index is each database's own and
not in the models (webapp/library/search_index.py names it, so that Alembic ignores it):

- PostgreSQL: a stored generated column `fts_vector` = `to_tsvector('english', …)` of
  videos.title, annotations.body and transcript_cues.text, with a GIN index over it. Stored,
  so ranking thousands of matching notes does not parse each note's text again (measured by
  bench (k): 0.5 s for a common word when the vector was an index expression).
- SQLite: an FTS5 table per source (porter stemming, like PostgreSQL's english), filled from
  the rows there are, then kept in step by triggers on insert, update of the text and delete.
  The FTS tables keep their own copy of the text, so a row is removed by its rowid alone and
  can never fall out of step with what was indexed. SQLite drops a table's triggers with the
  table: a later migration that rebuilds videos, annotations or transcript_cues in batch mode
  must create its triggers again (tests/library/test_search.py fails until it does).
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# PostgreSQL keeps each source's words as a stored column: ranking and the index's recheck
# read it instead of parsing the text again for every candidate row.
VECTOR = "fts_vector"
# (FTS table, source table, text column)
SOURCES = (
    ("fts_videos", "videos", "title"),
    ("fts_annotations", "annotations", "body"),
    ("fts_transcript_cues", "transcript_cues", "text"),
)


def upgrade() -> None:
    op.create_table(
        "transcript_cues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("video_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("start_ms", sa.Integer(), nullable=False),
        sa.Column("end_ms", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["video_id"],
            ["videos.id"],
            name="fk_transcript_cues_video_id_videos",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_transcript_cues"),
    )
    op.create_index("ix_transcript_cues_video_source", "transcript_cues", ["video_id", "source"])
    _copy_analysis_transcripts()
    if op.get_bind().dialect.name == "postgresql":
        for fts, source, column in SOURCES:
            op.execute(
                f"ALTER TABLE {source} ADD COLUMN {VECTOR} tsvector GENERATED ALWAYS AS "
                f"(to_tsvector('english'::regconfig, {column})) STORED"
            )
            op.execute(f"CREATE INDEX {fts}_{column} ON {source} USING gin ({VECTOR})")
    else:
        for fts, source, column in SOURCES:
            _create_fts5(fts, source, column)


def _copy_analysis_transcripts() -> None:
    analyses = sa.table(
        "lesson_analyses",
        sa.column("video_id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("transcript", sa.JSON),
    )
    cues = sa.table(
        "transcript_cues",
        *(sa.column(name) for name in ("video_id", "source", "start_ms", "end_ms", "text")),
    )
    bind = op.get_bind()
    done = bind.execute(sa.select(analyses).where(analyses.c.status == "done"))
    for video_id, _, transcript in done.all():
        rows = [
            {"video_id": video_id, "source": "analysis", "start_ms": cue["start_ms"],
             "end_ms": cue["end_ms"], "text": cue["text"]}
            for cue in transcript or []
            if (cue.get("text") or "").strip()
        ]  # fmt: skip
        if rows:
            bind.execute(cues.insert(), rows)


def _create_fts5(fts: str, source: str, column: str) -> None:
    op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, tokenize='porter unicode61')")
    op.execute(f"INSERT INTO {fts} (rowid, {column}) SELECT id, {column} FROM {source}")
    op.execute(
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {source} BEGIN "
        f"INSERT INTO {fts} (rowid, {column}) VALUES (new.id, new.{column}); END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {column} ON {source} BEGIN "
        f"UPDATE {fts} SET {column} = new.{column} WHERE rowid = old.id; END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {source} BEGIN "
        f"DELETE FROM {fts} WHERE rowid = old.id; END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for fts, source, column in SOURCES:
            op.drop_index(f"{fts}_{column}", table_name=source)
            op.drop_column(source, VECTOR)
    else:
        for fts, *_ in SOURCES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {fts}_{event}")
            op.execute(f"DROP TABLE {fts}")
    op.drop_index("ix_transcript_cues_video_source", table_name="transcript_cues")
    op.drop_table("transcript_cues")
