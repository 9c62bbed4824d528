"""Payment tables: deposits and withdrawals."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casino_app.domain.payments.vocabulary import PaymentDirection, PaymentStatus, WithdrawalStatus
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
