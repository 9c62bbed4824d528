"""Set-based posting: many ledger transactions in a constant number of statements (settlement)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlmodel import Session, col, select

from casino_app.domain.errors import CurrencyMismatch, IdempotencyConflict, InsufficientFunds, NotFound
from casino_app.persistence import bulk
from casino_app.persistence.tables import Account, LedgerEntry, LedgerTransaction
from casino_app.persistence.types import UtcDateTime
from casino_app.services.money.ledger import (
    PLAYER_ACCOUNT_KINDS,
    PostedTransaction,
    Posting,
    _legs,
    check_key,
    request_hash,
)

_ACCOUNTS = Account.__table__  # type: ignore[attr-defined]
_ENTRIES = LedgerEntry.__table__  # type: ignore[attr-defined]
_TXNS = LedgerTransaction.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class NewTransaction:
    """One transaction of a batch for `post_many`."""

    kind: str
    idempotency_key: str
    request: dict[str, Any]
    postings: list[Posting]
    currency: str
    reference: str = ""
    actor: str = "system"


def post_many(session: Session, txns: list[NewTransaction], now: datetime) -> dict[str, PostedTransaction]:
    """Post a batch of zero-sum transactions set-based, in the caller's database transaction.

    A constant number of statements whatever the batch size: one insert claims every key,
    one locks the touched accounts in id order, then the balance updates and the entries go
    as one batch each. Keys already used for the same request come back as replays.

    Returns:
        idempotency key -> the posted (or replayed) transaction.

    Raises:
        IdempotencyConflict: a key was used for a different request.
        InsufficientFunds: a player account would go negative.
    """
    if not txns:
        return {}
    legs = {t.idempotency_key: _legs(t.postings, t.currency) for t in txns}
    for t in txns:
        check_key(t.idempotency_key)
    digests = {t.idempotency_key: request_hash({"kind": t.kind, **t.request}) for t in txns}
    claimed = _claim_many(session, txns, digests, now)
    out = _replays(session, [t.idempotency_key for t in txns if t.idempotency_key not in claimed], digests)
    fresh = [t for t in txns if t.idempotency_key in claimed]
    rows = _apply_batch(session, [(claimed[t.idempotency_key], legs[t.idempotency_key]) for t in fresh])
    if rows:
        _insert_entries(session, rows)
    out.update(
        {
            t.idempotency_key: PostedTransaction(
                claimed[t.idempotency_key], t.kind, t.idempotency_key, now, False
            )
            for t in fresh
        }
    )
    return out


def _claim_many(
    session: Session, txns: list[NewTransaction], digests: dict[str, str], now: datetime
) -> dict[str, int]:
    if session.get_bind().dialect.name == "postgresql":
        return _claim_many_pg(session, txns, digests, now)
    insert = sqlite.insert
    values = [
        {
            "kind": t.kind,
            "idempotency_key": t.idempotency_key,
            "request_hash": digests[t.idempotency_key],
            "reference": t.reference,
            "actor": t.actor,
            "reason": "",
            "created_at": now,
        }
        for t in txns
    ]
    statement = (
        insert(_TXNS)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(_TXNS.c.id, _TXNS.c.idempotency_key)
    )
    # one row: a plain insert; several: the driver's batched form of one compiled statement
    # (compiling a VALUES list of thousands of rows cost more than running it)
    result = (
        session.execute(statement, values) if len(values) > 1 else session.execute(statement.values(values))
    )
    return {key: int(txn_id) for txn_id, key in result.all()}


def _claim_many_pg(
    session: Session, txns: list[NewTransaction], digests: dict[str, str], now: datetime
) -> dict[str, int]:
    """The claims as one insert from arrays (persistence/bulk.py), whatever the batch size."""
    result = bulk.insert_rows(
        session,
        "ledger_transactions",
        [
            ("kind", "text"),
            ("idempotency_key", "text"),
            ("request_hash", "text"),
            ("reference", "text"),
            ("actor", "text"),
        ],
        [(t.kind, t.idempotency_key, digests[t.idempotency_key], t.reference, t.actor) for t in txns],
        constants={"reason": "", "created_at": now},
        types={"created_at": UtcDateTime()},
        suffix="ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key",
    )
    found: list[Any] = list(result.all())
    return {str(r[1]): int(r[0]) for r in found}


def _insert_entries(session: Session, rows: list[dict[str, Any]]) -> None:
    if session.get_bind().dialect.name != "postgresql":
        session.execute(sa.insert(_ENTRIES), rows)
        return
    columns = ("transaction_id", "account_id", "amount", "currency", "balance_after")
    bulk.insert_rows(
        session,
        "ledger_entries",
        [(c, "text" if c == "currency" else "bigint") for c in columns],
        [tuple(r[c] for c in columns) for r in rows],
    )


def _replays(session: Session, keys: list[str], digests: dict[str, str]) -> dict[str, PostedTransaction]:
    if not keys:
        return {}
    found = session.exec(
        select(LedgerTransaction).where(col(LedgerTransaction.idempotency_key).in_(keys))
    ).all()
    out = {}
    for existing in found:
        if existing.request_hash != digests[existing.idempotency_key]:
            raise IdempotencyConflict("This request id was already used for a different request.")
        assert existing.id is not None
        out[existing.idempotency_key] = PostedTransaction(
            existing.id, existing.kind, existing.idempotency_key, existing.created_at, True
        )
    return out


def _apply_batch(
    session: Session, batch: list[tuple[int, dict[tuple[int, str], int]]]
) -> list[dict[str, Any]]:
    """Lock the accounts in id order, compute every entry's balance after, write the balances."""
    touched = sorted({account_id for _, legs in batch for account_id, _ in legs})
    if not touched:
        return []
    query = (
        sa.select(_ACCOUNTS.c.id, _ACCOUNTS.c.balance, _ACCOUNTS.c.kind, _ACCOUNTS.c.currency)
        .where(bulk.one_of(session, _ACCOUNTS.c.id, touched, "bigint"))
        .order_by(_ACCOUNTS.c.id)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    accounts = {row.id: row for row in session.execute(query)}
    balances = {account_id: int(row.balance) for account_id, row in accounts.items()}
    entries = []
    for txn_id, legs in batch:
        for (account_id, ccy), amount in sorted(legs.items()):
            account = accounts.get(account_id)
            if account is None:
                raise NotFound(f"Unknown account {account_id}.")
            if account.currency != ccy:
                raise CurrencyMismatch(f"Account {account_id} holds {account.currency}, not {ccy}.")
            balances[account_id] += amount
            if balances[account_id] < 0 and account.kind in PLAYER_ACCOUNT_KINDS:
                raise InsufficientFunds("Your balance is too low for this amount.")
            entries.append(
                {
                    "transaction_id": txn_id,
                    "account_id": account_id,
                    "amount": amount,
                    "currency": ccy,
                    "balance_after": balances[account_id],
                }
            )
    changed = [{"account_id": a, "new_balance": b} for a, b in balances.items() if b != accounts[a].balance]
    if changed and session.get_bind().dialect.name == "postgresql":
        bulk.update_rows(
            session,
            "accounts",
            ("id", "bigint"),
            [("balance", "bigint")],
            [(c["account_id"], c["new_balance"]) for c in changed],
        )
    elif changed:
        session.execute(
            sa.update(_ACCOUNTS)
            .where(_ACCOUNTS.c.id == sa.bindparam("account_id"))
            .values(balance=sa.bindparam("new_balance")),
            changed,
        )
    return entries
