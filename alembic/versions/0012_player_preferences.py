"""player preferences: language, time zone, favourite games

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
import sqlmodel

import casino_app.persistence.types
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_T = casino_app.persistence.types.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "player_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("language", _S(length=8), nullable=False),
        sa.Column("time_zone", _S(length=64), nullable=False),
        sa.Column("favourite_games", sa.Text(), nullable=False),
        sa.Column("updated_at", _T(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("user_id"),
    )


def downgrade() -> None:
    op.drop_table("player_preferences")
