"""encode parts: a long video's ladder cut into chunks that any free worker encodes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 10:00:00

One row per piece of one processing attempt (a chunk of the picture, or the extras: audio,
poster, storyboard, peaks); removed when the attempt is published or fails.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "encode_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("video_id", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("first_frame", sa.Integer(), nullable=False),
        sa.Column("frames", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["video_id"],
            ["videos.id"],
            name=op.f("fk_encode_parts_video_id_videos"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_encode_parts")),
        sa.UniqueConstraint("video_id", "attempt", "index", name=op.f("uq_encode_parts_video_id")),
    )
    op.create_index(op.f("ix_encode_parts_video_id"), "encode_parts", ["video_id"])
    op.create_index(op.f("ix_encode_parts_state"), "encode_parts", ["state"])


def downgrade() -> None:
    op.drop_index(op.f("ix_encode_parts_state"), table_name="encode_parts")
    op.drop_index(op.f("ix_encode_parts_video_id"), table_name="encode_parts")
    op.drop_table("encode_parts")
