"""Money use cases on the ledger: transfers, bonus grants, FX exchange, reversals.

Each posts and writes its audit record in one transaction; a replayed idempotency key returns
the stored transaction and writes nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from sqlmodel import Session

from casino_app.domain.errors import CurrencyMismatch, InvalidAmount, InvalidInput
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.amounts import CURRENCY_EXPONENT, check_currency
from casino_app.domain.money.vocabulary import AccountKind, TransactionKind
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.money import ledger
from casino_app.services.security import audit


@dataclass(frozen=True)
class Transfer:
    from_account: int
    to_account: int
    amount_minor: int
    currency: str
    idempotency_key: str
    kind: str = TransactionKind.TRANSFER
    reason: str = ""


def _positive(amount: int) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidAmount("The amount must be a positive whole number of minor units.")
    return amount


def _audit(
    s: Session, actor: Actor, action: str, posted: ledger.PostedTransaction, now: datetime, **details: Any
) -> None:
    audit.record(
        s,
        actor=actor.audit_name,
        action=action,
        subject=f"transaction:{posted.id}",
        details={"kind": posted.kind, "idempotency_key": posted.idempotency_key, **details},
        now=now,
    )


@authz.guard("system.jobs")
@retry_transient
def transfer(uow: UnitOfWork, actor: Actor, cmd: Transfer, now: datetime) -> ledger.PostedTransaction:
    """Move money between two accounts of one currency, once per idempotency key."""
    _positive(cmd.amount_minor)
    if cmd.from_account == cmd.to_account:
        raise InvalidInput("A transfer needs two different accounts.")
    request = {
        "from": cmd.from_account,
        "to": cmd.to_account,
        "amount": cmd.amount_minor,
        "currency": cmd.currency,
    }
    with uow:
        posted = ledger.post(
            uow.session,
            kind=cmd.kind,
            idempotency_key=cmd.idempotency_key,
            request=request,
            postings=[
                ledger.Posting(cmd.from_account, -cmd.amount_minor),
                ledger.Posting(cmd.to_account, cmd.amount_minor),
            ],
            currency=cmd.currency,
            now=now,
            actor=actor.audit_name,
            reason=cmd.reason,
        )
        if posted.replayed:
            return posted
        _audit(uow.session, actor, "ledger.transfer", posted, now, **request, reason=cmd.reason)
        uow.commit()
        return posted


@authz.guard("system.jobs")
@retry_transient
def grant_bonus(
    uow: UnitOfWork,
    actor: Actor,
    user_id: int,
    amount_minor: int,
    currency: str,
    idempotency_key: str,
    now: datetime,
    *,
    reason: str = "bonus",
) -> ledger.PostedTransaction:
    """Credit bonus money (not withdrawable) from the bonus expense account."""
    _positive(amount_minor)
    with uow:
        s = uow.session
        expense = ledger.ensure_account(s, kind=AccountKind.BONUS_EXPENSE, currency=currency, owner="house")
        bonus = ledger.ensure_account(s, kind=AccountKind.PLAYER_BONUS, currency=currency, owner=user_id)
        posted = ledger.post(
            s,
            kind=TransactionKind.BONUS_GRANT,
            idempotency_key=idempotency_key,
            request={"user": user_id, "amount": amount_minor, "currency": currency},
            postings=[ledger.Posting(expense, -amount_minor), ledger.Posting(bonus, amount_minor)],
            currency=currency,
            now=now,
            actor=actor.audit_name,
            reason=reason,
        )
        if posted.replayed:
            return posted
        _audit(s, actor, "bonus.grant", posted, now, player=user_id, amount=amount_minor, currency=currency)
        uow.commit()
        return posted


def convert(amount_minor: int, from_ccy: str, to_ccy: str, rate: str) -> int:
    """Minor units of `to_ccy` for `amount_minor` of `from_ccy` at `rate`, rounded down."""
    try:
        r = Decimal(rate)
    except InvalidOperation:
        raise InvalidInput("The exchange rate must be a decimal number such as 4.2875.") from None
    if not r.is_finite() or r <= 0:
        raise InvalidInput("The exchange rate must be positive.")
    major = Decimal(amount_minor) / (10 ** CURRENCY_EXPONENT[from_ccy])
    return int((major * r * (10 ** CURRENCY_EXPONENT[to_ccy])).to_integral_value(ROUND_FLOOR))


@authz.guard("player.wallet")
@retry_transient
def exchange(
    uow: UnitOfWork,
    actor: Actor,
    amount_minor: int,
    from_ccy: str,
    to_ccy: str,
    rate: str,
    idempotency_key: str,
    now: datetime,
) -> ledger.PostedTransaction:
    """Move the acting player's cash between their currency wallets as one FX transaction.

    Each currency's legs sum to zero through the FX clearing account of that currency; the
    transaction records the rate.
    """
    player_id = actor.player_id()
    _positive(amount_minor)
    check_currency(from_ccy)
    check_currency(to_ccy)
    if from_ccy == to_ccy:
        raise CurrencyMismatch("An exchange needs two different currencies.")
    received = convert(amount_minor, from_ccy, to_ccy, rate)
    if received <= 0:
        raise InvalidAmount("The amount is too small to exchange at this rate.")
    request = {"user": player_id, "amount": amount_minor, "from": from_ccy, "to": to_ccy, "rate": rate}
    with uow:
        s = uow.session
        source = ledger.player_cash_account(s, player_id, from_ccy)
        target = ledger.ensure_account(s, kind=AccountKind.PLAYER_CASH, currency=to_ccy, owner=player_id)
        fx_from = ledger.ensure_account(s, kind=AccountKind.FX_CLEARING, currency=from_ccy, owner="house")
        fx_to = ledger.ensure_account(s, kind=AccountKind.FX_CLEARING, currency=to_ccy, owner="house")
        posted = ledger.post(
            s,
            kind=TransactionKind.FX,
            idempotency_key=idempotency_key,
            request=request,
            postings=[
                ledger.Posting(source, -amount_minor, from_ccy),
                ledger.Posting(fx_from, amount_minor, from_ccy),
                ledger.Posting(fx_to, -received, to_ccy),
                ledger.Posting(target, received, to_ccy),
            ],
            currency=from_ccy,
            now=now,
            actor=actor.audit_name,
            fx_rate=str(Decimal(rate)),
        )
        if posted.replayed:
            return posted
        _audit(s, actor, "wallet.exchange", posted, now, **request, received=received)
        uow.commit()
        return posted


@authz.guard("ops.ledger.reverse")
@retry_transient
def reverse_transaction(
    uow: UnitOfWork, actor: Actor, transaction_id: int, now: datetime, *, reason: str
) -> ledger.PostedTransaction:
    """Correct a posted transaction with its exact opposite (at most once), with a reason."""
    with uow:
        posted = ledger.reverse(uow.session, transaction_id, now=now, actor=actor.audit_name, reason=reason)
        if posted.replayed:
            return posted
        _audit(uow.session, actor, "ledger.reversal", posted, now, reverses=transaction_id, reason=reason)
        uow.commit()
        return posted
