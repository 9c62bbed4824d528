"""Approving a withdrawal: the payout it becomes, and the row lock that orders an approval
against a rejection or the player's cancellation (whichever locks first decides).

Used by `services/payments/withdrawals/withdrawals.py`; the payout is then sent by `payouts.send`.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.domain.errors import InvalidTransition, NotFound
from casino_app.domain.events import DomainEvent
from casino_app.domain.payments.payout_rules import DepositMethod, PayoutStatus, payout_order
from casino_app.domain.payments.vocabulary import (
    WITHDRAWAL_TRANSITIONS,
    PaymentDirection,
    PaymentMethodKind,
    PaymentStatus,
    WithdrawalStatus,
)
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.tables import Payment, PaymentCard, User, Withdrawal
from casino_app.persistence.tables.payouts import Payout
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.payments.withdrawals import payouts
from casino_app.services.security import audit

AUTO_APPROVER = "system:auto-approval"


class AlreadyResolved(InvalidTransition):
    """The withdrawal was paid or rejected before: its status cannot move again."""

    code = "withdrawal_resolved"


class AlreadyApproved(InvalidTransition):
    """The withdrawal is approved and on its way out: neither the player nor an operator can undo it."""

    code = "withdrawal_approved"


@retry_transient
def approve(uow: UnitOfWork, approver: str, withdrawal_id: int, reason: str, now: datetime) -> int:
    """Approve a requested withdrawal (its row locked first); returns its payout's id."""
    with uow:
        s = uow.session
        w = lock_requested(s, withdrawal_id, WithdrawalStatus.PAID)
        user = s.get(User, w.user_id)
        assert user is not None
        payout_id = approve_in(uow, w, user, approver, now, reason)
        uow.commit()
        return payout_id


def approve_in(
    uow: UnitOfWork, w: Withdrawal, user: User, approver: str, now: datetime, reason: str = ""
) -> int:
    """Create the withdrawal's payout (approved), audited, in the caller's transaction."""
    s = uow.session
    preferred = deposit_method(s, w.user_id, w.currency) or DepositMethod(
        uow.context.payments.default, PaymentMethodKind.CARD, ""
    )
    payments = uow.context.payments
    routed = (*payments.router.providers_for(preferred.method, w.currency, user.country), payments.default)
    order = [n for n in payout_order(preferred, routed) if payments.known(n)]
    payout = Payout(
        withdrawal_id=w.id or 0,
        user_id=w.user_id,
        amount=w.amount,
        currency=w.currency,
        method=preferred.method,
        # the deposit's card token or account is only meaningful to the provider that issued it
        destination=preferred.destination if order[:1] == [preferred.provider] else "",
        providers=",".join(order)[:255],
        status=PayoutStatus.APPROVED,
        auto_approved=approver == AUTO_APPROVER,
        approved_by=approver,
        approved_at=now,
        updated_at=now,
    )
    s.add(payout)
    s.flush()
    audit.record(
        s,
        actor=approver,
        action="withdrawal.approved",
        subject=f"withdrawal:{w.id}",
        details={
            "before": WithdrawalStatus.REQUESTED.value,
            "after": "approved",
            "amount": w.amount,
            "currency": w.currency,
            "player": w.user_id,
            "providers": order,
            "method": preferred.method.value,
            "automatic": payout.auto_approved,
            "reason": reason or ("below the approval threshold" if payout.auto_approved else "approved"),
        },
        now=now,
    )
    uow.emit(DomainEvent("withdrawal.approved", w.user_id, {"withdrawal_id": w.id}))
    assert payout.id is not None
    return payout.id


def deposit_method(s: Session, user_id: int, currency: str) -> DepositMethod | None:
    """The method of the player's latest approved deposit in `currency`, and where it came from."""
    deposit = s.exec(
        select(Payment)
        .where(
            Payment.user_id == user_id,
            Payment.currency == currency,
            Payment.direction == PaymentDirection.DEPOSIT,
            Payment.status == PaymentStatus.APPROVED,
        )
        .order_by(col(Payment.id).desc())
    ).first()
    if deposit is None:
        return None
    method = PaymentMethodKind(deposit.method)
    destination = ""
    if method == PaymentMethodKind.CARD:
        card = s.exec(
            select(PaymentCard)
            .where(PaymentCard.user_id == user_id, PaymentCard.provider == deposit.provider)
            .order_by(col(PaymentCard.id).desc())
        ).first()
        destination = card.token if card else ""
    return DepositMethod(deposit.provider, method, destination or payouts.customer_ref(user_id))


def lock_requested(s: Session, withdrawal_id: int, target: WithdrawalStatus) -> Withdrawal:
    """Lock a requested, not yet approved withdrawal's row for this transaction (approval races
    a cancellation or a rejection: whichever locks first decides)."""
    locked = s.execute(
        sa.update(Withdrawal)
        .where(col(Withdrawal.id) == withdrawal_id, col(Withdrawal.status) == WithdrawalStatus.REQUESTED)
        .values(status=Withdrawal.status)
    )
    w = s.get(Withdrawal, withdrawal_id, populate_existing=True)
    if w is None:
        raise NotFound("Unknown withdrawal.")
    if locked.rowcount != 1:  # type: ignore[attr-defined]
        raise refusal(WithdrawalStatus(w.status), target)
    if payout_of(s, withdrawal_id) is not None:
        raise AlreadyApproved("This withdrawal is already approved and being paid out; it cannot change.")
    return w


def refusal(current: WithdrawalStatus, target: WithdrawalStatus) -> InvalidTransition:
    if not WITHDRAWAL_TRANSITIONS.can(current, target):
        return AlreadyResolved(
            f"This withdrawal has already been resolved ({current.value}); it cannot become {target.value}."
        )
    return InvalidTransition("The withdrawal changed while it was being decided; try again.")


def payout_of(s: Session, withdrawal_id: int) -> Payout | None:
    return s.exec(select(Payout).where(Payout.withdrawal_id == withdrawal_id)).first()
