"""the ledger: withdrawal holds and the PostgreSQL bet hot path (casino_place_ticket)

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import casino_app.persistence.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# One round trip per bet: claim the idempotency key, check the draw is selling, lock the
# touched accounts in id order (no deadlock with any other posting), fund the stake cash
# first (or bonus first), debit, credit the house shard, write entries and the ticket.
# Errors raise custom SQLSTATEs that the application maps to typed domain errors; the
# whole statement rolls back, so nothing is half-written.
PLACE_TICKET = r"""
CREATE OR REPLACE FUNCTION casino_place_ticket(
  p_user_id bigint, p_game_id bigint, p_currency text, p_cash_code text, p_bonus_code text,
  p_house_code text, p_stake bigint, p_cash_first boolean, p_selection text, p_validation text,
  p_key text, p_hash text, p_actor text, p_now timestamptz,
  OUT o_status text, OUT o_ticket_id bigint, OUT o_txn_id bigint, OUT o_validation text,
  OUT o_draw_code text, OUT o_draw_at timestamptz, OUT o_selection text,
  OUT o_stake_cash bigint, OUT o_stake_bonus bigint, OUT o_cash_after bigint,
  OUT o_bonus_after bigint, OUT o_created_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  v_draw_id bigint; v_cash_id bigint; v_cash bigint; v_bonus_id bigint; v_bonus bigint := 0;
  v_house_id bigint; v_house_after bigint; v_existing text;
BEGIN
  INSERT INTO ledger_transactions (kind, idempotency_key, request_hash, reference, actor, reason, created_at)
  VALUES ('stake', p_key, p_hash, p_validation, p_actor, '', p_now)
  ON CONFLICT (idempotency_key) DO NOTHING RETURNING id INTO o_txn_id;
  IF o_txn_id IS NULL THEN
    SELECT id, request_hash INTO o_txn_id, v_existing FROM ledger_transactions WHERE idempotency_key = p_key;
    IF v_existing <> p_hash THEN o_status := 'idempotency_conflict'; RETURN; END IF;
    SELECT t.id, t.validation_number, d.code, d.draw_at, t.selection, t.stake - t.stake_bonus,
           t.stake_bonus, t.created_at
      INTO o_ticket_id, o_validation, o_draw_code, o_draw_at, o_selection, o_stake_cash,
           o_stake_bonus, o_created_at
      FROM tickets t JOIN draws d ON d.id = t.draw_id WHERE t.transaction_id = o_txn_id;
    SELECT balance INTO o_cash_after FROM accounts WHERE code = p_cash_code;
    SELECT balance INTO o_bonus_after FROM accounts WHERE code = p_bonus_code;
    o_status := 'replayed';
    RETURN;
  END IF;

  SELECT id, code, draw_at INTO v_draw_id, o_draw_code, o_draw_at FROM draws
   WHERE game_id = p_game_id AND status = 'open' AND sales_close_at > p_now
   ORDER BY draw_at LIMIT 1;
  IF v_draw_id IS NULL THEN RAISE EXCEPTION 'draw_closed' USING ERRCODE = 'CK001'; END IF;

  PERFORM 1 FROM accounts WHERE code IN (p_cash_code, p_bonus_code, p_house_code) ORDER BY id FOR UPDATE;
  SELECT id, balance INTO v_cash_id, v_cash FROM accounts WHERE code = p_cash_code AND currency = p_currency;
  SELECT id, balance INTO v_bonus_id, v_bonus FROM accounts WHERE code = p_bonus_code AND currency = p_currency;
  SELECT id INTO v_house_id FROM accounts WHERE code = p_house_code AND currency = p_currency;
  IF v_cash_id IS NULL OR v_house_id IS NULL THEN
    RAISE EXCEPTION 'unknown account' USING ERRCODE = 'CK404';
  END IF;
  v_bonus := COALESCE(v_bonus, 0);
  IF v_cash + v_bonus < p_stake THEN
    RAISE EXCEPTION 'insufficient_funds' USING ERRCODE = 'CK402';
  END IF;
  IF p_cash_first THEN
    o_stake_cash := LEAST(v_cash, p_stake); o_stake_bonus := p_stake - o_stake_cash;
  ELSE
    o_stake_bonus := LEAST(v_bonus, p_stake); o_stake_cash := p_stake - o_stake_bonus;
  END IF;
  o_cash_after := v_cash - o_stake_cash;
  o_bonus_after := v_bonus - o_stake_bonus;

  IF o_stake_cash > 0 THEN
    UPDATE accounts SET balance = o_cash_after WHERE id = v_cash_id;
    INSERT INTO ledger_entries (transaction_id, account_id, amount, currency, balance_after)
    VALUES (o_txn_id, v_cash_id, -o_stake_cash, p_currency, o_cash_after);
  END IF;
  IF o_stake_bonus > 0 THEN
    UPDATE accounts SET balance = o_bonus_after WHERE id = v_bonus_id;
    INSERT INTO ledger_entries (transaction_id, account_id, amount, currency, balance_after)
    VALUES (o_txn_id, v_bonus_id, -o_stake_bonus, p_currency, o_bonus_after);
  END IF;
  UPDATE accounts SET balance = balance + p_stake WHERE id = v_house_id RETURNING balance INTO v_house_after;
  INSERT INTO ledger_entries (transaction_id, account_id, amount, currency, balance_after)
  VALUES (o_txn_id, v_house_id, p_stake, p_currency, v_house_after);

  INSERT INTO tickets (validation_number, user_id, draw_id, selection, stake, stake_bonus, currency,
                       status, win, transaction_id, created_at)
  VALUES (p_validation, p_user_id, v_draw_id, p_selection, p_stake, o_stake_bonus, p_currency,
          'pending', 0, o_txn_id, p_now)
  RETURNING id INTO o_ticket_id;
  o_status := 'placed'; o_validation := p_validation; o_selection := p_selection; o_created_at := p_now;
END $$;
"""


def upgrade() -> None:
    op.create_table(
        "withdrawals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("hold_transaction_id", sa.Integer(), nullable=False),
        sa.Column("resolve_transaction_id", sa.Integer(), nullable=True),
        sa.Column("resolved_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["hold_transaction_id"], ["ledger_transactions.id"]),
        sa.ForeignKeyConstraint(["resolve_transaction_id"], ["ledger_transactions.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "request_id", name="uq_withdrawals_request"),
    )
    with op.batch_alter_table("withdrawals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_withdrawals_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_withdrawals_user_id"), ["user_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PLACE_TICKET)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS casino_place_ticket")
    with op.batch_alter_table("withdrawals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_withdrawals_user_id"))
        batch_op.drop_index(batch_op.f("ix_withdrawals_status"))
    op.drop_table("withdrawals")
