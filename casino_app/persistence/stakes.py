"""The stake hot path in dialect-specific SQL: one bet on one round, no game logic.

PostgreSQL: one call of the stored function `casino_place_stake` (migration 0006) — alone in
autocommit (one round trip), or inside the caller's transaction. SQLite: plain sqlite3 cursor
calls in a BEGIN IMMEDIATE transaction (SQLAlchemy's per-statement overhead was most of the
cost of a bet). Both claim the idempotency key, check the round takes bets, fund the stake
cash first (or bonus first) with the one funding rule, debit atomically, credit a house
shard, write the entries and the bet, and leave nothing behind on any error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from casino_app.domain.errors import (
    CurrencyMismatch,
    DomainError,
    IdempotencyConflict,
    InsufficientFunds,
    NotFound,
    RoundClosed,
)
from casino_app.domain.games.vocabulary import RoundStatus
from casino_app.domain.money.funding import fund_stake
from casino_app.persistence.db import Database

ROUND_CLOSED = "This round no longer takes bets."
NO_FUNDS = "Your balance is too low for this amount."
_SQLSTATE_ERRORS: dict[str, tuple[type[DomainError], str]] = {
    "CK001": (RoundClosed, ROUND_CLOSED),
    "CK402": (InsufficientFunds, NO_FUNDS),
    "CK404": (NotFound, "Unknown round for this game."),
    "CK405": (CurrencyMismatch, "You have no wallet in this game's currency."),
    "CK406": (NotFound, "The game's house account does not exist."),
}
CONFLICT = "This request id was already used for a different request."


@dataclass(frozen=True)
class StakeRow:
    """Everything the SQL needs for one stake (game rules were applied before)."""

    round_id: int
    user_id: int
    game_id: int
    currency: str
    cash_code: str
    bonus_code: str
    house_code: str
    stake: int
    cash_first: bool
    selection: str
    public_id: str
    request_key: str
    key: str
    request_hash: str
    actor: str
    now: datetime


@dataclass(frozen=True)
class PlacedStake:
    bet_id: int
    transaction_id: int
    public_id: str
    round_id: int
    selection: str
    stake_cash: int
    stake_bonus: int
    cash_after: int
    bonus_after: int
    created_at: datetime
    replayed: bool


def place_alone(db: Database, row: StakeRow) -> PlacedStake:
    """One stake in a transaction of its own (the single-statement fast path)."""
    if db.dialect == "postgresql":
        with db.write_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            return _postgres(lambda: conn.execute(_PG_CALL, _params(row)).one())
    reader = db.read_engine.raw_connection()
    try:  # a replay needs no write lock
        if _known_key(reader.cursor(), row.key):
            return _sqlite_replay(reader.cursor(), row)
    finally:
        reader.close()
    with db.write_lock:
        conn = db.write_engine.raw_connection()
        try:
            cur = conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                placed = _place_sqlite(cur, row)
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            return placed
        finally:
            conn.close()


def place_checked_alone(db: Database, row: StakeRow, check: Callable[[Any], None]) -> PlacedStake:
    """One stake in a transaction of its own after `check(handle)` passed, in that transaction.

    `check` reads its facts through `handle` (PostgreSQL: the raw psycopg connection, whose first
    statement takes the player's lock; SQLite: the sqlite3 cursor inside `BEGIN IMMEDIATE`) and
    raises a domain error to refuse. A replay of a placed bet is answered without the check
    (SQLite: probed first; PostgreSQL: a refused check looks the key up before refusing).
    """
    if db.dialect == "postgresql":
        return _postgres_checked(db, row, check)
    reader = db.read_engine.raw_connection()
    try:
        if _known_key(reader.cursor(), row.key):
            return _sqlite_replay(reader.cursor(), row)
    finally:
        reader.close()
    with db.write_lock:
        raw = db.write_engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                check(cur)
                placed = _place_sqlite(cur, row)
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            return placed
        finally:
            raw.close()


_PG_KNOWN = "SELECT 1 FROM ledger_transactions WHERE idempotency_key = %s"


def _postgres_checked(db: Database, row: StakeRow, check: Callable[[Any], None]) -> PlacedStake:
    """The facts (whose lock the check waits on), the check, the stake and COMMIT on the raw
    psycopg connection of one transaction (no ORM or Core layer per statement)."""
    from psycopg import Error as PgError
    from psycopg.rows import namedtuple_row

    raw = db.write_engine.raw_connection()
    pg: Any = raw.dbapi_connection
    try:
        try:
            check(pg)
        except DomainError:
            if pg.execute(_PG_KNOWN, (row.key,)).fetchone() is None:
                raise
        try:
            out = pg.cursor(row_factory=namedtuple_row).execute(_PG_CALL_RAW, _params(row)).fetchone()
        except PgError as err:
            mapped = _SQLSTATE_ERRORS.get(err.sqlstate or "")
            if mapped is None:
                raise
            raise mapped[0](mapped[1]) from None
        placed = _postgres(lambda: out)
        pg.commit()
        return placed
    except BaseException:
        pg.rollback()
        raise
    finally:
        raw.close()


def place_in(session: Session, row: StakeRow) -> PlacedStake:
    """One stake inside the caller's open write transaction (it commits or rolls back)."""
    if session.get_bind().dialect.name == "postgresql":
        return _postgres(lambda: session.execute(_PG_CALL, _params(row)).one())
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    return _place_sqlite(raw.cursor(), row)


_PG_CALL = sa.text(
    "SELECT * FROM casino_place_stake(:round_id, :user_id, :game_id, :currency, :cash_code, :bonus_code, "
    ":house_code, :stake, :cash_first, :selection, :public_id, :request_key, :key, :request_hash, "
    ":actor, :now)"
)


_PG_CALL_RAW = (
    "SELECT * FROM casino_place_stake(%(round_id)s, %(user_id)s, %(game_id)s, %(currency)s, %(cash_code)s, "
    "%(bonus_code)s, %(house_code)s, %(stake)s, %(cash_first)s, %(selection)s, %(public_id)s, "
    "%(request_key)s, %(key)s, %(request_hash)s, %(actor)s, %(now)s)"
)
_FIELDS = tuple(f.name for f in fields(StakeRow))


def _params(row: StakeRow) -> dict[str, Any]:
    # Not `asdict`: it deep-copies every value, a third of a millisecond per bet.
    return {name: getattr(row, name) for name in _FIELDS}


def _postgres(run: Any) -> PlacedStake:
    try:
        out = run()
    except DBAPIError as err:
        mapped = _SQLSTATE_ERRORS.get(getattr(err.orig, "sqlstate", "") or "")
        if mapped is None:
            raise
        raise mapped[0](mapped[1]) from None

    if out.o_status == "idempotency_conflict":
        raise IdempotencyConflict(CONFLICT)
    return PlacedStake(
        out.o_bet_id,
        out.o_txn_id,
        out.o_public_id,
        out.o_round_id,
        out.o_selection,
        out.o_stake_cash,
        out.o_stake_bonus,
        out.o_cash_after,
        out.o_bonus_after or 0,
        out.o_created_at,
        out.o_status == "replayed",
    )


def _known_key(cur: Any, key: str) -> bool:
    found = cur.execute("SELECT 1 FROM ledger_transactions WHERE idempotency_key = ?", (key,)).fetchone()
    return found is not None


def _sqlite_replay(cur: Any, row: StakeRow) -> PlacedStake:
    txn_id, digest = cur.execute(
        "SELECT id, request_hash FROM ledger_transactions WHERE idempotency_key = ?", (row.key,)
    ).fetchone()
    if digest != row.request_hash:
        raise IdempotencyConflict(CONFLICT)
    b = cur.execute(
        "SELECT id, public_id, round_id, selection, stake, stake_bonus, created_at FROM bets "
        "WHERE stake_transaction_id = ?",
        (txn_id,),
    ).fetchone()
    balances = _balances(cur, row)
    return PlacedStake(
        b[0],
        txn_id,
        b[1],
        b[2],
        b[3],
        b[4] - b[5],
        b[5],
        balances.get("cash", (0, 0))[1],
        balances.get("bonus", (0, 0))[1],
        _utc(b[6]),
        True,
    )


def _balances(cur: Any, row: StakeRow) -> dict[str, tuple[int, int]]:
    """{"cash"|"bonus"|"house": (account id, balance)} for the accounts that exist."""
    names = {row.cash_code: "cash", row.bonus_code: "bonus", row.house_code: "house"}
    found = cur.execute(
        "SELECT id, code, balance FROM accounts WHERE currency = ? AND code IN (?, ?, ?)",
        (row.currency, row.cash_code, row.bonus_code, row.house_code),
    ).fetchall()
    return {names[code]: (int(i), int(b)) for i, code, b in found}


def _check_round(cur: Any, row: StakeRow) -> int:
    """The round's game version, once the round is known to take bets."""
    found = cur.execute(
        "SELECT status, closes_at, game_id, game_version FROM rounds WHERE id = ?", (row.round_id,)
    ).fetchone()
    if found is None or found[2] != row.game_id:
        raise NotFound(_SQLSTATE_ERRORS["CK404"][1])
    status, closes_at, _, version = found
    if status != RoundStatus.OPEN or (closes_at is not None and _utc(closes_at) <= row.now):
        raise RoundClosed(ROUND_CLOSED)
    return int(version)


def _place_sqlite(cur: Any, row: StakeRow) -> PlacedStake:
    now = _naive(row.now)
    claimed = cur.execute(
        "INSERT INTO ledger_transactions (kind, idempotency_key, request_hash, reference, actor, reason, "
        "created_at) VALUES ('stake', ?, ?, ?, ?, '', ?) "
        "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
        (row.key, row.request_hash, row.public_id, row.actor, now),
    ).fetchone()
    if claimed is None:
        return _sqlite_replay(cur, row)
    txn_id = claimed[0]
    version = _check_round(cur, row)
    acc = _balances(cur, row)
    for needed, sqlstate in (("cash", "CK405"), ("house", "CK406")):
        if needed not in acc:
            error, text = _SQLSTATE_ERRORS[sqlstate]
            raise error(text)
    funding = fund_stake(row.stake, acc["cash"][1], acc.get("bonus", (0, 0))[1], cash_first=row.cash_first)
    legs = [(acc["cash"][0], -funding.cash), (acc["house"][0], row.stake)]
    if funding.bonus:
        legs.append((acc["bonus"][0], -funding.bonus))
    after = _post_legs(cur, txn_id, legs, row.currency)
    bet_id = cur.execute(
        "INSERT INTO bets (public_id, round_id, user_id, game_id, game_version, currency, stake, "
        "stake_bonus, win, win_bonus, status, selection, result, idempotency_key, stake_transaction_id, "
        "created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 'pending', ?, '', ?, ?, ?) RETURNING id",
        (
            row.public_id,
            row.round_id,
            row.user_id,
            row.game_id,
            version,
            row.currency,
            row.stake,
            funding.bonus,
            row.selection,
            row.request_key,
            txn_id,
            now,
        ),
    ).fetchone()[0]
    bonus = acc.get("bonus", (0, 0))
    return PlacedStake(
        bet_id,
        txn_id,
        row.public_id,
        row.round_id,
        row.selection,
        funding.cash,
        funding.bonus,
        after.get(acc["cash"][0], acc["cash"][1]),
        after.get(bonus[0], bonus[1]),
        row.now,
        False,
    )


def _post_legs(cur: Any, txn_id: int, legs: list[tuple[int, int]], currency: str) -> dict[int, int]:
    """Apply the legs in account-id order and write their entries; returns balances after."""
    entries = []
    for account_id, amount in sorted(legs):
        if amount:
            balance = cur.execute(
                "UPDATE accounts SET balance = balance + ? WHERE id = ? RETURNING balance",
                (amount, account_id),
            ).fetchone()[0]
            entries.append((txn_id, account_id, amount, currency, balance))
    cur.executemany(
        "INSERT INTO ledger_entries (transaction_id, account_id, amount, currency, balance_after) "
        "VALUES (?, ?, ?, ?, ?)",
        entries,
    )
    return {e[1]: e[4] for e in entries}


def _naive(value: datetime) -> str:
    """SQLite keeps UTC as naive text in SQLAlchemy's format, so comparisons stay textual-safe."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _utc(value: object) -> datetime:
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
