"""lotto jackpots: scheduled draws, and each settled draw's jackpot and tier figures

Revision ID: 0016
Revises: 0015

`rounds.status` admits `scheduled` (a draw committed to its seed before its sales open; a
cancelled draw stays `void`). On SQLite the CHECK is a table constraint: its text is widened
in place through `writable_schema` (the procedure SQLite documents for changing a CHECK), so
the table, its triggers and the foreign keys to it stay as they are. `draw_settlements` keeps,
per settled draw, the jackpot before and after, what the draw funded, won and the house seeded,
and winners and amounts per tier.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel

import casino_app.persistence.types
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_OLD = ("open", "closed", "drawn", "settled", "void")
_NEW = ("scheduled", *_OLD)


def _in(values: tuple[str, ...]) -> str:
    return "status IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _set_round_statuses(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE rounds DROP CONSTRAINT ck_rounds_status")
        op.execute(f"ALTER TABLE rounds ADD CONSTRAINT ck_rounds_status CHECK ({_in(new)})")
        return
    sql = bind.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'rounds'")
    ).scalar()
    if _in(old) not in str(sql):
        raise RuntimeError("rounds.status CHECK is not the one this migration expects")
    version = int(bind.execute(sa.text("PRAGMA schema_version")).scalar() or 0)
    bind.execute(sa.text("PRAGMA writable_schema = ON"))
    bind.execute(
        sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = 'rounds'"),
        {"sql": str(sql).replace(_in(old), _in(new))},
    )
    bind.execute(sa.text(f"PRAGMA schema_version = {version + 1}"))
    bind.execute(sa.text("PRAGMA writable_schema = OFF"))


def upgrade() -> None:
    _set_round_statuses(_OLD, _NEW)
    op.create_table(
        "draw_settlements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("game_id", sa.Integer(), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("stakes", sa.BigInteger(), nullable=False),
        sa.Column("jackpot_before", sa.BigInteger(), nullable=False),
        sa.Column("jackpot_funded", sa.BigInteger(), nullable=False),
        sa.Column("jackpot_won", sa.BigInteger(), nullable=False),
        sa.Column("jackpot_seeded", sa.BigInteger(), nullable=False),
        sa.Column("jackpot_after", sa.BigInteger(), nullable=False),
        sa.Column("tiers", sa.Text(), nullable=False),
        sa.Column("jackpot_shares", sa.Text(), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=True),
        sa.Column("created_at", casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["draw_id"], ["rounds.id"]),
        sa.ForeignKeyConstraint(["game_id"], ["games.id"]),
        sa.ForeignKeyConstraint(["transaction_id"], ["ledger_transactions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("draw_id"),
    )
    with op.batch_alter_table("draw_settlements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draw_settlements_game_id"), ["game_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("draw_settlements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draw_settlements_game_id"))
    op.drop_table("draw_settlements")
    op.execute("UPDATE rounds SET status = 'open' WHERE status = 'scheduled'")
    _set_round_statuses(_NEW, _OLD)
