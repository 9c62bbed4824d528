"""A deposit's state machine, applied alike by webhooks, status polling and direct answers.

What a provider says about one attempt moves the attempt by `ATTEMPT_TRANSITIONS` and the
payment by `PAYMENT_TRANSITIONS`, each claimed with a conditional update: an event that would
move a status backwards (a late "processing" after "succeeded") changes nothing, so events may
arrive in any order and any number of times. The ledger is credited only when the provider
confirms success, once per payment (its idempotency key is the order id).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.domain.events import DomainEvent
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.vocabulary import AccountKind, TransactionKind
from casino_app.domain.payments.errors import WebhookMismatch
from casino_app.domain.payments.ports import ProviderTransaction
from casino_app.domain.payments.vocabulary import (
    ATTEMPT_TRANSITIONS,
    AttemptStatus,
    PaymentStatus,
)
from casino_app.persistence.tables import Payment, PaymentAttempt
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.money import ledger
from casino_app.services.payments.deposits import cards
from casino_app.services.security import audit
from casino_app.services.security.security_checks import raise_alert

_ATTEMPT_OF_STATUS = {
    "pending": AttemptStatus.PENDING,
    "succeeded": AttemptStatus.SUCCEEDED,
    "declined": AttemptStatus.DECLINED,
}


@dataclass(frozen=True)
class Applied:
    """What applying a provider's word did."""

    payment_id: int
    status: PaymentStatus
    changed: bool  # the attempt or the payment moved
    credited: bool  # this call credited the ledger


def check_matches(payment: Payment, tx: ProviderTransaction) -> None:
    """Raise `WebhookMismatch` when the provider's amount or currency is not the payment's."""
    if tx.amount_minor != payment.amount or tx.currency.upper() != payment.currency:
        raise WebhookMismatch(
            f"Payment {payment.order_id}: the provider reports {tx.amount_minor} {tx.currency},"
            f" the payment is {payment.amount} {payment.currency}."
        )


def apply_in(
    uow: UnitOfWork,
    actor: Actor,
    payment: Payment,
    attempt: PaymentAttempt,
    tx: ProviderTransaction,
    now: datetime,
    *,
    sequence: int = 0,
) -> Applied:
    """Apply the provider's `tx` for `attempt` inside the caller's transaction.

    Raises:
        WebhookMismatch: the amount or currency differ from the payment's (nothing is changed).
    """
    check_matches(payment, tx)
    s = uow.session
    target = _ATTEMPT_OF_STATUS[tx.status]
    if not _move_attempt(s, attempt, target, tx, now):
        return Applied(_id(payment), PaymentStatus(payment.status), False, False)
    if sequence > payment.last_sequence:
        s.execute(sa.update(Payment).where(col(Payment.id) == payment.id).values(last_sequence=sequence))
    credited = False
    if target == AttemptStatus.SUCCEEDED:
        credited = _confirm(uow, actor, payment, attempt, tx, now)
    elif (
        target == AttemptStatus.DECLINED
        and payment.status == PaymentStatus.PENDING
        and _is_latest(s, payment, attempt)
    ):
        decline_in(s, payment, tx.decline_reason or "The payment was declined.", now)
    s.flush()
    fresh = s.get(Payment, payment.id, populate_existing=True)
    assert fresh is not None
    return Applied(_id(fresh), PaymentStatus(fresh.status), True, credited)


def _id(payment: Payment) -> int:
    assert payment.id is not None
    return payment.id


def _move_attempt(
    s: Session, attempt: PaymentAttempt, target: AttemptStatus, tx: ProviderTransaction, now: datetime
) -> bool:
    """Claim `current -> target`; False when the move is not allowed or another call made it."""
    current = AttemptStatus(attempt.status)
    if current == target or not ATTEMPT_TRANSITIONS.can(current, target):
        return False
    claimed = s.execute(
        sa.update(PaymentAttempt)
        .where(col(PaymentAttempt.id) == attempt.id, col(PaymentAttempt.status) == current)
        .values(
            status=target,
            provider_reference=tx.provider_reference or attempt.provider_reference,
            decline_reason=tx.decline_reason[:255],
            updated_at=now,
        )
    )
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def _is_latest(s: Session, payment: Payment, attempt: PaymentAttempt) -> bool:
    latest = s.exec(
        select(PaymentAttempt.id)
        .where(PaymentAttempt.payment_id == payment.id)
        .order_by(col(PaymentAttempt.id).desc())
        .limit(1)
    ).first()
    return latest == attempt.id


def decline_in(s: Session, payment: Payment, reason: str, now: datetime) -> bool:
    """Claim `pending -> declined`; True when this call declined it."""
    claimed = s.execute(
        sa.update(Payment)
        .where(col(Payment.id) == payment.id, col(Payment.status) == PaymentStatus.PENDING)
        .values(status=PaymentStatus.DECLINED, decline_reason=reason[:255], updated_at=now)
    )
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def _confirm(
    uow: UnitOfWork,
    actor: Actor,
    payment: Payment,
    attempt: PaymentAttempt,
    tx: ProviderTransaction,
    now: datetime,
) -> bool:
    """The provider has the money: approve and credit once, or alert when the payment was closed."""
    s = uow.session
    label = f"{tx.card.brand.title()} •••• {tx.card.last4}" if tx.card else payment.method_label
    claimed = s.execute(
        sa.update(Payment)
        .where(col(Payment.id) == payment.id, col(Payment.status) == PaymentStatus.PENDING)
        .values(
            status=PaymentStatus.APPROVED,
            provider=attempt.provider,
            provider_reference=tx.provider_reference,
            method_label=label[:64],
            decline_reason="",
            updated_at=now,
        )
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        _alert_money_without_credit(s, payment, attempt, now)
        return False
    if tx.card is not None:
        cards.save_in(s, payment.user_id, attempt.provider, tx.card, now)
    payment.provider = attempt.provider
    return credit_in(uow, actor, payment, now)


def _alert_money_without_credit(s: Session, payment: Payment, attempt: PaymentAttempt, now: datetime) -> None:
    """A success for a payment already closed (declined, or paid by another attempt): people decide."""
    current = s.exec(select(Payment.status).where(Payment.id == payment.id)).one()
    raise_alert(
        s,
        "payment_unmatched_success",
        "critical",
        f"Provider {attempt.provider} confirmed attempt {attempt.attempt_id} of payment {payment.order_id},"
        f" which is already {current}: refund or credit it after review.",
        now,
    )


def credit_in(uow: UnitOfWork, actor: Actor, payment: Payment, now: datetime) -> bool:
    """Post the deposit (clearing -> player cash) with its audit record; False when posted before."""
    s = uow.session
    clearing = ledger.ensure_account(
        s, kind=AccountKind.PROVIDER_CLEARING, currency=payment.currency, owner=payment.provider
    )
    cash = ledger.player_cash_account(s, payment.user_id, payment.currency)
    posted = ledger.post(
        s,
        kind=TransactionKind.DEPOSIT,
        idempotency_key=f"deposit:{payment.order_id}",
        request={"user": payment.user_id, "amount": payment.amount, "currency": payment.currency},
        postings=[ledger.Posting(clearing, -payment.amount), ledger.Posting(cash, payment.amount)],
        currency=payment.currency,
        now=now,
        actor=actor.audit_name,
        reference=payment.order_id,
    )
    if posted.replayed:
        return False
    audit.record(
        s,
        actor=actor.audit_name,
        action="payment.deposit",
        subject=f"payment:{payment.order_id}",
        details={
            "amount_minor": payment.amount,
            "currency": payment.currency,
            "provider": payment.provider,
            "transaction_id": posted.id,
        },
        now=now,
    )
    uow.emit(
        DomainEvent(
            "deposit.approved",
            payment.user_id,
            {"order_id": payment.order_id, "amount_minor": payment.amount, "currency": payment.currency},
        )
    )
    return True
