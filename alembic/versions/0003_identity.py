"""identity: account fields, sessions, tokens, TOTP, recovery codes, mail outbox, throttling

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import casino_app.persistence.types  # noqa: F401

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
