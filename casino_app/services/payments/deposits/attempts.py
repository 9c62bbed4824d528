"""A deposit's payment row and its provider attempts, with failover.

The payment is recorded (after the deposit checks) before any provider is called; each provider
call is an attempt recorded before the call, with a new attempt id (`<order id>:<n>`, also the
call's Idempotency-Key) and the same order id. A soft decline or an unavailable provider moves to
the next provider; a timeout too, leaving its attempt `started` (its outcome is unknown until
status polling asks); a hard decline stops. No database transaction is open during a call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from casino_app.domain.errors import InvalidInput, NotFound, PaymentDeclined
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import Role
from casino_app.domain.payments.errors import (
    HardDecline,
    ProviderError,
    ProviderTimeout,
    SoftDecline,
)
from casino_app.domain.payments.ports import (
    DepositCreated,
    DepositRequest,
    PaymentProvider,
    ProviderTransaction,
)
from casino_app.domain.payments.vocabulary import (
    AttemptStatus,
    PaymentDirection,
    PaymentMethodKind,
    PaymentStatus,
)
from casino_app.persistence.tables import Payment, PaymentAttempt, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.compliance.rg import checks as rg_checks
from casino_app.services.payments.deposits import states as settlement

UNKNOWN_OUTCOME = (
    "The payment provider did not answer in time. If the payment went through it will show in"
    " your wallet shortly; otherwise it is cancelled."
)
NO_PROVIDER = "No payment provider can take this payment right now; please try again later."


@dataclass(frozen=True)
class Order:
    """What the player asked for, validated."""

    order_id: str
    player_id: int
    amount_minor: int
    currency: str
    method: PaymentMethodKind


@dataclass(frozen=True)
class Outcome:
    payment: Payment
    redirect_url: str = ""
    ours: bool = True  # False: a concurrent request with the same order id is attempting it


def open_payment(uow: UnitOfWork, order: Order, now: datetime) -> Payment:
    """Record the payment after the deposit checks; a known order id returns its row.

    Raises:
        NotFound: no such player. InvalidInput: another currency than the wallet's, or an
        order id of another deposit. TimedOut, SelfExcluded, LimitExceeded: refused by the
        deposit checks (nothing is written and no provider is called).
    """
    with uow:
        user = uow.session.get(User, order.player_id)
        if user is None or user.role != Role.PLAYER:
            raise NotFound("Unknown player.")
        if user.currency != order.currency:
            raise InvalidInput(f"Your wallet is in {user.currency}.")
        existing = known_order(uow.session, order)
        if existing is not None:
            return existing
        rg_checks.check_deposit(
            uow, order.player_id, order.amount_minor, order.currency, now
        )  # before the provider
        payment = Payment(
            order_id=order.order_id,
            user_id=order.player_id,
            direction=PaymentDirection.DEPOSIT,
            provider="",
            amount=order.amount_minor,
            currency=order.currency,
            status=PaymentStatus.PENDING,
            created_at=now,
            method=order.method,
            country=user.country,
            updated_at=now,
        )
        uow.session.add(payment)
        try:
            uow.commit()
        except IntegrityError:  # a concurrent request with the same order id recorded it first
            uow.rollback()
            winner = known_order(uow.session, order)
            assert winner is not None
            return winner
        return payment


def known_order(s: Session, order: Order) -> Payment | None:
    """The payment already recorded for this order id (it must be the same deposit)."""
    existing = s.exec(select(Payment).where(Payment.order_id == order.order_id)).first()
    if existing is None:
        return None
    same = (existing.user_id, existing.amount, existing.currency, existing.direction)
    if same != (order.player_id, order.amount_minor, order.currency, PaymentDirection.DEPOSIT):
        raise InvalidInput("This order id belongs to a different deposit.")
    return existing


def try_providers(
    uow: UnitOfWork,
    actor: Actor,
    payment: Payment,
    providers: Sequence[PaymentProvider],
    request_for: Callable[[str], DepositRequest],
    now: datetime,
) -> Outcome:
    """Call the providers in order until one takes the deposit; see the module docstring."""
    unknown = False
    reason = NO_PROVIDER
    made = payment.attempts
    for provider in providers:
        attempt = _new_attempt(uow, payment, provider.name, made, now)
        if attempt is None:  # a concurrent call with the same order id is attempting it
            return Outcome(refresh(uow, payment), ours=False)
        made += 1
        try:
            created = provider.create_deposit(request_for(attempt.attempt_id))
        except HardDecline as err:
            return Outcome(_hard_declined(uow, actor, payment, attempt, err, now))
        except ProviderTimeout:
            unknown = True  # the attempt stays `started`: polling settles it
            continue
        except (SoftDecline, ProviderError) as err:
            _failed_over(uow, attempt, str(err), now)
            reason = str(err) if isinstance(err, SoftDecline) else reason
            continue
        return _taken(uow, actor, payment, attempt, created, now)
    if not unknown:
        with uow:
            settlement.decline_in(uow.session, payment, reason, now)
            uow.commit()
    return Outcome(refresh(uow, payment))


def _new_attempt(
    uow: UnitOfWork, payment: Payment, provider: str, made: int, now: datetime
) -> PaymentAttempt | None:
    """Claim attempt number `made + 1` (None: another call claimed it, or the payment is final)."""
    with uow:
        s = uow.session
        claimed = s.execute(
            sa.update(Payment)
            .where(
                col(Payment.id) == payment.id,
                col(Payment.attempts) == made,
                col(Payment.status) == PaymentStatus.PENDING,
            )
            .values(attempts=made + 1, provider=provider, updated_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return None
        assert payment.id is not None
        attempt = PaymentAttempt(
            payment_id=payment.id,
            attempt_id=f"{payment.order_id}:{made + 1}",
            provider=provider,
            status=AttemptStatus.STARTED,
            created_at=now,
            updated_at=now,
        )
        s.add(attempt)
        uow.commit()
        return attempt


def _failed_over(uow: UnitOfWork, attempt: PaymentAttempt, reason: str, now: datetime) -> None:
    with uow:
        uow.session.execute(
            sa.update(PaymentAttempt)
            .where(col(PaymentAttempt.id) == attempt.id, col(PaymentAttempt.status) == AttemptStatus.STARTED)
            .values(status=AttemptStatus.FAILED_OVER, decline_reason=reason[:255], updated_at=now)
        )
        uow.commit()


def _hard_declined(
    uow: UnitOfWork,
    actor: Actor,
    payment: Payment,
    attempt: PaymentAttempt,
    err: PaymentDeclined,
    now: datetime,
) -> Payment:
    tx = _as_transaction(payment, attempt, "declined", "", str(err))
    return _apply(uow, actor, payment, attempt, tx, now)


def _taken(
    uow: UnitOfWork,
    actor: Actor,
    payment: Payment,
    attempt: PaymentAttempt,
    created: DepositCreated,
    now: datetime,
) -> Outcome:
    status = "succeeded" if created.status == "succeeded" else "pending"
    tx = _as_transaction(payment, attempt, status, created.provider_reference, "", created)
    return Outcome(_apply(uow, actor, payment, attempt, tx, now), created.redirect_url)


def _as_transaction(
    payment: Payment,
    attempt: PaymentAttempt,
    status: str,
    reference: str,
    reason: str,
    created: DepositCreated | None = None,
) -> ProviderTransaction:
    return ProviderTransaction(
        provider_reference=reference,
        attempt_id=attempt.attempt_id,
        order_id=payment.order_id,
        direction=PaymentDirection.DEPOSIT,
        status=status,
        amount_minor=payment.amount,
        currency=payment.currency,
        occurred_at=attempt.created_at,
        decline_reason=reason,
        card=created.card if created else None,
    )


def _apply(
    uow: UnitOfWork,
    actor: Actor,
    payment: Payment,
    attempt: PaymentAttempt,
    tx: ProviderTransaction,
    now: datetime,
) -> Payment:
    """Apply a direct answer through the same state machine as webhooks (a webhook may have come first)."""
    with uow:
        s = uow.session
        fresh = s.get(Payment, payment.id, populate_existing=True)
        row = s.get(PaymentAttempt, attempt.id, populate_existing=True)
        assert fresh is not None and row is not None
        settlement.apply_in(uow, actor, fresh, row, tx, now)
        uow.commit()
    return refresh(uow, payment)


def refresh(uow: UnitOfWork, payment: Payment) -> Payment:
    with uow.reader() as r:
        row = r.session.get(Payment, payment.id)
        assert row is not None
        return row
