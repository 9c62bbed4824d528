"""the player's inbox: notifications

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
import sqlmodel

import casino_app.persistence.types
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_T = casino_app.persistence.types.UtcDateTime
# Frozen here: a kind added to NotificationKind needs its own migration.
_KINDS = ("draw_settled", "deposit_confirmed", "withdrawal_paid", "withdrawal_rejected", "limit_changed")


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", _S(length=32), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("source_key", _S(length=128), nullable=False),
        sa.Column("created_at", _T(timezone=True), nullable=False),
        sa.Column("read_at", _T(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in _KINDS) + ")", name="ck_notifications_kind"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "source_key", name="uq_notifications_user_source"),
    )
    op.create_index("ix_notifications_user_id_id", "notifications", ["user_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_notifications_user_id_id", table_name="notifications")
    op.drop_table("notifications")
