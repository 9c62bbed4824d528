"""RNG certification reports: rng_reports

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
import sqlmodel

import casino_app.persistence.types
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_T = casino_app.persistence.types.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "rng_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", _T(timezone=True), nullable=False),
        sa.Column("code_version", _S(length=64), nullable=False),
        sa.Column("sequences", sa.Integer(), nullable=False),
        sa.Column("bits_per_sequence", sa.Integer(), nullable=False),
        sa.Column("mapped_samples", sa.BigInteger(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("duration_ms", sa.BigInteger(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rng_reports_created_at", "rng_reports", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_rng_reports_created_at", table_name="rng_reports")
    op.drop_table("rng_reports")
