"""erase the text and tags of notes deleted before deletion erased them

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 10:00:00

Deleting a note used to only flag it, and its body was still served to every reader of the
video's changes. Deletion now erases it; this does the same for notes already deleted (their
replies were deleted with them). There is nothing to restore on the way down.
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "UPDATE annotations SET body = '', move_id = NULL, goal_id = NULL "
        "WHERE deleted_at IS NOT NULL"
    )


def downgrade() -> None:
    """Erased text cannot come back; the schema is unchanged."""
