"""Double-entry ledger: idempotent, zero-sum postings with an atomic check-and-debit."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from casino_app.domain.errors import (
    CurrencyMismatch,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidAmount,
    InvalidInput,
    NotFound,
)
from casino_app.domain.money import check_currency
from casino_app.persistence.models import (
    PLAYER_ACCOUNT_KINDS,
    Account,
    LedgerEntry,
    LedgerTransaction,
)

MAX_KEY_LENGTH = 255
_ACCOUNTS = Account.__table__  # type: ignore[attr-defined]
_ENTRIES = LedgerEntry.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Posting:
    """One leg: a signed amount for an account (negative lowers its balance)."""

    account_id: int
    amount: int


@dataclass(frozen=True)
class PostedTransaction:
    """The result of `post`; `replayed` is True when the key had already been used."""

    id: int
    kind: str
    idempotency_key: str
    created_at: datetime
    replayed: bool


def request_hash(request: dict[str, Any]) -> str:
    """A stable SHA-256 of the request that an idempotency key stands for."""
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_postings(postings: list[Posting], currency: str) -> None:
    check_currency(currency)
    if len(postings) < 2:
        raise InvalidInput("A transaction needs at least two entries.")
    for p in postings:
        if isinstance(p.amount, bool) or not isinstance(p.amount, int) or p.amount == 0:
            raise InvalidAmount("Entry amounts are non-zero whole minor units.")
    if sum(p.amount for p in postings) != 0:
        raise InvalidInput("A transaction's entries must sum to zero.")


def _check_key(key: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(f"An idempotency key has 1 to {MAX_KEY_LENGTH} characters.")


def _claim(session: Session, txn: LedgerTransaction) -> LedgerTransaction | None:
    """Insert the transaction row; on a duplicate key return the existing row instead."""
    try:
        with session.begin_nested():
            session.add(txn)
            session.flush()
        return None
    except IntegrityError:
        existing = session.exec(
            select(LedgerTransaction).where(LedgerTransaction.idempotency_key == txn.idempotency_key)
        ).one_or_none()
        if existing is None:
            raise
        return existing


def _apply(session: Session, account_id: int, amount: int, currency: str) -> int:
    """Add `amount` to the balance atomically; a player account may not go below zero."""
    allowed = sa.or_(_ACCOUNTS.c.balance + amount >= 0, _ACCOUNTS.c.kind.notin_(PLAYER_ACCOUNT_KINDS))
    stmt = (
        sa.update(_ACCOUNTS)
        .where(_ACCOUNTS.c.id == account_id, allowed)
        .values(balance=_ACCOUNTS.c.balance + amount)
        .returning(_ACCOUNTS.c.balance, _ACCOUNTS.c.currency)
    )
    row = session.execute(stmt).one_or_none()
    if row is None:
        exists = session.get(Account, account_id)
        if exists is None:
            raise NotFound(f"Unknown account {account_id}.")
        raise InsufficientFunds("Your balance is too low for this amount.")
    if row.currency != currency:
        raise CurrencyMismatch(f"Account {account_id} holds {row.currency}, not {currency}.")
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
) -> PostedTransaction:
    """Post a zero-sum transaction inside the caller's database transaction.

    The caller commits. Balances change with conditional updates taken in account-id
    order (no deadlock between two transfers in opposite directions).

    Raises:
        IdempotencyConflict: the key was used for a different request.
        InsufficientFunds: a player account would go negative.
    """
    _check_key(idempotency_key)
    _check_postings(postings, currency)
    digest = request_hash({"kind": kind, **request})
    txn = LedgerTransaction(
        kind=kind,
        idempotency_key=idempotency_key,
        request_hash=digest,
        reference=reference,
        actor=actor,
        reason=reason,
        created_at=now,
    )
    existing = _claim(session, txn)
    if existing is not None:
        if existing.request_hash != digest:
            raise IdempotencyConflict("This request id was already used for a different request.")
        assert existing.id is not None
        return PostedTransaction(existing.id, existing.kind, idempotency_key, existing.created_at, True)
    assert txn.id is not None
    merged: dict[int, int] = defaultdict(int)
    for p in postings:
        merged[p.account_id] += p.amount
    rows = []
    for account_id in sorted(merged):
        if merged[account_id] == 0:
            continue
        balance = _apply(session, account_id, merged[account_id], currency)
        rows.append(
            {
                "transaction_id": txn.id,
                "account_id": account_id,
                "amount": merged[account_id],
                "currency": currency,
                "balance_after": balance,
            }
        )
    session.execute(sa.insert(_ENTRIES), rows)
    return PostedTransaction(txn.id, kind, idempotency_key, now, False)


def account_code(kind: str, currency: str, owner: int | str, shard: int = 0) -> str:
    """The unique, readable code of an account: "player_cash:42:EUR", "house:lotto649:EUR:3"."""
    return f"{kind}:{owner}:{currency}" + (f":{shard}" if shard else "")


def ensure_account(
    session: Session,
    *,
    kind: str,
    currency: str,
    owner: int | str,
    shard: int = 0,
) -> int:
    """Return the id of the account, creating it if needed (safe under concurrency)."""
    check_currency(currency)
    code = account_code(kind, currency, owner, shard)
    values = {
        "code": code,
        "owner_id": owner if isinstance(owner, int) else None,
        "kind": kind,
        "currency": currency,
        "shard": shard,
        "balance": 0,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
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


def check_integrity(session: Session) -> list[str]:
    """Findings of an audit pass: non-zero-sum transactions, stale cached balances,
    negative player balances. An empty list means the ledger is consistent."""
    findings: list[str] = []
    unbalanced = session.execute(
        sa.text(
            "SELECT transaction_id, currency, SUM(amount) FROM ledger_entries "
            "GROUP BY transaction_id, currency HAVING SUM(amount) <> 0"
        )
    ).all()
    findings += [f"transaction {t} does not sum to zero in {c}: {s}" for t, c, s in unbalanced]
    stale = session.execute(
        sa.text(
            "SELECT a.id, a.code, a.balance, COALESCE(SUM(e.amount), 0) FROM accounts a "
            "LEFT JOIN ledger_entries e ON e.account_id = a.id GROUP BY a.id, a.code, a.balance "
            "HAVING a.balance <> COALESCE(SUM(e.amount), 0)"
        )
    ).all()
    findings += [f"account {c} (id {i}) caches {b} but its entries sum to {s}" for i, c, b, s in stale]
    negative = session.exec(
        select(Account.code, Account.balance).where(
            Account.balance < 0, sa.column("kind").in_(PLAYER_ACCOUNT_KINDS)
        )
    ).all()
    findings += [f"player account {c} is negative: {b}" for c, b in negative]
    return findings
