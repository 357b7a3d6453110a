"""lesson analysis: one row per video, and automatic captions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:00:00

Each video gets at most one lesson analysis (status, the engine's model and version, the
figures, questions, turns, transcript and speech as JSON). Videos ready before this revision
have none: the API answers `off` for them until someone asks for an analysis. A video's
captions may now be the analysis's machine transcript (`captions_automatic`), which the
teacher's own captions always replace.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lesson_analyses",
        sa.Column("video_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("run_token", sa.String(length=32), nullable=True),
        sa.Column("result_key", sa.String(length=500), nullable=True),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("version", sa.String(length=40), nullable=True),
        sa.Column("language", sa.String(length=20), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("metrics", sa.JSON(), nullable=True),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("turns", sa.JSON(), nullable=False),
        sa.Column("transcript", sa.JSON(), nullable=False),
        sa.Column("speech", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["video_id"],
            ["videos.id"],
            name=op.f("fk_lesson_analyses_video_id_videos"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("video_id", name=op.f("pk_lesson_analyses")),
    )
    with op.batch_alter_table("lesson_analyses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lesson_analyses_status"), ["status"], unique=False)
    with op.batch_alter_table("videos", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("captions_automatic", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    # Automatic captions stay as plain captions: the column that marked them goes.
    with op.batch_alter_table("videos", schema=None) as batch_op:
        batch_op.drop_column("captions_automatic")
    with op.batch_alter_table("lesson_analyses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lesson_analyses_status"))
    op.drop_table("lesson_analyses")
