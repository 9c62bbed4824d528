"""Double-entry ledger: idempotent, zero-sum postings with an atomic check-and-debit.

Rules (DESIGN.md, "The ledger"): entries and transactions are append-only (database
triggers refuse UPDATE and DELETE); each transaction sums to zero per currency; a player
account never goes negative (a CHECK constraint and a conditional UPDATE); every movement
carries an idempotency key claimed by a unique insert in the same database transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from casino_app.domain.errors import (
    CurrencyMismatch,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidAmount,
    InvalidInput,
    NotFound,
)
from casino_app.domain.money.amounts import check_currency
from casino_app.persistence.tables import PLAYER_ACCOUNT_KINDS, Account, LedgerEntry, LedgerTransaction

MAX_KEY_LENGTH = 255
_ACCOUNTS = Account.__table__  # type: ignore[attr-defined]
_ENTRIES = LedgerEntry.__table__  # type: ignore[attr-defined]
_TXNS = LedgerTransaction.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Posting:
    """One leg: a signed amount for an account (negative lowers its balance).

    `currency` defaults to the transaction's currency; FX transactions name it per leg.
    """

    account_id: int
    amount: int
    currency: str | None = None


@dataclass(frozen=True)
class PostedTransaction:
    """The result of `post`; `replayed` is True when the key had already been used."""

    id: int
    kind: str
    idempotency_key: str
    created_at: datetime
    replayed: bool


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


def request_hash(request: dict[str, Any]) -> str:
    """A stable SHA-256 of the request that an idempotency key stands for."""
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> None:
    """Raise `InvalidInput` unless the idempotency key has 1 to 255 characters."""
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(f"An idempotency key has 1 to {MAX_KEY_LENGTH} characters.")


def _legs(postings: list[Posting], currency: str) -> dict[tuple[int, str], int]:
    """Validate the legs and merge them per (account, currency)."""
    check_currency(currency)
    if len(postings) < 2:
        raise InvalidInput("A transaction needs at least two entries.")
    merged: dict[tuple[int, str], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for p in postings:
        if isinstance(p.amount, bool) or not isinstance(p.amount, int) or p.amount == 0:
            raise InvalidAmount("Entry amounts are non-zero whole minor units.")
        ccy = check_currency(p.currency or currency)
        merged[(p.account_id, ccy)] += p.amount
        totals[ccy] += p.amount
    if any(totals.values()):
        raise InvalidInput("A transaction's entries must sum to zero in each currency.")
    return {k: v for k, v in merged.items() if v}


def _claim(session: Session, values: dict[str, Any]) -> tuple[int | None, LedgerTransaction | None]:
    """Claim the idempotency key with one insert; (new id, None) or (None, existing row)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    new_id = session.execute(
        insert(_TXNS)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(_TXNS.c.id)
    ).scalar()
    if new_id is not None:
        return int(new_id), None
    existing = session.exec(
        select(LedgerTransaction).where(LedgerTransaction.idempotency_key == values["idempotency_key"])
    ).one()
    return None, existing


def apply_delta(session: Session, account_id: int, amount: int, currency: str) -> int:
    """Add `amount` to the balance atomically; a player account may not go below zero.

    Returns the new balance.

    Raises:
        InsufficientFunds: a player account would go negative.
        CurrencyMismatch: the account holds another currency.
        NotFound: no such account.
    """
    allowed = sa.or_(_ACCOUNTS.c.balance + amount >= 0, _ACCOUNTS.c.kind.notin_(PLAYER_ACCOUNT_KINDS))
    stmt = (
        sa.update(_ACCOUNTS)
        .where(_ACCOUNTS.c.id == account_id, _ACCOUNTS.c.currency == currency, allowed)
        .values(balance=_ACCOUNTS.c.balance + amount)
        .returning(_ACCOUNTS.c.balance)
    )
    row = session.execute(stmt).one_or_none()
    if row is None:
        account = session.get(Account, account_id)
        if account is None:
            raise NotFound(f"Unknown account {account_id}.")
        if account.currency != currency:
            raise CurrencyMismatch(f"Account {account.code} holds {account.currency}, not {currency}.")
        raise InsufficientFunds("Your balance is too low for this amount.")
    return int(row.balance)


def post(
    session: Session,
    *,
    kind: str,
    idempotency_key: str,
    request: dict[str, Any],
    postings: list[Posting],
    currency: str,
    now: datetime,
    actor: str = "system",
    reason: str = "",
    reference: str = "",
    fx_rate: str | None = None,
    reverses_id: int | None = None,
) -> PostedTransaction:
    """Post a zero-sum transaction inside the caller's database transaction.

    The caller commits. Balances change with conditional updates taken in account-id
    order, so two transfers in opposite directions cannot deadlock.

    Raises:
        IdempotencyConflict: the key was used for a different request.
        InsufficientFunds: a player account would go negative.
        InvalidInput, InvalidAmount, CurrencyMismatch: a malformed posting.
    """
    check_key(idempotency_key)
    legs = _legs(postings, currency)
    digest = request_hash({"kind": kind, **request})
    values = {
        "kind": kind,
        "idempotency_key": idempotency_key,
        "request_hash": digest,
        "reference": reference,
        "actor": actor,
        "reason": reason,
        "fx_rate": fx_rate,
        "reverses_id": reverses_id,
        "created_at": now,
    }
    txn_id, existing = _claim(session, values)
    if existing is not None:
        if existing.request_hash != digest:
            raise IdempotencyConflict("This request id was already used for a different request.")
        assert existing.id is not None
        return PostedTransaction(existing.id, existing.kind, idempotency_key, existing.created_at, True)
    assert txn_id is not None
    rows = [
        {
            "transaction_id": txn_id,
            "account_id": account_id,
            "amount": amount,
            "currency": ccy,
            "balance_after": apply_delta(session, account_id, amount, ccy),
        }
        for (account_id, ccy), amount in sorted(legs.items())
    ]
    session.execute(sa.insert(_ENTRIES), rows)
    return PostedTransaction(txn_id, kind, idempotency_key, now, False)


def reverse(
    session: Session, transaction_id: int, *, now: datetime, actor: str, reason: str
) -> PostedTransaction:
    """Correct a transaction by posting its exact opposite; each one is reversed at most once.

    Raises:
        NotFound: no such transaction.
        InvalidInput: no reason given.
        InsufficientFunds: the player no longer holds the money to give back.
    """
    if not reason.strip():
        raise InvalidInput("A reversal needs a reason.")
    original = session.get(LedgerTransaction, transaction_id)
    if original is None:
        raise NotFound(f"Unknown transaction {transaction_id}.")
    entries = session.exec(
        select(LedgerEntry).where(LedgerEntry.transaction_id == transaction_id).order_by(col(LedgerEntry.id))
    ).all()
    postings = [Posting(e.account_id, -e.amount, e.currency) for e in entries]
    return post(
        session,
        kind="reversal",
        idempotency_key=f"reverse:{transaction_id}",
        request={"reverses": transaction_id},
        postings=postings,
        currency=entries[0].currency,
        now=now,
        actor=actor,
        reason=reason,
        reference=original.reference,
        fx_rate=original.fx_rate,
        reverses_id=transaction_id,
    )


def account_code(kind: str, currency: str, owner: int | str, shard: int = 0) -> str:
    """The unique, readable code of an account: "player_cash:42:EUR", "house_revenue:lotto649:EUR:3"."""
    return f"{kind}:{owner}:{currency}" + (f":{shard}" if shard else "")


def ensure_account(session: Session, *, kind: str, currency: str, owner: int | str, shard: int = 0) -> int:
    """Return the id of the account, creating it if needed (safe under concurrency)."""
    check_currency(currency)
    code = account_code(kind, currency, owner, shard)
    found = session.exec(select(Account.id).where(Account.code == code)).first()
    if found is not None:
        return found
    values = {
        "code": code,
        "owner_id": owner if isinstance(owner, int) else None,
        "kind": kind,
        "currency": currency,
        "shard": shard,
        "balance": 0,
    }
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(_ACCOUNTS).values(**values).on_conflict_do_nothing())
    return find_account(session, code)


def find_account(session: Session, code: str) -> int:
    """The id of the account with this code, or `NotFound`."""
    account_id = session.exec(select(Account.id).where(Account.code == code)).first()
    if account_id is None:
        raise NotFound(f"No account {code}.")
    return account_id


def player_cash_account(session: Session, user_id: int, currency: str) -> int:
    """The player's cash account id in `currency`."""
    return find_account(session, account_code("player_cash", currency, user_id))


def balance(session: Session, account_id: int) -> int:
    """The cached balance of one account."""
    value = session.exec(select(Account.balance).where(Account.id == account_id)).first()
    if value is None:
        raise NotFound(f"Unknown account {account_id}.")
    return int(value)


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
