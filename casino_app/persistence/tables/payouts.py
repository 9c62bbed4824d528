"""Payout and reconciliation tables: a withdrawal's payout through providers, and the operators'
queue of differences between providers and the ledger."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casino_app.domain.payments.payout_rules import PayoutStatus
from casino_app.domain.payments.reconciliation import ItemStatus, MismatchKind
from casino_app.persistence.types import UtcDateTime, check_in


class Payout(SQLModel, table=True):
    """An approved withdrawal on its way out: approved -> sent -> paid | failed, once per withdrawal."""

    __tablename__ = "payouts"
    __table_args__ = (check_in("status", PayoutStatus, "ck_payouts_status"),)

    id: int | None = Field(default=None, primary_key=True)
    withdrawal_id: int = Field(foreign_key="withdrawals.id", unique=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    amount: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(max_length=3)
    method: str = Field(max_length=16)
    destination: str = Field(default="", max_length=128)  # a token or reference, never a card number
    providers: str = Field(default="", max_length=255)  # the order to try, comma-separated
    provider: str = Field(default="", max_length=32)  # the provider of the current attempt
    attempt: int = Field(default=0)  # the current attempt's number (0: none made yet)
    attempt_id: str = Field(default="", max_length=64, index=True)
    provider_reference: str = Field(default="", max_length=128)
    status: str = Field(default="approved", max_length=16, index=True)
    auto_approved: bool = Field(default=False)
    approved_by: str = Field(max_length=64)
    failure_reason: str = Field(default="", max_length=255)
    approved_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    paid_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ReconciliationRun(SQLModel, table=True):
    """One comparison of a provider's transactions with the ledger over a window."""

    __tablename__ = "reconciliation_runs"

    id: int | None = Field(default=None, primary_key=True)
    provider: str = Field(max_length=32)
    window_start: datetime = Field(sa_type=UtcDateTime)
    window_end: datetime = Field(sa_type=UtcDateTime)
    reported: int = Field(default=0)  # the provider's transactions in the window
    booked: int = Field(default=0)  # the ledger's movements in the window
    mismatches: int = Field(default=0)
    error: str = Field(default="", max_length=255)  # the provider could not be asked
    ran_at: datetime = Field(sa_type=UtcDateTime, index=True)


class ReconciliationItem(SQLModel, table=True):
    """One difference, with both sides as evidence; open until an operator resolves it."""

    __tablename__ = "reconciliation_items"
    __table_args__ = (
        sa.UniqueConstraint("provider", "direction", "order_id", "kind", name="uq_reconciliation_items_key"),
        check_in("kind", MismatchKind, "ck_reconciliation_items_kind"),
        check_in("status", ItemStatus, "ck_reconciliation_items_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="reconciliation_runs.id", index=True)
    provider: str = Field(max_length=32)
    direction: str = Field(max_length=16)
    order_id: str = Field(max_length=64)
    provider_reference: str = Field(default="", max_length=128)
    kind: str = Field(max_length=32)
    status: str = Field(default="open", max_length=16, index=True)
    evidence: str = Field(sa_type=sa.Text)  # JSON: the provider's and the ledger's side
    detected_at: datetime = Field(sa_type=UtcDateTime)
    last_seen_at: datetime = Field(sa_type=UtcDateTime)
    resolved_by: str = Field(default="", max_length=64)
    resolution: str = Field(default="", max_length=255)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
