"""lesson details: a lesson's own date, class, subject and grade, and when it last had notes

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 14:00:00

The lesson date starts as the upload date and becomes the recording's creation time when the
file carries one, unless the owner has set it (`lesson_date_source` says which). `activity_at`
is when the lesson last had a note or reply, so the library can sort by activity without
reading every note. Both are backfilled for existing lessons.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

videos = sa.table(
    "videos",
    sa.column("id", sa.Integer),
    sa.column("created_at", sa.DateTime),
    sa.column("lesson_date", sa.Date),
    sa.column("activity_at", sa.DateTime),
)
annotations = sa.table(
    "annotations",
    sa.column("video_id", sa.Integer),
    sa.column("created_at", sa.DateTime),
)


def upgrade() -> None:
    with op.batch_alter_table("videos") as batch:
        batch.add_column(sa.Column("lesson_date", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("lesson_date_source", sa.String(20), server_default="upload", nullable=False)
        )
        batch.add_column(sa.Column("class_name", sa.String(100), nullable=True))
        batch.add_column(sa.Column("subject", sa.String(100), nullable=True))
        batch.add_column(sa.Column("grade", sa.String(40), nullable=True))
        batch.add_column(sa.Column("activity_at", sa.DateTime(), nullable=True))
    latest_note = (
        sa.select(sa.func.max(annotations.c.created_at))
        .where(annotations.c.video_id == videos.c.id)
        .scalar_subquery()
    )
    op.execute(
        videos.update().values(
            lesson_date=sa.func.date(videos.c.created_at),
            activity_at=sa.func.coalesce(latest_note, videos.c.created_at),
        )
    )
    with op.batch_alter_table("videos") as batch:
        batch.alter_column("lesson_date", existing_type=sa.Date(), nullable=False)
        batch.alter_column("activity_at", existing_type=sa.DateTime(), nullable=False)
        batch.create_index("ix_videos_lesson_date", ["lesson_date", "id"])
        batch.create_index("ix_videos_activity_at", ["activity_at", "id"])
    # The library's "move tagged" filter asks for a move's notes.
    op.create_index("ix_annotations_move_id", "annotations", ["move_id"])


def downgrade() -> None:
    op.drop_index("ix_annotations_move_id", table_name="annotations")
    with op.batch_alter_table("videos") as batch:
        batch.drop_index("ix_videos_activity_at")
        batch.drop_index("ix_videos_lesson_date")
        for column in ("activity_at", "grade", "subject", "class_name", "lesson_date_source"):
            batch.drop_column(column)
        batch.drop_column("lesson_date")
