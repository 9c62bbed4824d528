"""Money use cases on the ledger: transfers, bonus grants, FX exchange, reversals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from casino_app.domain.errors import CurrencyMismatch, InvalidAmount, InvalidInput
from casino_app.domain.money.amounts import CURRENCY_EXPONENT, check_currency
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.money import ledger


@dataclass(frozen=True)
class Transfer:
    from_account: int
    to_account: int
    amount_minor: int
    currency: str
    idempotency_key: str
    kind: str = "transfer"
    actor: str = "system"
    reason: str = ""


def _positive(amount: int) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidAmount("The amount must be a positive whole number of minor units.")
    return amount


@retry_transient
def transfer(uow: UnitOfWork, cmd: Transfer, now: datetime) -> ledger.PostedTransaction:
    """Move money between two accounts of one currency, once per idempotency key."""
    _positive(cmd.amount_minor)
    if cmd.from_account == cmd.to_account:
        raise InvalidInput("A transfer needs two different accounts.")
    with uow:
        posted = ledger.post(
            uow.session,
            kind=cmd.kind,
            idempotency_key=cmd.idempotency_key,
            request={
                "from": cmd.from_account,
                "to": cmd.to_account,
                "amount": cmd.amount_minor,
                "currency": cmd.currency,
            },
            postings=[
                ledger.Posting(cmd.from_account, -cmd.amount_minor),
                ledger.Posting(cmd.to_account, cmd.amount_minor),
            ],
            currency=cmd.currency,
            now=now,
            actor=cmd.actor,
            reason=cmd.reason,
        )
        uow.commit()
        return posted


@retry_transient
def grant_bonus(
    uow: UnitOfWork,
    user_id: int,
    amount_minor: int,
    currency: str,
    idempotency_key: str,
    now: datetime,
    *,
    actor: str = "system",
    reason: str = "bonus",
) -> ledger.PostedTransaction:
    """Credit bonus money (not withdrawable) from the bonus expense account."""
    _positive(amount_minor)
    with uow:
        s = uow.session
        expense = ledger.ensure_account(s, kind="bonus_expense", currency=currency, owner="house")
        bonus = ledger.ensure_account(s, kind="player_bonus", currency=currency, owner=user_id)
        posted = ledger.post(
            s,
            kind="bonus_grant",
            idempotency_key=idempotency_key,
            request={"user": user_id, "amount": amount_minor, "currency": currency},
            postings=[ledger.Posting(expense, -amount_minor), ledger.Posting(bonus, amount_minor)],
            currency=currency,
            now=now,
            actor=actor,
            reason=reason,
        )
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


@retry_transient
def exchange(
    uow: UnitOfWork,
    user_id: int,
    amount_minor: int,
    from_ccy: str,
    to_ccy: str,
    rate: str,
    idempotency_key: str,
    now: datetime,
) -> ledger.PostedTransaction:
    """Move cash between a player's currency wallets as one FX transaction recording the rate.

    Each currency's legs sum to zero through the FX clearing account of that currency.
    """
    _positive(amount_minor)
    check_currency(from_ccy)
    check_currency(to_ccy)
    if from_ccy == to_ccy:
        raise CurrencyMismatch("An exchange needs two different currencies.")
    received = convert(amount_minor, from_ccy, to_ccy, rate)
    if received <= 0:
        raise InvalidAmount("The amount is too small to exchange at this rate.")
    with uow:
        s = uow.session
        source = ledger.player_cash_account(s, user_id, from_ccy)
        target = ledger.ensure_account(s, kind="player_cash", currency=to_ccy, owner=user_id)
        fx_from = ledger.ensure_account(s, kind="fx_clearing", currency=from_ccy, owner="house")
        fx_to = ledger.ensure_account(s, kind="fx_clearing", currency=to_ccy, owner="house")
        posted = ledger.post(
            s,
            kind="fx",
            idempotency_key=idempotency_key,
            request={"user": user_id, "amount": amount_minor, "from": from_ccy, "to": to_ccy, "rate": rate},
            postings=[
                ledger.Posting(source, -amount_minor, from_ccy),
                ledger.Posting(fx_from, amount_minor, from_ccy),
                ledger.Posting(fx_to, -received, to_ccy),
                ledger.Posting(target, received, to_ccy),
            ],
            currency=from_ccy,
            now=now,
            actor=f"player:{user_id}",
            fx_rate=str(Decimal(rate)),
        )
        uow.commit()
        return posted


@retry_transient
def reverse_transaction(
    uow: UnitOfWork, transaction_id: int, now: datetime, *, actor: str, reason: str
) -> ledger.PostedTransaction:
    """Correct a posted transaction with its exact opposite (at most once)."""
    with uow:
        posted = ledger.reverse(uow.session, transaction_id, now=now, actor=actor, reason=reason)
        uow.commit()
        return posted
