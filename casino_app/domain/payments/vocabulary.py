"""Payments' vocabulary: methods, payment and attempt statuses, withdrawals, webhook events.

Allowed status changes are tables beside the enums (`PAYMENT_TRANSITIONS` ...); the database
admits only these values (CHECK constraints generated from the same enums).
"""

from __future__ import annotations

from enum import StrEnum

from casino_app.domain.vocabulary import Transitions


class PaymentDirection(StrEnum):
    DEPOSIT = "deposit"
    PAYOUT = "payout"
    REFUND = "refund"


class PaymentMethodKind(StrEnum):
    """How the player pays: each provider declares which it serves (see `routing.py`)."""

    CARD = "card"
    BANK_TRANSFER = "bank_transfer"
    EWALLET = "ewallet"


class PaymentStatus(StrEnum):
    PENDING = "pending"  # recorded; with the provider or the player (hosted page)
    APPROVED = "approved"  # the provider confirmed the money: the ledger is credited, once
    DECLINED = "declined"


class AttemptStatus(StrEnum):
    """One provider call for a payment; a failover makes a new attempt with the same order id."""

    STARTED = "started"  # recorded before the call: its outcome is unknown until the provider says
    PENDING = "pending"  # the provider has it (the player is on its page, or it is processing)
    SUCCEEDED = "succeeded"
    DECLINED = "declined"  # hard decline: no other provider is tried
    FAILED_OVER = "failed_over"  # soft decline, timeout or provider error: the next provider was tried


class WithdrawalStatus(StrEnum):
    REQUESTED = "requested"  # cash moved to the hold
    PAID = "paid"
    REJECTED = "rejected"  # the hold went back to cash


class WebhookOutcome(StrEnum):
    """What a verified webhook event did (stored once per provider and event id)."""

    APPLIED = "applied"  # it moved a payment or an attempt
    IGNORED = "ignored"  # stale (out of order) or about something already final


PAYMENT_TRANSITIONS: Transitions[PaymentStatus] = Transitions(
    "payment",
    {PaymentStatus.PENDING: frozenset({PaymentStatus.APPROVED, PaymentStatus.DECLINED})},
)

ATTEMPT_TRANSITIONS: Transitions[AttemptStatus] = Transitions(
    "payment attempt",
    {
        AttemptStatus.STARTED: frozenset(
            {
                AttemptStatus.PENDING,
                AttemptStatus.SUCCEEDED,
                AttemptStatus.DECLINED,
                AttemptStatus.FAILED_OVER,
            }
        ),
        AttemptStatus.PENDING: frozenset(
            {AttemptStatus.SUCCEEDED, AttemptStatus.DECLINED, AttemptStatus.FAILED_OVER}
        ),
        # a provider may confirm an attempt we had given up on (a timeout it processed after all)
        AttemptStatus.FAILED_OVER: frozenset({AttemptStatus.SUCCEEDED}),
    },
)

WITHDRAWAL_TRANSITIONS: Transitions[WithdrawalStatus] = Transitions(
    "withdrawal",
    {WithdrawalStatus.REQUESTED: frozenset({WithdrawalStatus.PAID, WithdrawalStatus.REJECTED})},
)
