"""draw_settlements.recorded_at: when a settled draw's losing tickets and notices were written

A draw's settlement transaction pays its prize tickets and marks it SETTLED; its other
tickets are then written lost and its players noted in steps of their own
(services/games/lotto/settlement/recording.py), and `recorded_at` says those steps are done, so a
pass interrupted between them knows which draws to finish. Draws settled before this
revision were recorded in their settlement transaction: they take their settlement time.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa

import casino_app.persistence.types
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("draw_settlements") as batch:
        batch.add_column(
            sa.Column("recorded_at", casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True)
        )
    op.execute("UPDATE draw_settlements SET recorded_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("draw_settlements") as batch:
        batch.drop_column("recorded_at")
