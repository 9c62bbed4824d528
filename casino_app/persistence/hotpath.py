"""The bet hot path in dialect-specific SQL.

PostgreSQL: one round trip, a call of the stored function `casino_place_ticket` (created
by migration 0002) in autocommit mode. SQLite: one BEGIN IMMEDIATE transaction of Core
statements. Both claim the idempotency key, check the draw is selling, fund the stake
cash first (or bonus first), debit atomically, credit a house shard, write the entries and
the ticket, and leave nothing behind on any error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from casino_app.domain.errors import DrawClosed, IdempotencyConflict, InsufficientFunds, NotFound
from casino_app.domain.money.funding import fund_stake
from casino_app.persistence.db import Database

_SQLSTATE_ERRORS = {
    "CK001": (DrawClosed, "Sales for this draw have closed. Try the next draw in a moment."),
    "CK402": (InsufficientFunds, "Your balance is too low for this amount."),
    "CK404": (NotFound, "The wallet or game account does not exist."),
}


@dataclass(frozen=True)
class TicketOrder:
    user_id: int
    game_id: int
    currency: str
    cash_code: str
    bonus_code: str
    house_code: str
    stake: int
    cash_first: bool
    selection: str
    validation_number: str
    idempotency_key: str
    request_hash: str
    actor: str
    now: datetime


@dataclass(frozen=True)
class PlacedTicket:
    ticket_id: int
    transaction_id: int
    validation_number: str
    draw_code: str
    draw_at: datetime
    selection: str
    stake_cash: int
    stake_bonus: int
    cash_after: int
    bonus_after: int
    created_at: datetime
    replayed: bool


def place_ticket(db: Database, order: TicketOrder) -> PlacedTicket:
    """Place one ticket atomically on the database's own hot path."""
    if db.dialect == "postgresql":
        return _place_postgres(db, order)
    reader = db.read_engine.raw_connection()
    try:  # a replay needs no write lock
        if _known_key(reader.cursor(), order.idempotency_key):
            return _sqlite_replay(reader.cursor(), order)
    finally:
        reader.close()
    with db.write_lock:
        conn = db.write_engine.raw_connection()
        try:
            cur = conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                placed = _place_sqlite(cur, order)
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            return placed
        finally:
            conn.close()


def _known_key(cur: Any, key: str) -> bool:
    return (
        cur.execute("SELECT 1 FROM ledger_transactions WHERE idempotency_key = ?", (key,)).fetchone()
        is not None
    )


_PG_CALL = sa.text(
    "SELECT * FROM casino_place_ticket(:user_id, :game_id, :currency, :cash_code, :bonus_code, "
    ":house_code, :stake, :cash_first, :selection, :validation_number, :idempotency_key, "
    ":request_hash, :actor, :now)"
)


def _place_postgres(db: Database, order: TicketOrder) -> PlacedTicket:
    params = {k: getattr(order, k) for k in order.__dataclass_fields__}
    with db.write_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        try:
            row = conn.execute(_PG_CALL, params).one()
        except DBAPIError as err:
            mapped = _SQLSTATE_ERRORS.get(getattr(err.orig, "sqlstate", "") or "")
            if mapped is None:
                raise
            raise mapped[0](mapped[1]) from None
    if row.o_status == "idempotency_conflict":
        raise IdempotencyConflict("This request id was already used for a different request.")
    return PlacedTicket(
        row.o_ticket_id,
        row.o_txn_id,
        row.o_validation,
        row.o_draw_code,
        row.o_draw_at,
        row.o_selection,
        row.o_stake_cash,
        row.o_stake_bonus,
        row.o_cash_after,
        row.o_bonus_after or 0,
        row.o_created_at,
        row.o_status == "replayed",
    )


# SQLite: plain sqlite3 cursor calls (qmark parameters) inside the caller's transaction;
# SQLAlchemy's per-statement overhead was most of the cost of a bet.


def _sqlite_replay(cur: Any, order: TicketOrder) -> PlacedTicket:
    txn_id, digest = cur.execute(
        "SELECT id, request_hash FROM ledger_transactions WHERE idempotency_key = ?", (order.idempotency_key,)
    ).fetchone()
    if digest != order.request_hash:
        raise IdempotencyConflict("This request id was already used for a different request.")
    t = cur.execute(
        "SELECT t.id, t.validation_number, d.code, d.draw_at, t.selection, t.stake, t.stake_bonus, "
        "t.created_at FROM tickets t JOIN draws d ON d.id = t.draw_id WHERE t.transaction_id = ?",
        (txn_id,),
    ).fetchone()
    balances = _balances(cur, order)
    return PlacedTicket(
        t[0],
        txn_id,
        t[1],
        t[2],
        _utc(t[3]),
        t[4],
        t[5] - t[6],
        t[6],
        balances.get("cash", (0, 0))[1],
        balances.get("bonus", (0, 0))[1],
        _utc(t[7]),
        True,
    )


def _balances(cur: Any, order: TicketOrder) -> dict[str, tuple[int, int]]:
    """{"cash"|"bonus"|"house": (account id, balance)} for the accounts that exist."""
    names = {order.cash_code: "cash", order.bonus_code: "bonus", order.house_code: "house"}
    rows = cur.execute(
        "SELECT id, code, balance FROM accounts WHERE currency = ? AND code IN (?, ?, ?)",
        (order.currency, order.cash_code, order.bonus_code, order.house_code),
    ).fetchall()
    return {names[code]: (int(i), int(b)) for i, code, b in rows}


def _place_sqlite(cur: Any, order: TicketOrder) -> PlacedTicket:
    now = _naive(order.now)
    row = cur.execute(
        "INSERT INTO ledger_transactions (kind, idempotency_key, request_hash, reference, actor, reason, "
        "created_at) VALUES ('stake', ?, ?, ?, ?, '', ?) "
        "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
        (order.idempotency_key, order.request_hash, order.validation_number, order.actor, now),
    ).fetchone()
    if row is None:
        return _sqlite_replay(cur, order)
    txn_id = row[0]
    draw = cur.execute(
        "SELECT id, code, draw_at FROM draws WHERE game_id = ? AND status = 'open' AND sales_close_at > ? "
        "ORDER BY draw_at LIMIT 1",
        (order.game_id, now),
    ).fetchone()
    if draw is None:
        raise DrawClosed(_SQLSTATE_ERRORS["CK001"][1])
    acc = _balances(cur, order)
    if "cash" not in acc or "house" not in acc:
        raise NotFound(_SQLSTATE_ERRORS["CK404"][1])
    funding = fund_stake(
        order.stake, acc["cash"][1], acc.get("bonus", (0, 0))[1], cash_first=order.cash_first
    )
    legs = [(acc["cash"][0], -funding.cash), (acc["house"][0], order.stake)]
    if funding.bonus:
        legs.append((acc["bonus"][0], -funding.bonus))
    entries = []
    for account_id, amount in sorted(legs):
        if amount:
            after = cur.execute(
                "UPDATE accounts SET balance = balance + ? WHERE id = ? RETURNING balance",
                (amount, account_id),
            ).fetchone()[0]
            entries.append((txn_id, account_id, amount, order.currency, after))
    cur.executemany(
        "INSERT INTO ledger_entries (transaction_id, account_id, amount, currency, balance_after) "
        "VALUES (?, ?, ?, ?, ?)",
        entries,
    )
    ticket_id = cur.execute(
        "INSERT INTO tickets (validation_number, user_id, draw_id, selection, stake, stake_bonus, currency, "
        "status, win, transaction_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) RETURNING id",
        (
            order.validation_number,
            order.user_id,
            draw[0],
            order.selection,
            order.stake,
            funding.bonus,
            order.currency,
            txn_id,
            now,
        ),
    ).fetchone()[0]
    after = {e[1]: e[4] for e in entries}
    cash_id, bonus = acc["cash"][0], acc.get("bonus", (0, 0))
    return PlacedTicket(
        ticket_id,
        txn_id,
        order.validation_number,
        draw[1],
        _utc(draw[2]),
        order.selection,
        funding.cash,
        funding.bonus,
        after.get(cash_id, acc["cash"][1]),
        after.get(bonus[0], bonus[1]),
        order.now,
        False,
    )


def _naive(value: datetime) -> str:
    """SQLite keeps UTC as naive text in SQLAlchemy's format, so comparisons stay textual-safe."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _utc(value: object) -> datetime:
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
