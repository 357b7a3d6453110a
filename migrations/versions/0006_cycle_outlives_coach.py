"""a teacher's cycle outlives its coach's account

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 11:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cycles", schema=None) as batch_op:
        batch_op.alter_column("coach_id", existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint("fk_cycles_coach_id_users", type_="foreignkey")
        batch_op.create_foreign_key(
            "fk_cycles_coach_id_users", "users", ["coach_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    op.execute("DELETE FROM cycles WHERE coach_id IS NULL")
    with op.batch_alter_table("cycles", schema=None) as batch_op:
        batch_op.drop_constraint("fk_cycles_coach_id_users", type_="foreignkey")
        batch_op.create_foreign_key(
            "fk_cycles_coach_id_users", "users", ["coach_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.alter_column("coach_id", existing_type=sa.Integer(), nullable=False)
