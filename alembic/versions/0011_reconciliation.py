"""payouts of withdrawals through providers, and reconciliation runs and items (provider vs ledger)

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
import sqlmodel

import casino_app.persistence.types
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_T = casino_app.persistence.types.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "payouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("withdrawal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", _S(length=3), nullable=False),
        sa.Column("method", _S(length=16), nullable=False),
        sa.Column("destination", _S(length=128), nullable=False),
        sa.Column("providers", _S(length=255), nullable=False),
        sa.Column("provider", _S(length=32), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("attempt_id", _S(length=64), nullable=False),
        sa.Column("provider_reference", _S(length=128), nullable=False),
        sa.Column("status", _S(length=16), nullable=False),
        sa.Column("auto_approved", sa.Boolean(), nullable=False),
        sa.Column("approved_by", _S(length=64), nullable=False),
        sa.Column("failure_reason", _S(length=255), nullable=False),
        sa.Column("approved_at", _T(timezone=True), nullable=False),
        sa.Column("updated_at", _T(timezone=True), nullable=False),
        sa.Column("paid_at", _T(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('approved', 'sent', 'paid', 'failed')", name="ck_payouts_status"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["withdrawal_id"], ["withdrawals.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("withdrawal_id"),
    )
    with op.batch_alter_table("payouts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payouts_attempt_id"), ["attempt_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payouts_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_payouts_user_id"), ["user_id"], unique=False)

    op.create_table(
        "reconciliation_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", _S(length=32), nullable=False),
        sa.Column("window_start", _T(timezone=True), nullable=False),
        sa.Column("window_end", _T(timezone=True), nullable=False),
        sa.Column("reported", sa.Integer(), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        sa.Column("mismatches", sa.Integer(), nullable=False),
        sa.Column("error", _S(length=255), nullable=False),
        sa.Column("ran_at", _T(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reconciliation_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reconciliation_runs_ran_at"), ["ran_at"], unique=False)

    op.create_table(
        "reconciliation_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("provider", _S(length=32), nullable=False),
        sa.Column("direction", _S(length=16), nullable=False),
        sa.Column("order_id", _S(length=64), nullable=False),
        sa.Column("provider_reference", _S(length=128), nullable=False),
        sa.Column("kind", _S(length=32), nullable=False),
        sa.Column("status", _S(length=16), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("detected_at", _T(timezone=True), nullable=False),
        sa.Column("last_seen_at", _T(timezone=True), nullable=False),
        sa.Column("resolved_by", _S(length=64), nullable=False),
        sa.Column("resolution", _S(length=255), nullable=False),
        sa.Column("resolved_at", _T(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('missing_in_ledger', 'missing_at_provider', 'amount_mismatch', 'currency_mismatch', "
            "'duplicate_at_provider')",
            name="ck_reconciliation_items_kind",
        ),
        sa.CheckConstraint("status IN ('open', 'resolved')", name="ck_reconciliation_items_status"),
        sa.ForeignKeyConstraint(["run_id"], ["reconciliation_runs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider", "direction", "order_id", "kind", name="uq_reconciliation_items_key"),
    )
    with op.batch_alter_table("reconciliation_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reconciliation_items_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reconciliation_items_status"), ["status"], unique=False)


def downgrade() -> None:
    op.drop_table("reconciliation_items")
    op.drop_table("reconciliation_runs")
    op.drop_table("payouts")
