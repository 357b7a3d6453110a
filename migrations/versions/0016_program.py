"""program view and teachers' feedback: when a cycle closed, each goal's outcome then, feedback

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 10:00:00

`cycles.closed_at` and `goals.met_at_close` are written when a cycle closes (and cleared when
it reopens): the program view counts outcomes in the month of closing, as they stood then.
Cycles closed before this revision have neither, so they count in no month rather than in a
guessed one. `coaching_feedback` holds each teacher's one answer per closed cycle.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

RATINGS = ("useful", "safe", "would_continue")


def upgrade() -> None:
    with op.batch_alter_table("cycles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("met_at_close", sa.Boolean(), nullable=True))
    op.create_table(
        "coaching_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in RATINGS),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("share_comment", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *(
            sa.CheckConstraint(f"{name} BETWEEN 1 AND 5", name=op.f(f"ck_coaching_feedback_{name}"))
            for name in RATINGS
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["users.id"],
            name=op.f("fk_coaching_feedback_coach_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycles.id"],
            name=op.f("fk_coaching_feedback_cycle_id_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["teacher_id"],
            ["users.id"],
            name=op.f("fk_coaching_feedback_teacher_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coaching_feedback")),
        sa.UniqueConstraint("cycle_id", name=op.f("uq_coaching_feedback_cycle_id")),
    )
    with op.batch_alter_table("coaching_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coaching_feedback_coach_id"), ["coach_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_coaching_feedback_teacher_id"), ["teacher_id"], unique=False
        )


def downgrade() -> None:
    # The answers go with their table; cycles and goals lose only what closing recorded.
    with op.batch_alter_table("coaching_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coaching_feedback_teacher_id"))
        batch_op.drop_index(batch_op.f("ix_coaching_feedback_coach_id"))
    op.drop_table("coaching_feedback")
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_column("met_at_close")
    with op.batch_alter_table("cycles", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
