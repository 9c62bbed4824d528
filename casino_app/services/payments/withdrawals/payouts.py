"""Paying approved withdrawals through providers: send, follow up, confirm or give the money back.

A payout (`persistence/tables/payouts.Payout`) is created when a withdrawal is approved, by an
operator or automatically below the threshold (`services/payments/withdrawals/withdrawals.py`). Sending it
records the attempt before the provider call, then calls the providers in order (the deposit's
provider first, `domain/payments/payout_rules.payout_order`) with one Idempotency-Key per
attempt:

- success: the hold moves to the provider's clearing account and the withdrawal is paid;
- pending: the payout is `sent`, confirmed later by a webhook (`apply_provider_update`) or by
  the payout job's status poll (`follow_up`);
- soft decline, or a 5xx/unreachable provider that never saw the attempt (its `status` says
  `NotFound`): the next provider, with a new attempt id;
- a timeout (or no answer to the status question either): the outcome is unknown, nothing
  moves; the payout job sends the same attempt id again later, so a payout is never made twice;
- hard decline, or every provider refused: the payout fails and the hold returns to cash, with
  the reason shown to the player.

HTTP calls happen outside any database transaction; every state change is one conditional
update, so a webhook and a poll arriving together confirm a payout once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from casino_app.domain.errors import NotFound
from casino_app.domain.events import DomainEvent
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.vocabulary import AccountKind, TransactionKind
from casino_app.domain.payments.errors import (
    HardDecline,
    ProviderError,
    ProviderTimeout,
    SoftDecline,
    WebhookMismatch,
)
from casino_app.domain.payments.payout_rules import PAYOUT_TRANSITIONS, PayoutStatus, attempt_id
from casino_app.domain.payments.ports import PayoutRequest, ProviderResult, ProviderTransaction
from casino_app.domain.payments.vocabulary import PaymentDirection, PaymentMethodKind, WithdrawalStatus
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.tables import Withdrawal
from casino_app.persistence.tables.payouts import Payout
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.money import ledger
from casino_app.services.security import audit

PAYER = Actor.system("payouts")
EXHAUSTED = "No payment provider could pay it out"


@dataclass(frozen=True)
class PayoutOutcome:
    payout_id: int
    status: PayoutStatus
    provider: str
    reason: str = ""


def order_id(payout_id: int) -> str:
    """The payout's order id at every provider (reconciliation matches on it)."""
    return f"payout-{payout_id}"


def send(uow: UnitOfWork, payout_id: int, now: datetime) -> PayoutOutcome:
    """Move an approved payout on: call providers until one accepts, refuses for good, or is unsure.

    Internal: called right after an approval (by the guarded withdrawal services) and by the
    payout job; it acts as the `payouts` system actor.
    """
    p = _load(uow, payout_id)
    while p.status == PayoutStatus.APPROVED:
        if not p.attempt_id:  # no live attempt: start one with the next provider
            nxt = _next_provider(p)
            if nxt is None:
                return _fail(uow, p, p.failure_reason or EXHAUSTED, now)
            p = _start_attempt(uow, p, nxt, now)
        step = _call(uow, p)
        if isinstance(step, ProviderResult):
            return _accepted(uow, p, step, now)
        if isinstance(step, ProviderTransaction):
            return apply_transaction(uow, p, step, now)
        if step == "unknown":
            return _outcome(p)  # retried with the same attempt id by the payout job
        if isinstance(step, HardDecline):
            return _fail(uow, p, f"{p.provider} refused the payout: {step.message}", now)
        p = _drop_attempt(uow, p, f"{p.provider}: {step}", now)  # soft decline or never reached
    return _outcome(p)


def _load(uow: UnitOfWork, payout_id: int) -> Payout:
    with uow.reader() as r:
        p = r.session.get(Payout, payout_id)
        if p is None:
            raise NotFound("Unknown payout.")
        return p


def _providers(p: Payout) -> list[str]:
    return [name for name in p.providers.split(",") if name]


def _next_provider(p: Payout) -> str | None:
    names = _providers(p)
    if p.attempt == 0:
        return names[0] if names else None
    index = names.index(p.provider) + 1 if p.provider in names else len(names)
    return names[index] if index < len(names) else None


def _start_attempt(uow: UnitOfWork, p: Payout, provider: str, now: datetime) -> Payout:
    """Record the attempt (provider, number, id) before the call, so a crash leaves it known."""
    number = p.attempt + 1
    key = attempt_id(p.id or 0, number)
    return _update(uow, p, PayoutStatus.APPROVED, provider=provider, attempt=number, attempt_id=key, now=now)


def _drop_attempt(uow: UnitOfWork, p: Payout, reason: str, now: datetime) -> Payout:
    return _update(uow, p, PayoutStatus.APPROVED, attempt_id="", failure_reason=reason[:255], now=now)


def _call(uow: UnitOfWork, p: Payout) -> ProviderResult | ProviderTransaction | Exception | str:
    """One provider call; after a 5xx the provider is asked whether it saw the attempt."""
    provider = uow.context.payments.get(p.provider)
    request = PayoutRequest(
        payout_id=order_id(p.id or 0),
        attempt_id=p.attempt_id,
        amount_minor=p.amount,
        currency=p.currency,
        method=PaymentMethodKind(p.method),
        destination=_destination(p),
        customer_ref=customer_ref(p.user_id),
    )
    try:
        return provider.payout(request)
    except (SoftDecline, HardDecline) as decline:
        return decline
    except ProviderTimeout:
        return "unknown"  # it may still be processed: only this attempt id is ever sent again
    except ProviderError:
        pass  # 5xx or unreachable: if the provider never saw it, the next provider may pay
    try:
        return provider.status(p.attempt_id)
    except NotFound as never_seen:
        return never_seen
    except ProviderError:
        return "unknown"


def _destination(p: Payout) -> str:
    """The deposit's token at the provider that issued it; elsewhere the player's reference."""
    first = _providers(p)[:1]
    return p.destination if p.destination and first == [p.provider] else customer_ref(p.user_id)


def customer_ref(user_id: int) -> str:
    """Our player's opaque reference at a provider (never an email or a name)."""
    return f"player-{user_id}"


def _accepted(uow: UnitOfWork, p: Payout, result: ProviderResult, now: datetime) -> PayoutOutcome:
    if result.status == "succeeded":
        return _paid(uow, p, result.provider_reference, now)
    p = _update(uow, p, PayoutStatus.SENT, provider_reference=result.provider_reference, now=now)
    return _outcome(p)


def apply_transaction(
    uow: UnitOfWork, p: Payout, tx: ProviderTransaction, now: datetime, *, resend: bool = True
) -> PayoutOutcome:
    """What the provider says of the payout's current attempt: paid, declined or still pending.

    A decline frees the payout for the next provider: sent at once with `resend`, else by the job.
    """
    if tx.attempt_id and tx.attempt_id != p.attempt_id:
        return _outcome(p)  # about an attempt given up on: never reached the provider, or superseded
    if (tx.amount_minor, tx.currency.upper()) != (p.amount, p.currency):
        raise WebhookMismatch(
            f"The provider reports {tx.amount_minor} {tx.currency} for payout {p.id}"
            f" of {p.amount} {p.currency}."
        )
    if tx.status == "succeeded":
        return _paid(uow, p, tx.provider_reference, now)
    if tx.status == "declined":
        p = _drop_attempt(uow, p, f"{p.provider}: {tx.decline_reason or 'declined'}", now)
        return send(uow, p.id or 0, now) if resend else _outcome(p)
    if p.status == PayoutStatus.APPROVED:
        p = _update(uow, p, PayoutStatus.SENT, provider_reference=tx.provider_reference, now=now)
    return _outcome(p)


def apply_provider_update(uow: UnitOfWork, provider: str, tx: ProviderTransaction, now: datetime) -> bool:
    """A verified webhook about a payout (`tx.direction` is payout): confirm or decline it, once.

    Returns False when no payout of ours has that attempt id (the caller records it as ignored).

    Raises:
        WebhookMismatch: the amount or currency differ from the payout's (nothing is written).
    """
    with uow.reader() as r:
        p = r.session.exec(
            select(Payout).where(Payout.attempt_id == tx.attempt_id, Payout.provider == provider)
        ).first()
    if p is None or tx.direction != PaymentDirection.PAYOUT or not tx.attempt_id:
        return False
    if p.status in (PayoutStatus.APPROVED, PayoutStatus.SENT):
        apply_transaction(uow, p, tx, now, resend=False)  # no provider calls inside a webhook
    return True


@authz.guard("system.jobs")
def follow_up(uow: UnitOfWork, actor: Actor, now: datetime, limit: int = 200) -> list[PayoutOutcome]:
    """The payout job's pass: send approved payouts again, poll the status of sent ones."""
    with uow.reader() as r:
        open_ids = r.session.exec(
            select(Payout.id)
            .where(col(Payout.status).in_([PayoutStatus.APPROVED, PayoutStatus.SENT]))
            .order_by(col(Payout.id))
            .limit(limit)
        ).all()
    return [_follow(uow, int(pid), now) for pid in open_ids if pid is not None]


def _follow(uow: UnitOfWork, payout_id: int, now: datetime) -> PayoutOutcome:
    p = _load(uow, payout_id)
    if p.status == PayoutStatus.APPROVED:
        return send(uow, payout_id, now)
    try:
        tx = uow.context.payments.get(p.provider).status(p.attempt_id)
        return apply_transaction(uow, p, tx, now)
    except (
        ProviderError,
        NotFound,
        WebhookMismatch,
    ):  # asked again next pass; reconciliation shows a mismatch
        return _outcome(p)


def _outcome(p: Payout) -> PayoutOutcome:
    return PayoutOutcome(p.id or 0, PayoutStatus(p.status), p.provider, p.failure_reason)


@retry_transient
def _update(uow: UnitOfWork, p: Payout, target: PayoutStatus, *, now: datetime, **values: object) -> Payout:
    """Move the payout from the status it was read in; a concurrent move wins and is returned."""
    before = PayoutStatus(p.status)
    if target != before:
        PAYOUT_TRANSITIONS.check(before, target)
    with uow:
        uow.session.execute(
            sa.update(Payout)
            .where(
                col(Payout.id) == p.id, col(Payout.status) == before, col(Payout.attempt_id) == p.attempt_id
            )
            .values(status=target, updated_at=now, **values)
        )
        uow.commit()
    return _load(uow, p.id or 0)


@retry_transient
def _paid(uow: UnitOfWork, p: Payout, reference: str, now: datetime) -> PayoutOutcome:
    """The provider confirmed: payout paid, withdrawal paid, hold -> clearing, audited, once."""
    with uow:
        s = uow.session
        if not _claim(uow, p, PayoutStatus.PAID, now, provider_reference=reference, paid_at=now):
            return _outcome(_current(uow, p))
        w = _claim_withdrawal(uow, p, WithdrawalStatus.PAID, now)
        posted = _post(uow, w, TransactionKind.WITHDRAWAL_PAID, p.provider, p, now)
        w.resolve_transaction_id = posted.id
        s.add(w)
        _audit(uow, w, p, "withdrawal.paid", reference, now)
        uow.emit(DomainEvent("withdrawal.paid", w.user_id, {"withdrawal_id": w.id}))
        uow.commit()
    return PayoutOutcome(p.id or 0, PayoutStatus.PAID, p.provider)


@retry_transient
def _fail(uow: UnitOfWork, p: Payout, reason: str, now: datetime) -> PayoutOutcome:
    """No provider will pay: the hold returns to the player's cash and they are told why."""
    reason = reason[:255]
    with uow:
        if not _claim(uow, p, PayoutStatus.FAILED, now, failure_reason=reason):
            return _outcome(_current(uow, p))
        w = _claim_withdrawal(uow, p, WithdrawalStatus.REJECTED, now)
        w.decision_note = f"The payout could not be made ({reason}); the money is back in your balance."[:255]
        w.resolve_transaction_id = _post(uow, w, TransactionKind.WITHDRAWAL_REJECTED, "", p, now).id
        uow.session.add(w)
        _audit(uow, w, p, "withdrawal.rejected", reason, now)  # by the payout, not an operator
        uow.emit(DomainEvent("withdrawal.rejected", w.user_id, {"withdrawal_id": w.id}))
        uow.commit()
    return PayoutOutcome(p.id or 0, PayoutStatus.FAILED, p.provider, reason)


def _claim(uow: UnitOfWork, p: Payout, target: PayoutStatus, now: datetime, **values: object) -> bool:
    claimed = uow.session.execute(
        sa.update(Payout)
        .where(col(Payout.id) == p.id, col(Payout.status).in_([PayoutStatus.APPROVED, PayoutStatus.SENT]))
        .values(status=target, updated_at=now, **values)
    )
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def _current(uow: UnitOfWork, p: Payout) -> Payout:
    uow.rollback()
    return _load(uow, p.id or 0)


def _claim_withdrawal(uow: UnitOfWork, p: Payout, target: WithdrawalStatus, now: datetime) -> Withdrawal:
    s = uow.session
    s.execute(
        sa.update(Withdrawal)
        .where(col(Withdrawal.id) == p.withdrawal_id, col(Withdrawal.status) == WithdrawalStatus.REQUESTED)
        .values(status=target, resolved_by=p.approved_by, resolved_at=now)
    )
    w = s.get(Withdrawal, p.withdrawal_id, populate_existing=True)
    assert w is not None and w.status == target, "an approved withdrawal changed outside its payout"
    return w


def _post(
    uow: UnitOfWork, w: Withdrawal, kind: TransactionKind, provider: str, p: Payout, now: datetime
) -> ledger.PostedTransaction:
    s = uow.session
    hold = ledger.ensure_account(s, kind=AccountKind.PLAYER_HOLD, currency=w.currency, owner=w.user_id)
    if provider:
        other = ledger.ensure_account(
            s, kind=AccountKind.PROVIDER_CLEARING, currency=w.currency, owner=provider
        )
    else:
        other = ledger.player_cash_account(s, w.user_id, w.currency)
    outcome = "paid" if provider else "rejected"
    return ledger.post(
        s,
        kind=kind,
        idempotency_key=f"withdrawal-resolve:{w.id}",
        request={"withdrawal": w.id, "outcome": outcome},
        postings=[ledger.Posting(hold, -w.amount), ledger.Posting(other, w.amount)],
        currency=w.currency,
        now=now,
        actor=PAYER.audit_name,
        reference=order_id(p.id or 0),
    )


def _audit(uow: UnitOfWork, w: Withdrawal, p: Payout, action: str, detail: str, now: datetime) -> None:
    audit.record(
        uow.session,
        actor=PAYER.audit_name,
        action=action,
        subject=f"withdrawal:{w.id}",
        details={
            "before": WithdrawalStatus.REQUESTED.value,
            "after": w.status,
            "amount": w.amount,
            "currency": w.currency,
            "player": w.user_id,
            "provider": p.provider,
            "attempt_id": p.attempt_id,
            "approved_by": p.approved_by,
            "reason": detail,
        },
        now=now,
    )
