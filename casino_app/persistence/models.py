"""SQLModel tables. Never handed to the UI or the API: services return DTOs."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casino_app.persistence.types import UtcDateTime

PLAYER_ACCOUNT_KINDS = ("player_cash", "player_bonus", "player_hold")


class User(SQLModel, table=True):
    """A player or an operator. Personal data is sealed in `*_enc` columns (see services.crypto);
    the email is found through its blind index."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email_index: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    email_enc: str | None = Field(default=None, sa_type=sa.Text)
    password_hash: str = Field(max_length=255)
    role: str = Field(default="player", max_length=32)
    status: str = Field(default="active", max_length=16)
    full_name_enc: str | None = Field(default=None, sa_type=sa.Text)
    birth_date_enc: str | None = Field(default=None, sa_type=sa.Text)
    address_enc: str | None = Field(default=None, sa_type=sa.Text)
    phone_enc: str | None = Field(default=None, sa_type=sa.Text)
    phone_index: str | None = Field(default=None, max_length=64, index=True)
    country: str = Field(default="", max_length=2)
    currency: str = Field(default="EUR", max_length=3)
    terms_version: str = Field(default="", max_length=16)
    privacy_version: str = Field(default="", max_length=16)
    consent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    email_verified_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = Field(sa_type=UtcDateTime)
    created_by: str = Field(default="", max_length=64)
    password_changed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_login_ip: str = Field(default="", max_length=64)
    previous_login_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    previous_login_ip: str = Field(default="", max_length=64)
    totp_secret_enc: str | None = Field(default=None, sa_type=sa.Text)
    totp_pending_enc: str | None = Field(default=None, sa_type=sa.Text)
    totp_enabled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    totp_last_step: int | None = Field(default=None, sa_type=sa.BigInteger)


class Account(SQLModel, table=True):
    """A ledger account in one currency; `balance` caches the sum of its entries."""

    __tablename__ = "accounts"
    __table_args__ = (
        sa.CheckConstraint(
            "balance >= 0 OR kind NOT IN ('player_cash', 'player_bonus', 'player_hold')",
            name="ck_accounts_player_not_negative",
        ),
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


class LottoGame(SQLModel, table=True):
    __tablename__ = "lotto_games"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, sa_column_kwargs={"unique": True})
    name: str = Field(max_length=64)
    pick: int
    pool: int
    paytable: str = Field(max_length=255)  # "3:10,4:100,..." (matches:multiplier)
    min_stake: int = Field(sa_type=sa.BigInteger)
    max_stake: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="EUR", max_length=3)
    draw_interval_seconds: int


class Draw(SQLModel, table=True):
    """A draw: the seed's commitment is public from creation; the seed after the draw."""

    __tablename__ = "draws"
    __table_args__ = (sa.UniqueConstraint("game_id", "code", name="uq_draws_game_code"),)

    id: int | None = Field(default=None, primary_key=True)
    game_id: int = Field(foreign_key="lotto_games.id", index=True)
    code: str = Field(max_length=32)
    status: str = Field(default="open", max_length=16, index=True)
    sales_close_at: datetime = Field(sa_type=UtcDateTime)
    draw_at: datetime = Field(sa_type=UtcDateTime, index=True)
    seed_commitment: str = Field(max_length=64)
    server_seed: str = Field(max_length=64)  # never shown before the draw
    numbers: str | None = Field(default=None, max_length=64)
    drawn_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    settled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Ticket(SQLModel, table=True):
    __tablename__ = "tickets"

    id: int | None = Field(default=None, primary_key=True)
    validation_number: str = Field(max_length=32, sa_column_kwargs={"unique": True})
    user_id: int = Field(foreign_key="users.id", index=True)
    draw_id: int = Field(foreign_key="draws.id", index=True)
    selection: str = Field(max_length=64)
    stake: int = Field(sa_type=sa.BigInteger)
    stake_bonus: int = Field(default=0, sa_type=sa.BigInteger)  # the part funded by bonus money
    currency: str = Field(max_length=3)
    status: str = Field(default="pending", max_length=16)
    matches: int | None = Field(default=None)
    win: int = Field(default=0, sa_type=sa.BigInteger)
    transaction_id: int = Field(foreign_key="ledger_transactions.id", unique=True, index=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    settled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Payment(SQLModel, table=True):
    __tablename__ = "payments"

    id: int | None = Field(default=None, primary_key=True)
    order_id: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    user_id: int = Field(foreign_key="users.id", index=True)
    direction: str = Field(default="deposit", max_length=16)
    provider: str = Field(max_length=32)
    provider_reference: str = Field(default="", max_length=128)
    method_label: str = Field(default="", max_length=64)
    amount: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(max_length=3)
    status: str = Field(max_length=16)
    decline_reason: str = Field(default="", max_length=255)
    created_at: datetime = Field(sa_type=UtcDateTime)


class Withdrawal(SQLModel, table=True):
    """A withdrawal and its two-phase hold: requested -> paid | rejected, exactly once."""

    __tablename__ = "withdrawals"
    __table_args__ = (sa.UniqueConstraint("user_id", "request_id", name="uq_withdrawals_request"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    request_id: str = Field(max_length=128)
    amount: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(max_length=3)
    status: str = Field(default="requested", max_length=16, index=True)
    hold_transaction_id: int = Field(foreign_key="ledger_transactions.id", unique=True, index=True)
    resolve_transaction_id: int | None = Field(default=None, foreign_key="ledger_transactions.id")
    resolved_by: str = Field(default="", max_length=64)
    created_at: datetime = Field(sa_type=UtcDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class JobLease(SQLModel, table=True):
    """A lease so that exactly one worker runs the scheduled jobs."""

    __tablename__ = "job_leases"

    name: str = Field(primary_key=True, max_length=64)
    holder: str = Field(max_length=128)
    expires_at: datetime = Field(sa_type=UtcDateTime)


# Registered here so that SQLModel.metadata (and Alembic) see the identity and security tables.
from casino_app.persistence import identity_models as _identity_models  # noqa: E402, F401
from casino_app.persistence import security_models as _security_models  # noqa: E402, F401
