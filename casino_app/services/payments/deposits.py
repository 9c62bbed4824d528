"""Deposits through the wiring's payment providers; the ledger moves only on an approved charge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from casino_app.domain.errors import InvalidAmount, InvalidInput, NotFound, PaymentDeclined
from casino_app.domain.events import DomainEvent
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import Role
from casino_app.domain.money.vocabulary import AccountKind, TransactionKind
from casino_app.domain.payments.ports import (
    MAX_DEPOSIT_MINOR,
    MIN_DEPOSIT_MINOR,
    ChargeRequest,
    ChargeResult,
    PaymentMethod,
    PaymentProvider,
)
from casino_app.domain.payments.vocabulary import PAYMENT_TRANSITIONS, PaymentDirection, PaymentStatus
from casino_app.persistence.tables import Payment, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line
from casino_app.services.dto import DepositResult
from casino_app.services.money import ledger
from casino_app.services.security import audit


@dataclass(frozen=True)
class Deposit:
    """A deposit of the acting player; `provider` names one of the wiring's (None: the default)."""

    order_id: str
    amount_minor: int
    currency: str
    method_token: str
    provider: str | None = None


@authz.guard("player.wallet")
def payment_methods(uow: UnitOfWork, actor: Actor, provider: str | None = None) -> tuple[PaymentMethod, ...]:
    """The tokenized methods a player can deposit with (the default provider unless named)."""
    return tuple(uow.context.payments.get(provider).methods())


def _validate(cmd: Deposit) -> None:
    if not cmd.order_id or len(cmd.order_id) > 64:
        raise InvalidInput("A deposit needs an order id of 1 to 64 characters.")
    amount = cmd.amount_minor
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < MIN_DEPOSIT_MINOR:
        raise InvalidAmount(f"The minimum deposit is {money_line(MIN_DEPOSIT_MINOR, cmd.currency).text}.")
    if amount > MAX_DEPOSIT_MINOR:
        raise InvalidAmount(f"The maximum deposit is {money_line(MAX_DEPOSIT_MINOR, cmd.currency).text}.")


@authz.guard("player.wallet")
def deposit(uow: UnitOfWork, actor: Actor, cmd: Deposit, now: datetime) -> DepositResult:
    """Charge the acting player's method and credit their cash once, idempotent on `order_id`.

    Raises:
        PermissionDenied: the actor is not a signed-in player.
        InvalidAmount: below the minimum or above the maximum; nothing is written.
        InvalidInput: another currency than the wallet's, or an order id of another deposit.
        PaymentDeclined: the provider declined; the attempt is recorded, no money moves.
    """
    player_id = actor.player_id()
    _validate(cmd)
    provider = uow.context.payments.get(cmd.provider)
    payment = _open_payment(uow, player_id, cmd, provider.name, now)
    if payment.status == PaymentStatus.PENDING:
        payment = _charge(uow, actor, payment, provider, cmd.method_token, now)
    if payment.status != PaymentStatus.APPROVED:
        raise PaymentDeclined(payment.decline_reason or "The payment was declined.")
    return _result(uow, payment)


def _open_payment(uow: UnitOfWork, player_id: int, cmd: Deposit, provider: str, now: datetime) -> Payment:
    """Record the attempt before calling the provider; a known order id returns its row."""
    with uow:
        user = uow.session.get(User, player_id)
        if user is None or user.role != Role.PLAYER:
            raise NotFound("Unknown player.")
        if user.currency != cmd.currency:
            raise InvalidInput(f"Your wallet is in {user.currency}.")
        existing = _known_order(uow.session, player_id, cmd)
        if existing is not None:
            return existing
        payment = Payment(
            order_id=cmd.order_id,
            user_id=player_id,
            direction=PaymentDirection.DEPOSIT,
            provider=provider,
            amount=cmd.amount_minor,
            currency=cmd.currency,
            status=PaymentStatus.PENDING,
            created_at=now,
        )
        uow.session.add(payment)
        try:
            uow.commit()
        except IntegrityError:  # a concurrent request with the same order id recorded it first
            uow.rollback()
            winner = _known_order(uow.session, player_id, cmd)
            assert winner is not None
            return winner
        return payment


def _known_order(s: Session, player_id: int, cmd: Deposit) -> Payment | None:
    """The attempt already recorded for this order id (it must be the same deposit)."""
    existing = s.exec(select(Payment).where(Payment.order_id == cmd.order_id)).first()
    if existing is None:
        return None
    if (existing.user_id, existing.amount, existing.currency) != (player_id, cmd.amount_minor, cmd.currency):
        raise InvalidInput("This order id belongs to a different deposit.")
    return existing


def _charge(
    uow: UnitOfWork, actor: Actor, payment: Payment, provider: PaymentProvider, token: str, now: datetime
) -> Payment:
    labels = {m.token: m.label for m in provider.methods()}
    request = ChargeRequest(
        payment.order_id, f"{payment.order_id}:1", payment.amount, payment.currency, token
    )
    return _record_outcome(uow, actor, payment, provider.charge(request), labels.get(token, ""), now)


def _record_outcome(
    uow: UnitOfWork, actor: Actor, payment: Payment, result: ChargeResult, label: str, now: datetime
) -> Payment:
    """Claim the pending attempt and record the outcome; an approval credits cash, all at once.

    The claim is a conditional update, so of two concurrent attempts only one credits and audits.
    """
    status = PAYMENT_TRANSITIONS.check(PaymentStatus.PENDING, PaymentStatus(result.status))
    with uow:
        claimed = uow.session.execute(
            sa.update(Payment)
            .where(col(Payment.id) == payment.id, col(Payment.status) == PaymentStatus.PENDING)
            .values(
                status=status,
                provider_reference=result.provider_reference,
                decline_reason=result.decline_reason,
                method_label=label,
            )
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            if status == PaymentStatus.APPROVED:
                _credit(uow, actor, payment, now)
            uow.commit()
        row = uow.session.get(Payment, payment.id, populate_existing=True)
        assert row is not None
        return row


def _credit(uow: UnitOfWork, actor: Actor, payment: Payment, now: datetime) -> None:
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
        return
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


def _result(uow: UnitOfWork, payment: Payment) -> DepositResult:
    with uow.reader() as reader:
        cash = ledger.player_cash_account(reader.session, payment.user_id, payment.currency)
        bal = ledger.balance(reader.session, cash)
    amount = money_line(payment.amount, payment.currency)
    return DepositResult(
        payment.order_id,
        payment.status,
        amount,
        money_line(bal, payment.currency),
        f"Deposited {amount.text}.",
    )
