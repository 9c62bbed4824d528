"""Ledger tables: accounts, transactions and their entries (append-only)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casino_app.domain.money.vocabulary import PLAYER_FUNDS, AccountKind, TransactionKind
from casino_app.persistence.types import UtcDateTime, check_in

PLAYER_ACCOUNT_KINDS = tuple(sorted(kind.value for kind in PLAYER_FUNDS))


class Account(SQLModel, table=True):
    """A ledger account in one currency; `balance` caches the sum of its entries."""

    __tablename__ = "accounts"
    __table_args__ = (
        sa.CheckConstraint(
            "balance >= 0 OR kind NOT IN ('player_cash', 'player_bonus', 'player_hold')",
            name="ck_accounts_player_not_negative",
        ),
        check_in("kind", AccountKind, "ck_accounts_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=96, sa_column_kwargs={"unique": True})
    owner_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    kind: str = Field(max_length=32)
    currency: str = Field(max_length=3)
    shard: int = Field(default=0)
    balance: int = Field(default=0, sa_type=sa.BigInteger)


class LedgerTransaction(SQLModel, table=True):
    """One posting; append-only (triggers refuse UPDATE and DELETE)."""

    __tablename__ = "ledger_transactions"
    __table_args__ = (check_in("kind", TransactionKind, "ck_ledger_transactions_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    idempotency_key: str = Field(max_length=255, sa_column_kwargs={"unique": True})
    request_hash: str = Field(max_length=64)
    reference: str = Field(default="", max_length=128)
    actor: str = Field(default="system", max_length=64)
    reason: str = Field(default="", max_length=255)
    fx_rate: str | None = Field(default=None, max_length=32)  # decimal string, FX only
    reverses_id: int | None = Field(
        default=None, foreign_key="ledger_transactions.id", sa_column_kwargs={"unique": True}
    )
    created_at: datetime = Field(sa_type=UtcDateTime, index=True)


class LedgerEntry(SQLModel, table=True):
    """One leg of a transaction; append-only."""

    __tablename__ = "ledger_entries"
    __table_args__ = (sa.Index("ix_ledger_entries_account_txn", "account_id", "transaction_id"),)

    id: int | None = Field(default=None, primary_key=True)
    transaction_id: int = Field(foreign_key="ledger_transactions.id", index=True)
    account_id: int = Field(foreign_key="accounts.id")
    amount: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(max_length=3)
    balance_after: int | None = Field(default=None, sa_type=sa.BigInteger)
