"""goals that measure themselves: a metric, a target with a direction, a wait threshold

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 10:00:00

A goal may name a lesson figure (`metric`) and a `target` it should reach `at_least` or stay
`at_most`; `threshold_s` is the N of "share of questions with wait of N seconds or more". The
baseline is not stored: it is the figure at the cycle's first analysed lesson. Existing goals get
no metric and keep working as before. The checks keep a target, direction or threshold from
outliving the metric they qualify, and a target from lacking its direction.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("metric", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("target", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("direction", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("threshold_s", sa.Float(), nullable=True))
        batch_op.create_check_constraint(
            "metric_settings",
            "metric IS NOT NULL OR (target IS NULL AND direction IS NULL AND threshold_s IS NULL)",
        )
        batch_op.create_check_constraint(
            "target_direction",
            "(target IS NULL) = (direction IS NULL) "
            "AND (direction IS NULL OR direction IN ('at_least', 'at_most'))",
        )


def downgrade() -> None:
    # The measures go; the goals' statements and moves stay as they were before this revision.
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_goals_target_direction"), type_="check")
        batch_op.drop_constraint(op.f("ck_goals_metric_settings"), type_="check")
        batch_op.drop_column("threshold_s")
        batch_op.drop_column("direction")
        batch_op.drop_column("target")
        batch_op.drop_column("metric")
