"""Provider webhooks: signature first, then dedup by event id, then the payment's state machine.

1. The provider's adapter verifies the signature over the raw body (HMAC-SHA256 over
   "{timestamp}.{raw body}", 300 s tolerance, constant-time compare) before anything is read;
   a bad one raises `InvalidSignature` (the API answers 401) and nothing is written.
2. The event id is claimed by a unique insert (`payment_webhook_events`) in the same
   transaction as its effect: a replayed or duplicated event changes nothing.
3. `settlement.apply_in` moves the attempt and the payment (safe in any order); an amount or
   currency that differs from the payment's is refused, nothing of it is written, and a
   critical security alert with an audit record is raised in its own transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from casino_app.domain.errors import NotFound
from casino_app.domain.identity.actor import Actor
from casino_app.domain.payments.errors import WebhookMismatch
from casino_app.domain.payments.ports import WebhookEvent
from casino_app.domain.payments.vocabulary import PaymentDirection, WebhookOutcome
from casino_app.persistence.tables import Payment, PaymentAttempt, PaymentWebhookEvent
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.payments.deposits import states as settlement
from casino_app.services.payments.withdrawals import payouts
from casino_app.services.security import audit
from casino_app.services.security.security_checks import raise_alert

MISMATCH_ALERT = "payment_webhook_mismatch"


@dataclass(frozen=True)
class WebhookReceipt:
    event_id: str
    outcome: str  # applied | ignored | duplicate
    payment_status: str = ""


@authz.guard("system.payments")
def receive_webhook(
    uow: UnitOfWork, actor: Actor, provider_name: str, headers: Mapping[str, str], body: bytes, now: datetime
) -> WebhookReceipt:
    """Verify, deduplicate and apply one webhook of `provider_name`.

    Raises:
        NotFound: no such provider (the API answers 404).
        InvalidSignature: missing, wrong or stale signature (401; nothing written).
        MalformedWebhook: signed, but not an event we can read (400; nothing written).
        WebhookMismatch: amount or currency differ from the payment's (refused and alerted).
    """
    payments = uow.context.payments
    if not payments.known(provider_name):
        raise NotFound(f"Unknown payment provider {provider_name!r}.")
    event = payments.get(provider_name).parse_webhook(headers, body, now)
    try:
        if event.transaction.direction == PaymentDirection.PAYOUT:
            return _apply_payout(uow, provider_name, event, now)
        return _apply(uow, actor, provider_name, event, now)
    except WebhookMismatch as err:
        _alert_mismatch(uow, actor, provider_name, event, err, now)
        raise
    except IntegrityError:  # the same event delivered twice at once: the other delivery applied it
        return WebhookReceipt(event.event_id, "duplicate")


def _apply(
    uow: UnitOfWork, actor: Actor, provider: str, event: WebhookEvent, now: datetime
) -> WebhookReceipt:
    with uow:
        s = uow.session
        if _seen(uow, provider, event.event_id):
            return WebhookReceipt(event.event_id, "duplicate")
        found = _attempt_of(uow, provider, event)
        outcome, status, payment_id = WebhookOutcome.IGNORED, "", None
        if found is not None:
            payment, attempt = found
            applied = settlement.apply_in(
                uow, actor, payment, attempt, event.transaction, now, sequence=event.sequence
            )
            outcome = WebhookOutcome.APPLIED if applied.changed else WebhookOutcome.IGNORED
            status, payment_id = applied.status.value, applied.payment_id
        s.add(
            PaymentWebhookEvent(
                provider=provider,
                event_id=event.event_id,
                event_type=event.event_type[:64],
                payment_id=payment_id,
                outcome=outcome,
                received_at=now,
            )
        )
        s.flush()
        uow.commit()
        return WebhookReceipt(event.event_id, outcome.value, status)


def _seen(uow: UnitOfWork, provider: str, event_id: str) -> bool:
    return (
        uow.session.exec(
            select(PaymentWebhookEvent.id).where(
                PaymentWebhookEvent.provider == provider, PaymentWebhookEvent.event_id == event_id
            )
        ).first()
        is not None
    )


def _apply_payout(uow: UnitOfWork, provider: str, event: WebhookEvent, now: datetime) -> WebhookReceipt:
    """A payout's event goes to the payouts' own state machine (idempotent by itself), then is recorded."""
    with uow.reader() as r:
        if _seen(r, provider, event.event_id):
            return WebhookReceipt(event.event_id, "duplicate")
    applied = payouts.apply_provider_update(uow, provider, event.transaction, now)
    outcome = WebhookOutcome.APPLIED if applied else WebhookOutcome.IGNORED
    with uow:
        uow.session.add(
            PaymentWebhookEvent(
                provider=provider,
                event_id=event.event_id,
                event_type=event.event_type[:64],
                outcome=outcome,
                received_at=now,
            )
        )
        uow.commit()
    return WebhookReceipt(event.event_id, outcome.value)


def _attempt_of(uow: UnitOfWork, provider: str, event: WebhookEvent) -> tuple[Payment, PaymentAttempt] | None:
    """The deposit attempt the event is about (None: not a deposit of ours; it is recorded, ignored)."""
    tx = event.transaction
    if tx.direction != PaymentDirection.DEPOSIT:
        return None
    row = uow.session.exec(
        select(Payment, PaymentAttempt)
        .join(PaymentAttempt, PaymentAttempt.payment_id == Payment.id)  # type: ignore[arg-type]
        .where(PaymentAttempt.attempt_id == tx.attempt_id, PaymentAttempt.provider == provider)
    ).first()
    return (row[0], row[1]) if row is not None else None


def _alert_mismatch(
    uow: UnitOfWork, actor: Actor, provider: str, event: WebhookEvent, err: WebhookMismatch, now: datetime
) -> None:
    with uow:
        s = uow.session
        raise_alert(
            s, MISMATCH_ALERT, "critical", f"Webhook {event.event_id} from {provider}: {err.message}", now
        )
        audit.record(
            s,
            actor=actor.audit_name,
            action="payment.webhook_refused",
            subject=f"payment_attempt:{event.transaction.attempt_id}",
            details={
                "provider": provider,
                "event_id": event.event_id,
                "reported_amount_minor": event.transaction.amount_minor,
                "reported_currency": event.transaction.currency,
                "reason": "amount or currency differ from the payment",
            },
            now=now,
        )
        uow.commit()
