"""Double-entry ledger: idempotent, zero-sum postings with an atomic check-and-debit.

Rules (docs/LEDGER.md): entries and transactions are append-only (database
triggers refuse UPDATE and DELETE); each transaction sums to zero per currency; a player
account never goes negative (a CHECK constraint and a conditional UPDATE); every movement
carries an idempotency key claimed by a unique insert in the same database transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
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
from casino_app.domain.money.vocabulary import PLAYER_FUNDS, AccountKind, TransactionKind
from casino_app.persistence import bulk
from casino_app.persistence.tables import Account, LedgerEntry, LedgerTransaction

MAX_KEY_LENGTH = 255
PLAYER_ACCOUNT_KINDS = tuple(sorted(kind.value for kind in PLAYER_FUNDS))
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
        kind=TransactionKind.REVERSAL,
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


def ensure_accounts(session: Session, wanted: Sequence[tuple[str, str, int | str, int]]) -> dict[str, int]:
    """Ids of many accounts (kind, currency, owner, shard) by code, creating the missing ones.

    One select when they all exist (the usual case); otherwise an insert that skips existing
    codes and a second select, whatever the number.
    """
    values = {
        account_code(kind, currency, owner, shard): {
            "code": account_code(kind, currency, owner, shard),
            "owner_id": owner if isinstance(owner, int) else None,
            "kind": kind,
            "currency": check_currency(currency),
            "shard": shard,
            "balance": 0,
        }
        for kind, currency, owner, shard in wanted
    }
    if not values:
        return {}
    query = sa.select(_ACCOUNTS.c.code, _ACCOUNTS.c.id).where(
        bulk.one_of(session, _ACCOUNTS.c.code, list(values), "text")
    )
    found = {code: int(account_id) for code, account_id in session.execute(query)}
    if len(found) == len(values):
        return found
    missing = [row for code, row in values.items() if code not in found]
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(_ACCOUNTS).values(missing).on_conflict_do_nothing())
    return {code: int(account_id) for code, account_id in session.execute(query)}


def find_account(session: Session, code: str) -> int:
    """The id of the account with this code, or `NotFound`."""
    account_id = session.exec(select(Account.id).where(Account.code == code)).first()
    if account_id is None:
        raise NotFound(f"No account {code}.")
    return account_id


def player_cash_account(session: Session, user_id: int, currency: str) -> int:
    """The player's cash account id in `currency`."""
    return find_account(session, account_code(AccountKind.PLAYER_CASH, currency, user_id))


def balance(session: Session, account_id: int) -> int:
    """The cached balance of one account."""
    value = session.exec(select(Account.balance).where(Account.id == account_id)).first()
    if value is None:
        raise NotFound(f"Unknown account {account_id}.")
    return int(value)


# Reading and batch posting live beside this module; re-exported so `ledger.check_integrity`,
# `ledger.statement` and `ledger.post_many` read as one ledger API.
from casino_app.services.money.ledger_batch import NewTransaction as NewTransaction  # noqa: E402
from casino_app.services.money.ledger_batch import post_many as post_many  # noqa: E402
from casino_app.services.money.ledger_reports import Statement as Statement  # noqa: E402
from casino_app.services.money.ledger_reports import StatementLine as StatementLine  # noqa: E402
from casino_app.services.money.ledger_reports import balance_as_of as balance_as_of  # noqa: E402
from casino_app.services.money.ledger_reports import check_integrity as check_integrity  # noqa: E402
from casino_app.services.money.ledger_reports import statement as statement  # noqa: E402
