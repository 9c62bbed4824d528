"""Payments' vocabulary: deposit attempts and withdrawals, with their allowed transitions."""

from __future__ import annotations

from enum import StrEnum

from casino_app.domain.vocabulary import Transitions


class PaymentDirection(StrEnum):
    DEPOSIT = "deposit"
    PAYOUT = "payout"
    REFUND = "refund"


class PaymentStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class WithdrawalStatus(StrEnum):
    REQUESTED = "requested"  # cash moved to the hold
    PAID = "paid"
    REJECTED = "rejected"  # the hold went back to cash


PAYMENT_TRANSITIONS: Transitions[PaymentStatus] = Transitions(
    "payment",
    {PaymentStatus.PENDING: frozenset({PaymentStatus.APPROVED, PaymentStatus.DECLINED})},
)

WITHDRAWAL_TRANSITIONS: Transitions[WithdrawalStatus] = Transitions(
    "withdrawal",
    {WithdrawalStatus.REQUESTED: frozenset({WithdrawalStatus.PAID, WithdrawalStatus.REJECTED})},
)
