"""Reading the ledger: balances as of a time, statements, and the integrity check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.domain.errors import InvalidInput, NotFound
from casino_app.persistence.tables import Account, LedgerEntry, LedgerTransaction
from casino_app.services.money.ledger import PLAYER_ACCOUNT_KINDS

_ENTRIES = LedgerEntry.__table__  # type: ignore[attr-defined]
_TXNS = LedgerTransaction.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class StatementLine:
    transaction_id: int
    kind: str
    created_at: datetime
    amount: int
    balance_after: int
    reference: str


@dataclass(frozen=True)
class Statement:
    account_id: int
    currency: str
    start: datetime
    end: datetime
    opening: int
    lines: tuple[StatementLine, ...]
    closing: int


def balance_as_of(session: Session, account_id: int, at: datetime) -> int:
    """The balance of an account at time `at` ("state on date T"), from its entries."""
    total = session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(_ENTRIES.c.amount), 0))
        .select_from(_ENTRIES.join(_TXNS, _TXNS.c.id == _ENTRIES.c.transaction_id))
        .where(_ENTRIES.c.account_id == account_id, _TXNS.c.created_at <= at)
    ).scalar_one()
    return int(total)


def statement(session: Session, account_id: int, start: datetime, end: datetime) -> Statement:
    """Opening balance at `start`, every entry in (start, end], closing balance at `end`."""
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"Unknown account {account_id}.")
    if end < start:
        raise InvalidInput("The statement period ends before it starts.")
    opening = balance_as_of(session, account_id, start)
    rows = session.execute(
        sa.select(_TXNS.c.id, _TXNS.c.kind, _TXNS.c.created_at, _ENTRIES.c.amount, _TXNS.c.reference)
        .select_from(_ENTRIES.join(_TXNS, _TXNS.c.id == _ENTRIES.c.transaction_id))
        .where(_ENTRIES.c.account_id == account_id, _TXNS.c.created_at > start, _TXNS.c.created_at <= end)
        .order_by(_TXNS.c.created_at, _ENTRIES.c.id)
    ).all()
    running, lines = opening, []
    for txn_id, kind, created_at, amount, reference in rows:
        running += int(amount)
        lines.append(StatementLine(txn_id, kind, created_at, int(amount), running, reference))
    return Statement(account_id, account.currency, start, end, opening, tuple(lines), running)


def check_integrity(session: Session) -> list[str]:
    """Findings of an audit pass; an empty list means the ledger is consistent.

    Checks: every transaction has entries and sums to zero per currency, every entry's
    currency is its account's, every cached balance equals the sum of its entries, and no
    player account is negative.
    """
    findings: list[str] = []

    def q(sql: str) -> list[Any]:
        return list(session.execute(sa.text(sql)).all())

    findings += [
        f"transaction {t} does not sum to zero in {c}: {s}"
        for t, c, s in q(
            "SELECT transaction_id, currency, SUM(amount) FROM ledger_entries "
            "GROUP BY transaction_id, currency HAVING SUM(amount) <> 0"
        )
    ]
    findings += [
        f"transaction {t} has no entries"
        for (t,) in q(
            "SELECT t.id FROM ledger_transactions t WHERE NOT EXISTS "
            "(SELECT 1 FROM ledger_entries e WHERE e.transaction_id = t.id)"
        )
    ]
    findings += [
        f"entry {e} is in {c} but its account {a} holds {ac}"
        for e, c, a, ac in q(
            "SELECT e.id, e.currency, a.code, a.currency FROM ledger_entries e "
            "JOIN accounts a ON a.id = e.account_id WHERE e.currency <> a.currency"
        )
    ]
    findings += [
        f"account {c} (id {i}) caches {b} but its entries sum to {s}"
        for i, c, b, s in q(
            "SELECT a.id, a.code, a.balance, COALESCE(x.total, 0) FROM accounts a LEFT JOIN "
            "(SELECT account_id, SUM(amount) AS total FROM ledger_entries GROUP BY account_id) x "
            "ON x.account_id = a.id WHERE a.balance <> COALESCE(x.total, 0)"
        )
    ]
    negative = session.exec(
        select(Account.code, Account.balance).where(
            Account.balance < 0, col(Account.kind).in_(PLAYER_ACCOUNT_KINDS)
        )
    ).all()
    findings += [f"player account {c} is negative: {b}" for c, b in negative]
    return findings
