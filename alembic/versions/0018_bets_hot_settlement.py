"""bets: settled in place without touching an index (PostgreSQL HOT updates), losers skip the RG trigger

A draw's settlement writes every ticket's status, result and settled time once. With no index
on a column it writes and room left on each page (fill factor 50), PostgreSQL rewrites the row
in place (a heap-only tuple) instead of adding an entry to each of the table's indexes, which
was most of the cost of settling a big draw. So the indexes on `status` go: the round's bets
are found by `ix_bets_round` (round, id), which also serves the settlement's keyset batches.
SQLite's RG usage trigger now fires only for the settlements it records (a void or a win),
not for every lost ticket.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_PENDING = sa.text("status = 'pending'")
_HOUR = "strftime('%Y-%m-%d %H:00:00.000000', {})"


def _sqlite_trigger(when: str) -> str:
    return (
        "CREATE TRIGGER bets_rg_usage_settle AFTER UPDATE OF status ON bets "
        f"WHEN {when} BEGIN "
        "UPDATE rg_usage SET staked = staked - NEW.stake WHERE NEW.status = 'void' "
        "AND user_id = NEW.user_id AND currency = NEW.currency "
        f"AND hour = {_HOUR.format('NEW.created_at')}; "
        "INSERT INTO rg_usage (user_id, currency, hour, staked, won) "
        f"SELECT NEW.user_id, NEW.currency, {_HOUR.format('coalesce(NEW.settled_at, NEW.created_at)')}, "
        "0, NEW.win WHERE NEW.status <> 'void' AND NEW.win > 0 "
        "ON CONFLICT (user_id, currency, hour) DO UPDATE SET won = won + excluded.won; END"
    )


_OLD_WHEN = "OLD.status = 'pending' AND NEW.status <> 'pending'"
_NEW_WHEN = f"{_OLD_WHEN} AND (NEW.status = 'void' OR NEW.win > 0)"


def upgrade() -> None:
    op.drop_index("ix_bets_round_pending", table_name="bets")
    op.drop_index("ix_bets_round_status", table_name="bets")
    op.create_index("ix_bets_round", "bets", ["round_id", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE bets SET (fillfactor = 50)")
    else:
        op.execute("DROP TRIGGER IF EXISTS bets_rg_usage_settle")
        op.execute(_sqlite_trigger(_NEW_WHEN))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE bets RESET (fillfactor)")
    else:
        op.execute("DROP TRIGGER IF EXISTS bets_rg_usage_settle")
        op.execute(_sqlite_trigger(_OLD_WHEN))
    op.drop_index("ix_bets_round", table_name="bets")
    op.create_index("ix_bets_round_status", "bets", ["round_id", "status"])
    op.create_index(
        "ix_bets_round_pending", "bets", ["round_id", "id"], postgresql_where=_PENDING, sqlite_where=_PENDING
    )
