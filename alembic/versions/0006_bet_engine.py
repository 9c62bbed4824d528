"""bet engine: games with versions, rounds and bets for every game; vocabulary CHECK constraints

Lotto games, draws and tickets move onto the game-neutral tables with their ids and money
links unchanged (tickets become bets, draws become rounds). The PostgreSQL bet function is
replaced by a generic one (a stake on a round id, no game logic). Every status and kind column
admits only its vocabulary: CHECK constraints on the new tables and on PostgreSQL, insert and
update triggers on SQLite's existing tables (SQLite cannot add a CHECK to a table in place).
The value lists are frozen here; tests/integration/test_vocabulary_constraints.py proves they
equal the domain's enums.

Revision ID: 0006
Revises: 0005
"""

import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import sqlmodel

import casino_app.persistence.types
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UtcDateTime = casino_app.persistence.types.UtcDateTime
AutoString = sqlmodel.sql.sqltypes.AutoString

GAME_KINDS = ("lotto", "instant", "provider")
ROUND_STATUSES = ("open", "closed", "drawn", "settled", "void")
BET_STATUSES = ("pending", "win", "lose", "push", "void")
# (table, column, constraint name, values) on tables that already exist.
EXISTING = (
    (
        "accounts",
        "kind",
        "ck_accounts_kind",
        (
            "player_cash",
            "player_bonus",
            "player_hold",
            "house_revenue",
            "provider_clearing",
            "bonus_expense",
            "fx_clearing",
            "jackpot",
        ),
    ),
    (
        "ledger_transactions",
        "kind",
        "ck_ledger_transactions_kind",
        (
            "deposit",
            "stake",
            "win",
            "reversal",
            "transfer",
            "bonus_grant",
            "fx",
            "withdrawal_hold",
            "withdrawal_paid",
            "withdrawal_rejected",
        ),
    ),
    ("payments", "status", "ck_payments_status", ("pending", "approved", "declined")),
    ("payments", "direction", "ck_payments_direction", ("deposit", "payout", "refund")),
    ("withdrawals", "status", "ck_withdrawals_status", ("requested", "paid", "rejected")),
    (
        "users",
        "role",
        "ck_users_role",
        ("player", "support", "kyc_officer", "finance", "risk_compliance", "admin"),
    ),
    ("users", "status", "ck_users_status", ("active", "erased")),
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _dialect() -> str:
    return op.get_bind().dialect.name


# --- the generic PostgreSQL stake ------------------------------------------------------------

# One round trip per bet: claim the idempotency key, check the round takes bets, lock the
# touched accounts in id order (no deadlock with any other posting), fund the stake cash first
# (or bonus first; the same rule as domain/money/funding.py, proven equal by a property test),
# debit, credit the house shard, write the entries and the bet. Errors raise custom SQLSTATEs
# that the application maps to typed domain errors; the whole statement rolls back.
PLACE_STAKE = r"""
CREATE OR REPLACE FUNCTION casino_place_stake(
  p_round_id bigint, p_user_id bigint, p_game_id bigint, p_currency text, p_cash_code text,
  p_bonus_code text, p_house_code text, p_stake bigint, p_cash_first boolean, p_selection text,
  p_public_id text, p_request_key text, p_key text, p_hash text, p_actor text, p_now timestamptz,
  OUT o_status text, OUT o_bet_id bigint, OUT o_txn_id bigint, OUT o_public_id text,
  OUT o_round_id bigint, OUT o_selection text, OUT o_stake_cash bigint, OUT o_stake_bonus bigint,
  OUT o_cash_after bigint, OUT o_bonus_after bigint, OUT o_created_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  v_round_status text; v_closes timestamptz; v_game bigint; v_version int;
  v_cash_id bigint; v_cash bigint; v_bonus_id bigint; v_bonus bigint := 0;
  v_house_id bigint; v_house_after bigint; v_existing text;
BEGIN
  INSERT INTO ledger_transactions (kind, idempotency_key, request_hash, reference, actor, reason, created_at)
  VALUES ('stake', p_key, p_hash, p_public_id, p_actor, '', p_now)
  ON CONFLICT (idempotency_key) DO NOTHING RETURNING id INTO o_txn_id;
  IF o_txn_id IS NULL THEN
    SELECT id, request_hash INTO o_txn_id, v_existing FROM ledger_transactions WHERE idempotency_key = p_key;
    IF v_existing <> p_hash THEN o_status := 'idempotency_conflict'; RETURN; END IF;
    SELECT b.id, b.public_id, b.round_id, b.selection, b.stake - b.stake_bonus, b.stake_bonus, b.created_at
      INTO o_bet_id, o_public_id, o_round_id, o_selection, o_stake_cash, o_stake_bonus, o_created_at
      FROM bets b WHERE b.stake_transaction_id = o_txn_id;
    SELECT balance INTO o_cash_after FROM accounts WHERE code = p_cash_code;
    SELECT balance INTO o_bonus_after FROM accounts WHERE code = p_bonus_code;
    o_status := 'replayed';
    RETURN;
  END IF;

  SELECT status, closes_at, game_id, game_version INTO v_round_status, v_closes, v_game, v_version
    FROM rounds WHERE id = p_round_id;
  IF v_game IS NULL OR v_game <> p_game_id THEN
    RAISE EXCEPTION 'unknown round' USING ERRCODE = 'CK404';
  END IF;
  IF v_round_status <> 'open' OR (v_closes IS NOT NULL AND v_closes <= p_now) THEN
    RAISE EXCEPTION 'round_closed' USING ERRCODE = 'CK001';
  END IF;

  PERFORM 1 FROM accounts WHERE code IN (p_cash_code, p_bonus_code, p_house_code) ORDER BY id FOR UPDATE;
  SELECT id, balance INTO v_cash_id, v_cash FROM accounts WHERE code = p_cash_code AND currency = p_currency;
  SELECT id, balance INTO v_bonus_id, v_bonus FROM accounts WHERE code = p_bonus_code AND currency = p_currency;
  SELECT id INTO v_house_id FROM accounts WHERE code = p_house_code AND currency = p_currency;
  IF v_cash_id IS NULL THEN RAISE EXCEPTION 'no wallet in this currency' USING ERRCODE = 'CK405'; END IF;
  IF v_house_id IS NULL THEN RAISE EXCEPTION 'unknown house account' USING ERRCODE = 'CK406'; END IF;
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

  INSERT INTO bets (public_id, round_id, user_id, game_id, game_version, currency, stake, stake_bonus,
                    win, win_bonus, status, selection, result, idempotency_key, stake_transaction_id,
                    created_at)
  VALUES (p_public_id, p_round_id, p_user_id, p_game_id, v_version, p_currency, p_stake, o_stake_bonus,
          0, 0, 'pending', p_selection, '', p_request_key, o_txn_id, p_now)
  RETURNING id INTO o_bet_id;
  o_status := 'placed'; o_public_id := p_public_id; o_round_id := p_round_id;
  o_selection := p_selection; o_created_at := p_now;
END $$;
"""

ROUND_GUARD_SQLITE = (
    "CREATE TRIGGER rounds_write_once BEFORE UPDATE ON rounds "
    "WHEN NEW.seed_commitment IS NOT OLD.seed_commitment OR NEW.server_seed IS NOT OLD.server_seed "
    "OR (OLD.outcome IS NOT NULL AND (NEW.outcome IS NOT OLD.outcome OR NEW.draw_at IS NOT OLD.draw_at)) "
    "BEGIN SELECT RAISE(ABORT, 'round commitments and results are write-once'); END",
    "CREATE TRIGGER rounds_no_delete BEFORE DELETE ON rounds "
    "BEGIN SELECT RAISE(ABORT, 'rounds are never deleted'); END",
)
ROUND_GUARD_POSTGRES = (
    """CREATE FUNCTION casino_round_write_once() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'rounds are never deleted'; END IF;
      IF NEW.seed_commitment IS DISTINCT FROM OLD.seed_commitment
         OR NEW.server_seed IS DISTINCT FROM OLD.server_seed
         OR (OLD.outcome IS NOT NULL AND (NEW.outcome IS DISTINCT FROM OLD.outcome
                                          OR NEW.draw_at IS DISTINCT FROM OLD.draw_at)) THEN
        RAISE EXCEPTION 'round commitments and results are write-once';
      END IF;
      RETURN NEW;
    END $$""",
    "CREATE TRIGGER rounds_write_once BEFORE UPDATE OR DELETE ON rounds "
    "FOR EACH ROW EXECUTE FUNCTION casino_round_write_once()",
)


def upgrade() -> None:
    _create_game_tables()
    _copy_lotto()
    _drop_lotto_tables()
    for statement in ROUND_GUARD_POSTGRES if _dialect() == "postgresql" else ROUND_GUARD_SQLITE:
        op.execute(statement)
    _constrain_existing()
    if _dialect() == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS casino_place_ticket")
        op.execute(PLACE_STAKE)
        for table in ("games", "game_versions", "rounds", "bets"):
            op.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1), "
                f"MAX(id) IS NOT NULL) FROM {table}"
            )


def _create_game_tables() -> None:
    op.create_table(
        "games",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", AutoString(length=32), nullable=False),
        sa.Column("name", AutoString(length=64), nullable=False),
        sa.Column("kind", AutoString(length=16), nullable=False),
        sa.Column("currency", AutoString(length=3), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("draw_interval_seconds", sa.Integer(), nullable=True),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_in("kind", GAME_KINDS), name="ck_games_kind"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "game_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("game_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("min_stake", sa.BigInteger(), nullable=False),
        sa.Column("max_stake", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["game_id"], ["games.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("game_id", "version", name="uq_game_versions_game_version"),
    )
    _create_rounds()
    _create_bets()


def _create_rounds() -> None:
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("game_id", sa.Integer(), nullable=False),
        sa.Column("game_version", sa.Integer(), nullable=False),
        sa.Column("code", AutoString(length=32), nullable=False),
        sa.Column("status", AutoString(length=16), nullable=False),
        sa.Column("opened_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("draw_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("seed_commitment", AutoString(length=64), nullable=True),
        sa.Column("server_seed", AutoString(length=64), nullable=True),
        sa.Column("outcome", AutoString(length=255), nullable=True),
        sa.Column("resulted_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("settled_at", UtcDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(_in("status", ROUND_STATUSES), name="ck_rounds_status"),
        sa.ForeignKeyConstraint(["game_id"], ["games.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("game_id", "code", name="uq_rounds_game_code"),
    )
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rounds_game_id"), ["game_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rounds_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_rounds_draw_at"), ["draw_at"], unique=False)


def _create_bets() -> None:
    op.create_table(
        "bets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", AutoString(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("game_id", sa.Integer(), nullable=False),
        sa.Column("game_version", sa.Integer(), nullable=False),
        sa.Column("currency", AutoString(length=3), nullable=False),
        sa.Column("stake", sa.BigInteger(), nullable=False),
        sa.Column("stake_bonus", sa.BigInteger(), nullable=False),
        sa.Column("win", sa.BigInteger(), nullable=False),
        sa.Column("win_bonus", sa.BigInteger(), nullable=False),
        sa.Column("status", AutoString(length=16), nullable=False),
        sa.Column("selection", AutoString(length=512), nullable=False),
        sa.Column("result", AutoString(length=64), nullable=False),
        sa.Column("idempotency_key", AutoString(length=128), nullable=False),
        sa.Column("stake_transaction_id", sa.Integer(), nullable=False),
        sa.Column("settle_transaction_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("settled_at", UtcDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(_in("status", BET_STATUSES), name="ck_bets_status"),
        sa.ForeignKeyConstraint(["game_id"], ["games.id"]),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["stake_transaction_id"], ["ledger_transactions.id"]),
        sa.ForeignKeyConstraint(["settle_transaction_id"], ["ledger_transactions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
        sa.UniqueConstraint("stake_transaction_id"),
    )
    with op.batch_alter_table("bets", schema=None) as batch_op:
        batch_op.create_index("ix_bets_round_status", ["round_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_bets_user_id"), ["user_id"], unique=False)


# --- moving lotto onto the engine ---------------------------------------------------------------


def _copy_lotto() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    stamp = sa.bindparam("at", type_=UtcDateTime())
    games = bind.execute(sa.text("SELECT * FROM lotto_games ORDER BY id")).mappings().all()
    for g in games:
        bind.execute(
            sa.text(
                "INSERT INTO games (id, code, name, kind, currency, version, draw_interval_seconds, created_at) "
                "VALUES (:id, :code, :name, 'lotto', :currency, 1, :interval, :at)"
            ).bindparams(stamp),
            {**g, "interval": g["draw_interval_seconds"], "at": now},
        )
        bind.execute(
            sa.text(
                "INSERT INTO game_versions (game_id, version, rules, min_stake, max_stake, created_at) "
                "VALUES (:id, 1, :rules, :min_stake, :max_stake, :at)"
            ).bindparams(stamp),
            {**g, "rules": _lotto_rules(g["pick"], g["pool"], g["paytable"]), "at": now},
        )
    _copy_draws(bind, {g["id"]: g["draw_interval_seconds"] for g in games})
    _copy_tickets(bind)


def _lotto_rules(pick: int, pool: int, paytable: str) -> str:
    pairs = [[int(m), int(x)] for m, x in (item.split(":") for item in paytable.split(",") if item)]
    return json.dumps({"pick": pick, "pool": pool, "paytable": pairs}, sort_keys=True)


def _copy_draws(bind: sa.Connection, intervals: dict[int, int]) -> None:
    types = {name: UtcDateTime() for name in ("opened", "closes", "draw", "resulted", "settled")}
    insert = sa.text(
        "INSERT INTO rounds (id, game_id, game_version, code, status, opened_at, closes_at, draw_at, "
        "seed_commitment, server_seed, outcome, resulted_at, settled_at) VALUES (:id, :game_id, 1, :code, "
        ":status, :opened, :closes, :draw, :seed_commitment, :server_seed, :numbers, :resulted, :settled)"
    ).bindparams(*(sa.bindparam(name, type_=t) for name, t in types.items()))
    select = sa.text("SELECT * FROM draws ORDER BY id").columns(
        sales_close_at=UtcDateTime(), draw_at=UtcDateTime(), drawn_at=UtcDateTime(), settled_at=UtcDateTime()
    )
    for d in bind.execute(select).mappings():
        bind.execute(
            insert,
            {
                **d,
                "opened": d["draw_at"] - timedelta(seconds=intervals.get(d["game_id"]) or 0),
                "closes": d["sales_close_at"],
                "draw": d["draw_at"],
                "resulted": d["drawn_at"],
                "settled": d["settled_at"],
            },
        )


def _copy_tickets(bind: sa.Connection) -> None:
    prefix = "'ticket:' || CAST(t.user_id AS TEXT) || ':'"
    bind.execute(
        sa.text(
            "INSERT INTO bets (id, public_id, round_id, user_id, game_id, game_version, currency, stake, "
            "stake_bonus, win, win_bonus, status, selection, result, idempotency_key, stake_transaction_id, "
            "settle_transaction_id, created_at, settled_at) "
            "SELECT t.id, t.validation_number, t.draw_id, t.user_id, d.game_id, 1, t.currency, t.stake, "
            "t.stake_bonus, t.win, (t.win * t.stake_bonus) / t.stake, t.status, t.selection, "
            "COALESCE(CAST(t.matches AS TEXT), ''), "
            f"substr(lt.idempotency_key, length({prefix}) + 1), t.transaction_id, "
            "(SELECT w.id FROM ledger_transactions w WHERE w.idempotency_key = 'win:' || CAST(t.id AS TEXT)), "
            "t.created_at, t.settled_at "
            "FROM tickets t JOIN draws d ON d.id = t.draw_id "
            "JOIN ledger_transactions lt ON lt.id = t.transaction_id ORDER BY t.id"
        )
    )


def _drop_lotto_tables() -> None:
    if _dialect() == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS casino_draw_write_once() CASCADE")
    else:
        op.execute("DROP TRIGGER IF EXISTS draws_write_once")
        op.execute("DROP TRIGGER IF EXISTS draws_no_delete")
    op.drop_table("tickets")
    op.drop_table("draws")
    op.drop_table("lotto_games")


# --- the vocabulary on existing tables -----------------------------------------------------------


def _constrain_existing() -> None:
    for table, column, name, values in EXISTING:
        if _dialect() == "postgresql":
            op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({_in(column, values)})")
            continue
        for event, when in (("INSERT", ""), ("UPDATE", f" OF {column}")):
            op.execute(
                f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event}{when} ON {table} "
                f"WHEN NEW.{column} NOT IN ({', '.join(repr(v) for v in values)}) "
                f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"
            )


def _unconstrain_existing() -> None:
    for table, _column, name, _values in EXISTING:
        if _dialect() == "postgresql":
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}_insert")
            op.execute(f"DROP TRIGGER IF EXISTS {name}_update")


def downgrade() -> None:
    raise NotImplementedError(
        "0006 moves lotto data onto the bet engine; going back would lose instant-game bets. "
        "Restore the backup taken before the upgrade instead."
    )
