"""Status polling: what a lost webhook would have said, asked of the provider.

A deposit still pending `poll_after_seconds` after its last change has each open attempt
(`started`: the call's outcome is unknown; `pending`: the provider has it) asked about, and
the answer goes through the same state machine as a webhook. An attempt the provider never saw
is closed; a payment with no open attempt left, or pending longer than `expire_after_seconds`,
is declined (a success arriving after that raises an alert instead of a credit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from casino_app.domain.errors import NotFound
from casino_app.domain.identity.actor import Actor
from casino_app.domain.payments.errors import ProviderError, WebhookMismatch
from casino_app.domain.payments.vocabulary import AttemptStatus, PaymentDirection, PaymentStatus
from casino_app.persistence.tables import Payment, PaymentAttempt
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.payments.deposits import states as settlement
from casino_app.services.security.security_checks import raise_alert

OPEN_ATTEMPTS = (AttemptStatus.STARTED, AttemptStatus.PENDING)
NEVER_RECEIVED = "The provider never received this attempt."
DID_NOT_GO_THROUGH = "The payment did not go through."
ABANDONED = "The payment was not completed in time."


@dataclass(frozen=True)
class PollReport:
    checked: int  # attempts asked about
    approved: int
    declined: int
    still_pending: int


@authz.guard("system.payments")
def poll_pending(uow: UnitOfWork, actor: Actor, now: datetime, limit: int = 200) -> PollReport:
    """Ask the providers about deposits pending too long and settle what they say.

    Raises:
        PermissionDenied: not the system.
    """
    cfg = uow.context.settings.payments
    stale = now - timedelta(seconds=cfg.poll_after_seconds)
    candidates = _stale_pending(uow, stale, limit)
    checked = 0
    for payment_id, attempt_id in candidates:
        checked += _ask(uow, actor, payment_id, attempt_id, stale, now)
    approved = declined = pending = 0
    for payment_id in sorted({p for p, _ in candidates}):
        status = _close_if_done(uow, payment_id, now - timedelta(seconds=cfg.expire_after_seconds), now)
        approved += status == PaymentStatus.APPROVED
        declined += status == PaymentStatus.DECLINED
        pending += status == PaymentStatus.PENDING
    return PollReport(checked, approved, declined, pending)


def _stale_pending(uow: UnitOfWork, stale: datetime, limit: int) -> list[tuple[int, int | None]]:
    """(payment id, open attempt id or None) of deposits pending with no news since `stale`."""
    with uow.reader() as r:
        rows = r.session.exec(
            select(Payment.id, PaymentAttempt.id)
            .join(
                PaymentAttempt,
                sa.and_(
                    col(PaymentAttempt.payment_id) == Payment.id,
                    col(PaymentAttempt.status).in_(OPEN_ATTEMPTS),
                ),
                isouter=True,
            )
            .where(
                Payment.status == PaymentStatus.PENDING,
                Payment.direction == PaymentDirection.DEPOSIT,
                sa.func.coalesce(Payment.updated_at, Payment.created_at) <= stale,
            )
            .order_by(col(Payment.id))
            .limit(limit)
        ).all()
        return [(int(p), a) for p, a in rows if p is not None]


def _ask(
    uow: UnitOfWork, actor: Actor, payment_id: int, attempt_id: int | None, stale: datetime, now: datetime
) -> int:
    if attempt_id is None:
        return 0
    with uow.reader() as r:
        attempt = r.session.get(PaymentAttempt, attempt_id)
    assert attempt is not None
    payments = uow.context.payments
    if not payments.known(attempt.provider):
        return 0
    try:
        tx = payments.get(attempt.provider).status(attempt.attempt_id)
    except NotFound:
        if attempt.created_at <= stale:
            _close_attempt(uow, attempt_id, now)
        return 1
    except ProviderError:
        return 1  # asked again on the next pass
    with uow:
        s = uow.session
        payment = s.get(Payment, payment_id, populate_existing=True)
        row = s.get(PaymentAttempt, attempt_id, populate_existing=True)
        assert payment is not None and row is not None
        try:
            settlement.apply_in(uow, actor, payment, row, tx, now)
        except WebhookMismatch as err:
            uow.rollback()
            raise_alert(s, "payment_status_mismatch", "critical", err.message, now)
        uow.commit()
    return 1


def _close_attempt(uow: UnitOfWork, attempt_id: int, now: datetime) -> None:
    with uow:
        uow.session.execute(
            sa.update(PaymentAttempt)
            .where(col(PaymentAttempt.id) == attempt_id, col(PaymentAttempt.status).in_(OPEN_ATTEMPTS))
            .values(status=AttemptStatus.FAILED_OVER, decline_reason=NEVER_RECEIVED, updated_at=now)
        )
        uow.commit()


def _close_if_done(uow: UnitOfWork, payment_id: int, expired: datetime, now: datetime) -> PaymentStatus:
    """Decline a pending payment that has no open attempt left, or that waited too long."""
    with uow:
        s = uow.session
        payment = s.get(Payment, payment_id)
        assert payment is not None
        if payment.status != PaymentStatus.PENDING:
            return PaymentStatus(payment.status)
        open_left = s.exec(
            select(sa.func.count())
            .select_from(PaymentAttempt)
            .where(PaymentAttempt.payment_id == payment_id, col(PaymentAttempt.status).in_(OPEN_ATTEMPTS))
        ).one()
        if open_left and payment.created_at > expired:
            return PaymentStatus.PENDING
        settlement.decline_in(s, payment, ABANDONED if open_left else DID_NOT_GO_THROUGH, now)
        uow.commit()
        return PaymentStatus.DECLINED
