"""unique indexes for the lookups by ledger transaction (ticket and withdrawal replays)

A replayed bet or withdrawal finds its row by the ledger transaction that created it;
without these indexes that was a full table scan.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tickets_transaction_id", "tickets", ["transaction_id"], unique=True)
    op.create_index("ix_withdrawals_hold_transaction_id", "withdrawals", ["hold_transaction_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_withdrawals_hold_transaction_id", table_name="withdrawals")
    op.drop_index("ix_tickets_transaction_id", table_name="tickets")
