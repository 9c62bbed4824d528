"""Payment tables: deposits and their provider attempts, webhook events, cards on file, withdrawals."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casino_app.domain.payments.vocabulary import (
    AttemptStatus,
    PaymentDirection,
    PaymentStatus,
    WebhookOutcome,
    WithdrawalStatus,
)
from casino_app.persistence.types import UtcDateTime, check_in


class Payment(SQLModel, table=True):
    __tablename__ = "payments"
    __table_args__ = (
        check_in("status", PaymentStatus, "ck_payments_status"),
        check_in("direction", PaymentDirection, "ck_payments_direction"),
    )

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
    # migration 0010: the method chosen, where from, how many provider attempts, what the
    # webhooks said last (their sequence, so an older event arriving late changes nothing)
    method: str = Field(default="card", max_length=16)
    country: str = Field(default="", max_length=2)
    attempts: int = Field(default=0)
    last_sequence: int = Field(default=0)
    updated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class PaymentAttempt(SQLModel, table=True):
    """One provider call for a payment: a failover is a new attempt id with the same order id."""

    __tablename__ = "payment_attempts"
    __table_args__ = (
        check_in("status", AttemptStatus, "ck_payment_attempts_status"),
        sa.Index("ix_payment_attempts_reference", "provider", "provider_reference"),
    )

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payments.id", index=True)
    attempt_id: str = Field(max_length=80, sa_column_kwargs={"unique": True})
    provider: str = Field(max_length=32)
    provider_reference: str = Field(default="", max_length=128)
    status: str = Field(max_length=16, index=True)
    decline_reason: str = Field(default="", max_length=255)
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class PaymentWebhookEvent(SQLModel, table=True):
    """A verified webhook event, once per provider and event id (the dedup of replays)."""

    __tablename__ = "payment_webhook_events"
    __table_args__ = (
        sa.UniqueConstraint("provider", "event_id", name="uq_payment_webhook_events"),
        check_in("outcome", WebhookOutcome, "ck_payment_webhook_events_outcome"),
    )

    id: int | None = Field(default=None, primary_key=True)
    provider: str = Field(max_length=32)
    event_id: str = Field(max_length=128)
    event_type: str = Field(max_length=64)
    payment_id: int | None = Field(default=None, foreign_key="payments.id", index=True)
    outcome: str = Field(max_length=16)
    received_at: datetime = Field(sa_type=UtcDateTime)


class PaymentCard(SQLModel, table=True):
    """A card on file: the provider's token, brand, last 4, expiry and the holder-name check only."""

    __tablename__ = "payment_cards"
    __table_args__ = (sa.UniqueConstraint("provider", "token", name="uq_payment_cards_token"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    provider: str = Field(max_length=32)
    token: str = Field(max_length=128)
    brand: str = Field(max_length=16)
    last4: str = Field(max_length=4)
    exp_month: int
    exp_year: int
    holder_name_match: bool = Field(default=False)
    created_at: datetime = Field(sa_type=UtcDateTime)


class Withdrawal(SQLModel, table=True):
    """A withdrawal and its two-phase hold: requested -> paid | rejected, exactly once."""

    __tablename__ = "withdrawals"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "request_id", name="uq_withdrawals_request"),
        check_in("status", WithdrawalStatus, "ck_withdrawals_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    request_id: str = Field(max_length=128)
    amount: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(max_length=3)
    status: str = Field(default="requested", max_length=16, index=True)
    hold_transaction_id: int = Field(foreign_key="ledger_transactions.id", unique=True, index=True)
    resolve_transaction_id: int | None = Field(default=None, foreign_key="ledger_transactions.id")
    resolved_by: str = Field(default="", max_length=64)
    decision_note: str = Field(default="", max_length=255)  # why it was rejected, shown to the player
    created_at: datetime = Field(sa_type=UtcDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
