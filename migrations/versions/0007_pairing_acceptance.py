"""pairings wait for the teacher's acceptance

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 22:00:00

Open pairings made before this revision were granted without asking the teacher. Those whose
coach is an admin become pending (the teacher accepts or declines them on their home page): an
admin who paired themselves with a teacher keeps no access the teacher never gave. Other open
pairings stay active, so coaching in progress goes on; ended ones become `ended`.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pairings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=20), nullable=False, server_default="active")
        )
        batch_op.add_column(sa.Column("requested_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("accepted_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            "fk_pairings_requested_by_id_users",
            "users",
            ["requested_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute("UPDATE pairings SET status = 'ended' WHERE ended_at IS NOT NULL")
    op.execute(
        "UPDATE pairings SET status = 'pending' WHERE ended_at IS NULL AND coach_id IN "
        "(SELECT id FROM users WHERE role = 'admin')"
    )
    op.execute("UPDATE pairings SET accepted_at = started_at WHERE status <> 'pending'")
    with op.batch_alter_table("pairings", schema=None) as batch_op:
        batch_op.alter_column("status", server_default=None)
        batch_op.create_check_constraint(
            "open_until_ended", "(status IN ('pending', 'active')) = (ended_at IS NULL)"
        )


def downgrade() -> None:
    # Before this revision every open pairing granted access: drop the ones never accepted.
    op.execute("DELETE FROM pairings WHERE status = 'pending'")
    op.execute(
        "UPDATE pairings SET ended_at = started_at WHERE ended_at IS NULL AND status <> 'active'"
    )
    with op.batch_alter_table("pairings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_pairings_open_until_ended"), type_="check")
        batch_op.drop_constraint("fk_pairings_requested_by_id_users", type_="foreignkey")
        batch_op.drop_column("accepted_at")
        batch_op.drop_column("requested_by_id")
        batch_op.drop_column("status")
