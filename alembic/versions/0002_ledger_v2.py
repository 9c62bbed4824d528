"""the ledger: holds, FX, bonus funding, as-of balances, PostgreSQL hot-path function

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import casino_app.persistence.types  # noqa: F401

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
