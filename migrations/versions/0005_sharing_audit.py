"""sharing, audit, consent and retention

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 10:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("video_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("permission", sa.String(length=10), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_shares_created_by_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_shares_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["video_id"], ["videos.id"], name=op.f("fk_shares_video_id_videos"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shares")),
    )
    op.create_index(op.f("ix_shares_video_id"), "shares", ["video_id"])
    op.create_index("ix_shares_user_video", "shares", ["user_id", "video_id"])

    # No foreign keys on purpose: audit rows outlive the videos and accounts they name.
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("video_id", sa.Integer(), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_created_at"), "audit_events", ["created_at"])
    op.create_index(op.f("ix_audit_events_action"), "audit_events", ["action"])
    op.create_index("ix_audit_events_video_created", "audit_events", ["video_id", "created_at"])
    op.create_index(
        "ix_audit_events_actor_video_action", "audit_events", ["actor_id", "video_id", "action"]
    )

    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("require_consent", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("consent_policy", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("consent_policy_version", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("retention_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("retention_since", sa.DateTime(), nullable=True))

    with op.batch_alter_table("videos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_confirmed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("consent_policy", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("consent_policy_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("videos", schema=None) as batch_op:
        batch_op.drop_column("consent_policy_version")
        batch_op.drop_column("consent_policy")
        batch_op.drop_column("consent_confirmed_at")
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.drop_column("retention_since")
        batch_op.drop_column("retention_days")
        batch_op.drop_column("consent_policy_version")
        batch_op.drop_column("consent_policy")
        batch_op.drop_column("require_consent")
    op.drop_table("audit_events")
    op.drop_table("shares")
