"""sealed draw seeds: a draw's seed sealed until the draw, the tickets' Merkle root fixed at close

Revision ID: 0014
Revises: 0013

Draws not yet drawn get their seed sealed under the key provider (`rounds.server_seed_enc`,
bound to the row) and the plaintext removed; drawn draws keep their revealed seed. The round
triggers now keep the commitment, the ticket root, the numbers and the revealed seed write-once,
refuse a seed in the clear before the draw, and refuse a ticket on a draw whose sales closed
(on PostgreSQL under a share lock on the draw, so sales and the close are serialized).
The key provider is the application's (`CASINO_KEYRING_PATH`), or `config.attributes["keys"]`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlmodel

from alembic import context, op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
WRITE_ONCE = "round commitments and results are write-once"

_SQLITE_ROUND_GUARD = f"""CREATE TRIGGER rounds_write_once BEFORE UPDATE ON rounds
WHEN NEW.seed_commitment IS NOT OLD.seed_commitment
  OR (OLD.ticket_root IS NOT NULL AND NEW.ticket_root IS NOT OLD.ticket_root)
  OR (OLD.ticket_root IS NULL AND NEW.ticket_root IS NOT NULL AND NEW.status = 'open')
  OR (OLD.outcome IS NOT NULL AND (NEW.outcome IS NOT OLD.outcome OR NEW.draw_at IS NOT OLD.draw_at))
  OR (OLD.server_seed IS NOT NULL AND NEW.server_seed IS NOT OLD.server_seed)
  OR (NEW.server_seed IS NOT NULL AND NEW.outcome IS NULL)
  OR (NEW.seed_commitment IS NOT NULL AND NEW.outcome IS NOT NULL
      AND (NEW.server_seed IS NULL OR NEW.server_seed_enc IS NOT NULL
           OR (OLD.outcome IS NULL AND NEW.ticket_root IS NULL)))
BEGIN SELECT RAISE(ABORT, '{WRITE_ONCE}'); END"""

_SQLITE_SEALED_ON_INSERT = """CREATE TRIGGER rounds_seed_sealed BEFORE INSERT ON rounds
WHEN NEW.seed_commitment IS NOT NULL AND NEW.server_seed IS NOT NULL AND NEW.outcome IS NULL
BEGIN SELECT RAISE(ABORT, 'a draw seed is sealed until the draw'); END"""

_SQLITE_TICKETS_WHILE_OPEN = """CREATE TRIGGER bets_draw_selling BEFORE INSERT ON bets
WHEN (SELECT seed_commitment IS NOT NULL AND (status <> 'open' OR ticket_root IS NOT NULL)
      FROM rounds WHERE id = NEW.round_id)
BEGIN SELECT RAISE(ABORT, 'round_closed: the draw no longer sells tickets'); END"""

_PG_ROUND_GUARD = f"""CREATE OR REPLACE FUNCTION casino_round_write_once() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'rounds are never deleted'; END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.seed_commitment IS NOT NULL AND NEW.server_seed IS NOT NULL AND NEW.outcome IS NULL THEN
      RAISE EXCEPTION 'a draw seed is sealed until the draw';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.seed_commitment IS DISTINCT FROM OLD.seed_commitment
     OR (OLD.ticket_root IS NOT NULL AND NEW.ticket_root IS DISTINCT FROM OLD.ticket_root)
     OR (OLD.ticket_root IS NULL AND NEW.ticket_root IS NOT NULL AND NEW.status = 'open')
     OR (OLD.outcome IS NOT NULL AND (NEW.outcome IS DISTINCT FROM OLD.outcome
                                      OR NEW.draw_at IS DISTINCT FROM OLD.draw_at))
     OR (OLD.server_seed IS NOT NULL AND NEW.server_seed IS DISTINCT FROM OLD.server_seed)
     OR (NEW.server_seed IS NOT NULL AND NEW.outcome IS NULL)
     OR (NEW.seed_commitment IS NOT NULL AND NEW.outcome IS NOT NULL
         AND (NEW.server_seed IS NULL OR NEW.server_seed_enc IS NOT NULL
              OR (OLD.outcome IS NULL AND NEW.ticket_root IS NULL)))
     OR (OLD.server_seed IS NULL AND NEW.server_seed IS NOT NULL AND NEW.seed_commitment IS NOT NULL
         AND encode(sha256(decode(NEW.server_seed, 'hex')), 'hex') <> NEW.seed_commitment) THEN
    RAISE EXCEPTION '{WRITE_ONCE}';
  END IF;
  RETURN NEW;
END $$"""

_PG_TICKETS_WHILE_OPEN = """CREATE FUNCTION casino_bet_draw_selling() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE v_status text; v_commitment text; v_root text;
BEGIN
  SELECT status, seed_commitment, ticket_root INTO v_status, v_commitment, v_root
    FROM rounds WHERE id = NEW.round_id FOR SHARE;
  IF v_commitment IS NOT NULL AND (v_status <> 'open' OR v_root IS NOT NULL) THEN
    RAISE EXCEPTION 'round_closed' USING ERRCODE = 'CK001';
  END IF;
  RETURN NEW;
END $$"""

_LEGACY_SQLITE_ROUND_GUARD = (
    "CREATE TRIGGER rounds_write_once BEFORE UPDATE ON rounds "
    "WHEN NEW.seed_commitment IS NOT OLD.seed_commitment OR NEW.server_seed IS NOT OLD.server_seed "
    "OR (OLD.outcome IS NOT NULL AND (NEW.outcome IS NOT OLD.outcome OR NEW.draw_at IS NOT OLD.draw_at)) "
    f"BEGIN SELECT RAISE(ABORT, '{WRITE_ONCE}'); END"
)
_LEGACY_PG_ROUND_GUARD = f"""CREATE OR REPLACE FUNCTION casino_round_write_once() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'rounds are never deleted'; END IF;
  IF NEW.seed_commitment IS DISTINCT FROM OLD.seed_commitment
     OR NEW.server_seed IS DISTINCT FROM OLD.server_seed
     OR (OLD.outcome IS NOT NULL AND (NEW.outcome IS DISTINCT FROM OLD.outcome
                                      OR NEW.draw_at IS DISTINCT FROM OLD.draw_at)) THEN
    RAISE EXCEPTION '{WRITE_ONCE}';
  END IF;
  RETURN NEW;
END $$"""


def _postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def _keys() -> Any:
    keys = context.config.attributes.get("keys")
    if keys is None:
        from casino_app.adapters.keys import LocalKeyring
        from casino_app.config import load_settings

        keys = LocalKeyring(load_settings().keyring_path)
    return keys


def _seal_undrawn_seeds() -> None:
    """Seal the seed of every draw not yet drawn; drawn draws keep theirs in the clear."""
    from casino_app.services.security import crypto

    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, server_seed FROM rounds WHERE server_seed IS NOT NULL AND outcome IS NULL")
    ).all()
    keys = _keys() if rows else None
    for row_id, seed in rows:
        token = crypto.seal(seed, table="rounds", column="server_seed_enc", row_id=row_id, keys=keys)
        bind.execute(
            sa.text("UPDATE rounds SET server_seed_enc = :t, server_seed = NULL WHERE id = :id"),
            {"t": token, "id": row_id},
        )


def _reveal_sealed_seeds() -> None:
    """Downgrade: the sealed seeds back in the clear (the older schema had no sealed column)."""
    from casino_app.services.security import crypto

    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, server_seed_enc FROM rounds WHERE server_seed_enc IS NOT NULL")
    ).all()
    keys = _keys() if rows else None
    for row_id, token in rows:
        seed = crypto.unseal(token, table="rounds", column="server_seed_enc", row_id=row_id, keys=keys)
        bind.execute(sa.text("UPDATE rounds SET server_seed = :s WHERE id = :id"), {"s": seed, "id": row_id})


def upgrade() -> None:
    op.add_column("rounds", sa.Column("server_seed_enc", sa.Text(), nullable=True))
    op.add_column("rounds", sa.Column("ticket_root", _S(length=64), nullable=True))
    if _postgres():
        op.execute("DROP TRIGGER rounds_write_once ON rounds")
        _seal_undrawn_seeds()
        op.execute(_PG_ROUND_GUARD)
        op.execute(
            "CREATE TRIGGER rounds_write_once BEFORE INSERT OR UPDATE OR DELETE ON rounds "
            "FOR EACH ROW EXECUTE FUNCTION casino_round_write_once()"
        )
        op.execute(_PG_TICKETS_WHILE_OPEN)
        op.execute(
            "CREATE TRIGGER bets_draw_selling BEFORE INSERT ON bets "
            "FOR EACH ROW EXECUTE FUNCTION casino_bet_draw_selling()"
        )
    else:
        op.execute("DROP TRIGGER rounds_write_once")
        _seal_undrawn_seeds()
        for statement in (_SQLITE_ROUND_GUARD, _SQLITE_SEALED_ON_INSERT, _SQLITE_TICKETS_WHILE_OPEN):
            op.execute(statement)


def downgrade() -> None:
    if _postgres():
        op.execute("DROP TRIGGER bets_draw_selling ON bets")
        op.execute("DROP FUNCTION casino_bet_draw_selling()")
        op.execute("DROP TRIGGER rounds_write_once ON rounds")
        _reveal_sealed_seeds()
        op.execute(_LEGACY_PG_ROUND_GUARD)
        op.execute(
            "CREATE TRIGGER rounds_write_once BEFORE UPDATE OR DELETE ON rounds "
            "FOR EACH ROW EXECUTE FUNCTION casino_round_write_once()"
        )
    else:
        for trigger in ("bets_draw_selling", "rounds_seed_sealed", "rounds_write_once"):
            op.execute(f"DROP TRIGGER {trigger}")
        _reveal_sealed_seeds()
        op.execute(_LEGACY_SQLITE_ROUND_GUARD)
    op.drop_column("rounds", "ticket_root")
    op.drop_column("rounds", "server_seed_enc")
