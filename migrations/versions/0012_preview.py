"""the preview: a fast rendition any source plays from while its ladder is being made

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 09:00:00

A video being processed may have a growing HLS preview (worker/preview.py): the key of its
playlist, how many slices are published, and whether preview work is left.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("videos") as batch:
        batch.add_column(sa.Column("preview_key", sa.String(length=600), nullable=True))
        batch.add_column(
            sa.Column("preview_slices", sa.Integer(), server_default="0", nullable=False)
        )
        batch.add_column(
            sa.Column("preview_complete", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("videos") as batch:
        batch.drop_column("preview_complete")
        batch.drop_column("preview_slices")
        batch.drop_column("preview_key")
