"""The demo's test cards, in process: a card on file that always approves and one that declines.

Registered by the wiring only in demo mode (no real money moves; `make run` and the tests), so
the seed and the demo can deposit without the sandbox service. It has no hosted page and sends
no webhooks: its charges are final when they return.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from casino_app.domain.errors import NotFound
from casino_app.domain.payments.errors import HardDecline, InvalidSignature
from casino_app.domain.payments.ports import (
    Capabilities,
    CardOnFile,
    DepositCreated,
    DepositRequest,
    PayoutRequest,
    ProviderResult,
    ProviderTransaction,
    RefundRequest,
    WebhookEvent,
)
from casino_app.domain.payments.vocabulary import PaymentDirection, PaymentMethodKind

APPROVE_TOKEN = "tok_sandbox_visa_4242"
DECLINE_TOKEN = "tok_sandbox_visa_0002"
_CARDS = {
    APPROVE_TOKEN: (CardOnFile(APPROVE_TOKEN, "visa", "4242", 12, 2034, True), "Demo Visa •••• 4242"),
    DECLINE_TOKEN: (
        CardOnFile(DECLINE_TOKEN, "visa", "0002", 12, 2034, True),
        "Demo Visa •••• 0002 (always declines)",
    ),
}


@dataclass
class DemoCardProvider:
    name: str = "demo"
    capabilities: Capabilities = field(
        default_factory=lambda: Capabilities(frozenset({PaymentMethodKind.CARD}), hosted=False)
    )
    _done: dict[str, ProviderTransaction] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def test_cards(self) -> Sequence[tuple[CardOnFile, str]]:
        return list(_CARDS.values())

    def _reference(self, attempt_id: str) -> str:
        return "demo_" + hashlib.sha256(attempt_id.encode()).hexdigest()[:20]

    def create_deposit(self, request: DepositRequest) -> DepositCreated:
        if request.card_token == DECLINE_TOKEN:
            raise HardDecline("Card declined by the issuer.")
        if request.card_token != APPROVE_TOKEN:
            raise HardDecline("Unknown payment method.")
        reference = self._reference(request.attempt_id)
        tx = ProviderTransaction(
            reference,
            request.attempt_id,
            request.order_id,
            PaymentDirection.DEPOSIT,
            "succeeded",
            request.amount_minor,
            request.currency,
            datetime.now(UTC),
        )
        with self._lock:
            self._done[request.attempt_id] = tx
        return DepositCreated(reference, "succeeded")  # its cards are on file already: none to keep

    def payout(self, request: PayoutRequest) -> ProviderResult:
        reference = self._reference(request.attempt_id)
        tx = ProviderTransaction(
            reference,
            request.attempt_id,
            request.payout_id,
            PaymentDirection.PAYOUT,
            "succeeded",
            request.amount_minor,
            request.currency,
            datetime.now(UTC),
        )
        with self._lock:
            self._done[request.attempt_id] = tx
        return ProviderResult(reference, "succeeded")

    def refund(self, request: RefundRequest) -> ProviderResult:
        return ProviderResult(self._reference(request.refund_id), "succeeded")

    def status(self, attempt_id: str) -> ProviderTransaction:
        with self._lock:
            tx = self._done.get(attempt_id)
        if tx is None:
            raise NotFound(f"The demo provider never saw attempt {attempt_id}.")
        return tx

    def transactions(self, since: datetime, until: datetime) -> Sequence[ProviderTransaction]:
        with self._lock:
            return [t for t in self._done.values() if since <= t.occurred_at < until]

    def parse_webhook(self, headers: Mapping[str, str], body: bytes, now: datetime) -> WebhookEvent:
        raise InvalidSignature("The demo provider sends no webhooks.")
