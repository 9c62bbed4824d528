"""Deposits through a `PaymentProvider`; the ledger moves only on an approved charge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from casino_app.domain.errors import InvalidAmount, InvalidInput, NotFound, PaymentDeclined
from casino_app.domain.payments.ports import (
    MAX_DEPOSIT_MINOR,
    MIN_DEPOSIT_MINOR,
    ChargeRequest,
    PaymentProvider,
)
from casino_app.persistence.tables import Payment, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.common import money_line
from casino_app.services.dto import DepositResult
from casino_app.services.money import ledger
from casino_app.services.security import audit


@dataclass(frozen=True)
class Deposit:
    user_id: int
    order_id: str
    amount_minor: int
    currency: str
    method_token: str


def _validate(cmd: Deposit) -> None:
    if not cmd.order_id or len(cmd.order_id) > 64:
        raise InvalidInput("A deposit needs an order id of 1 to 64 characters.")
    if cmd.amount_minor < MIN_DEPOSIT_MINOR:
        raise InvalidAmount(f"The minimum deposit is {money_line(MIN_DEPOSIT_MINOR, cmd.currency).text}.")
    if cmd.amount_minor > MAX_DEPOSIT_MINOR:
        raise InvalidAmount(f"The maximum deposit is {money_line(MAX_DEPOSIT_MINOR, cmd.currency).text}.")


def _open_payment(uow: UnitOfWork, cmd: Deposit, provider: str, now: datetime) -> Payment:
    """Record the attempt before calling the provider; a known order id returns its row."""
    with uow:
        user = uow.session.get(User, cmd.user_id)
        if user is None or user.role != "player":
            raise NotFound("Unknown player.")
        if user.currency != cmd.currency:
            raise InvalidInput(f"Your wallet is in {user.currency}.")
        existing = uow.session.exec(select(Payment).where(Payment.order_id == cmd.order_id)).first()
        if existing is not None:
            if (existing.user_id, existing.amount, existing.currency) != (
                cmd.user_id,
                cmd.amount_minor,
                cmd.currency,
            ):
                raise InvalidInput("This order id belongs to a different deposit.")
            return existing
        payment = Payment(
            order_id=cmd.order_id,
            user_id=cmd.user_id,
            provider=provider,
            amount=cmd.amount_minor,
            currency=cmd.currency,
            status="pending",
            created_at=now,
        )
        uow.session.add(payment)
        uow.commit()
        return payment


def deposit(uow: UnitOfWork, provider: PaymentProvider, cmd: Deposit, now: datetime) -> DepositResult:
    """Charge the method and credit the cash account once, idempotent on `order_id`.

    Raises:
        InvalidAmount: below the minimum or above the maximum; nothing is written.
        PaymentDeclined: the provider declined; the attempt is recorded, no money moves.
    """
    _validate(cmd)
    payment = _open_payment(uow, cmd, provider.name, now)
    if payment.status == "pending":
        labels = {m.token: m.label for m in provider.methods()}
        result = provider.charge(
            ChargeRequest(cmd.order_id, f"{cmd.order_id}:1", cmd.amount_minor, cmd.currency, cmd.method_token)
        )
        payment = _record_outcome(
            uow,
            payment,
            result.status,
            result.provider_reference,
            result.decline_reason,
            labels.get(cmd.method_token, ""),
            now,
        )
    if payment.status != "approved":
        raise PaymentDeclined(payment.decline_reason or "The payment was declined.")
    return _result(uow, payment)


def _record_outcome(
    uow: UnitOfWork,
    payment: Payment,
    status: str,
    reference: str,
    reason: str,
    label: str,
    now: datetime,
) -> Payment:
    with uow:
        row = uow.session.get(Payment, payment.id)
        assert row is not None
        if row.status != "pending":
            return row
        row.status, row.provider_reference = status, reference
        row.decline_reason, row.method_label = reason, label
        if status == "approved":
            _credit(uow, row, now)
        uow.session.add(row)
        uow.commit()
        return row


def _credit(uow: UnitOfWork, payment: Payment, now: datetime) -> None:
    s = uow.session
    clearing = ledger.ensure_account(
        s, kind="provider_clearing", currency=payment.currency, owner=payment.provider
    )
    cash = ledger.player_cash_account(s, payment.user_id, payment.currency)
    posted = ledger.post(
        s,
        kind="deposit",
        idempotency_key=f"deposit:{payment.order_id}",
        request={"user": payment.user_id, "amount": payment.amount, "currency": payment.currency},
        postings=[ledger.Posting(clearing, -payment.amount), ledger.Posting(cash, payment.amount)],
        currency=payment.currency,
        now=now,
        actor=f"player:{payment.user_id}",
        reference=payment.order_id,
    )
    audit.record(
        s,
        actor=f"player:{payment.user_id}",
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
