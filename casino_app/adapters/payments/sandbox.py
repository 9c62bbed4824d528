"""Our sandbox payment service (`casino_app/payments_sandbox`) as a `PaymentProvider`, over HTTP.

Webhooks carry `Sandbox-Signature: t=<unix>,v1=<HMAC-SHA256 of "{t}.{raw body}">`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from casino_app.adapters.payments.http import Answer, HttpPolicy, ProviderHttp
from casino_app.domain.errors import NotFound
from casino_app.domain.payments import signatures
from casino_app.domain.payments.errors import (
    HardDecline,
    MalformedWebhook,
    ProviderUnavailable,
    SoftDecline,
)
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

SIGNATURE_HEADER = "sandbox-signature"
FAULT_HEADER = "X-Sandbox-Fault"
ALL_METHODS = frozenset(PaymentMethodKind)


@dataclass
class SandboxProvider:
    """One sandbox service; register several under different names to have fallbacks."""

    base_url: str
    api_key: str
    webhook_secret: str
    name: str = "sandbox"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(ALL_METHODS))
    policy: HttpPolicy = field(default_factory=HttpPolicy)
    transport: httpx.BaseTransport | None = None
    _http: ProviderHttp | None = None

    @property
    def http(self) -> ProviderHttp:
        if self._http is None:
            self._http = ProviderHttp(
                self.name,
                self.base_url.rstrip("/"),
                {"Authorization": f"Bearer {self.api_key}", "User-Agent": "kasyno-lotto"},
                self.policy,
                self.transport,
            )
        return self._http

    def create_deposit(self, request: DepositRequest) -> DepositCreated:
        body = {
            "order_id": request.order_id,
            "attempt_id": request.attempt_id,
            "amount_minor": request.amount_minor,
            "currency": request.currency,
            "method": request.method.value,
            "country": request.country,
            "customer_ref": request.customer_ref,
            "customer_name": request.customer_name,
            "return_url": request.return_url,
        }
        if request.card_token:
            body["card_token"] = request.card_token
        data = _ok(self.http.post("/v1/deposits", body, request.attempt_id, _faults(request.fault)))
        return DepositCreated(
            str(data["id"]), _status(data), str(data.get("redirect_url") or ""), _card(data.get("card"))
        )

    def payout(self, request: PayoutRequest) -> ProviderResult:
        body = {
            "payout_id": request.payout_id,
            "attempt_id": request.attempt_id,
            "amount_minor": request.amount_minor,
            "currency": request.currency,
            "method": request.method.value,
            "destination": request.destination,
            "customer_ref": request.customer_ref,
        }
        data = _ok(self.http.post("/v1/payouts", body, request.attempt_id, _faults(request.fault)))
        return ProviderResult(str(data["id"]), _status(data))

    def refund(self, request: RefundRequest) -> ProviderResult:
        body = {
            "refund_id": request.refund_id,
            "provider_reference": request.provider_reference,
            "amount_minor": request.amount_minor,
            "currency": request.currency,
        }
        data = _ok(self.http.post("/v1/refunds", body, request.refund_id))
        return ProviderResult(str(data["id"]), _status(data))

    def status(self, attempt_id: str) -> ProviderTransaction:
        answer = self.http.get(f"/v1/attempts/{attempt_id}")
        if answer.status == 404:
            raise NotFound(f"{self.name} never saw attempt {attempt_id}.")
        return transaction_of(_ok(answer))

    def transactions(self, since: datetime, until: datetime) -> Sequence[ProviderTransaction]:
        params = {"since": str(since.timestamp()), "until": str(until.timestamp())}
        data = _ok(self.http.get("/v1/transactions", params))
        return [transaction_of(t) for t in data.get("data", [])]

    def parse_webhook(self, headers: Mapping[str, str], body: bytes, now: datetime) -> WebhookEvent:
        lowered = {k.lower(): v for k, v in headers.items()}
        signatures.verify(self.webhook_secret, lowered.get(SIGNATURE_HEADER, ""), body, now.timestamp())
        try:
            event = json.loads(body)
            return WebhookEvent(
                event_id=_text(event["id"]),
                event_type=_text(event["type"]),
                sequence=int(event["sequence"]),
                transaction=transaction_of(event["data"]),
                created_at=_when(event["created"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise MalformedWebhook("The webhook body is not a sandbox event.") from None


def _faults(fault: str) -> dict[str, str] | None:
    return {FAULT_HEADER: fault} if fault else None


def _ok(answer: Answer) -> dict[str, Any]:
    """The body of a 2xx; a 402 is a decline (soft or hard), anything else a provider error."""
    if 200 <= answer.status < 300:
        return answer.body
    error = answer.body.get("error") or {}
    message = str(error.get("message") or "The payment was declined.")
    if answer.status == 402:
        raise (SoftDecline if error.get("decline") == "soft" else HardDecline)(message)
    raise ProviderUnavailable(f"The provider refused the request ({answer.status}): {message}")


def _status(data: Mapping[str, Any]) -> str:
    status = str(data.get("status"))
    if status not in {"pending", "succeeded", "declined"}:
        raise ProviderUnavailable(f"Unknown payment status {status!r}.")
    return status


def _text(value: object, limit: int = 128) -> str:
    if not isinstance(value, str) or not value or len(value) > limit:
        raise ValueError("not a short string")
    return value


def _when(value: object) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("not a unix time")
    return datetime.fromtimestamp(float(value), UTC)


def _card(data: object) -> CardOnFile | None:
    if not isinstance(data, dict):
        return None
    last4 = str(data.get("last4", ""))
    if not (last4.isdigit() and len(last4) == 4):
        raise ValueError("a card's last four digits")
    return CardOnFile(
        token=_text(data.get("token")),
        brand=_text(data.get("brand"), 16),
        last4=last4,
        exp_month=int(data["exp_month"]),
        exp_year=int(data["exp_year"]),
        holder_name_match=bool(data.get("holder_name_match")),
    )


def transaction_of(data: Mapping[str, Any]) -> ProviderTransaction:
    """A sandbox transaction as the port's `ProviderTransaction` (raises ValueError/KeyError)."""
    amount = data["amount_minor"]
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError("amount_minor")
    return ProviderTransaction(
        provider_reference=_text(data["id"]),
        attempt_id=_text(data["attempt_id"]),
        order_id=str(data.get("order_id") or "")[:64],
        direction=PaymentDirection(data["direction"]),
        status=_status(data),
        amount_minor=amount,
        currency=_text(data["currency"], 3),
        occurred_at=_when(data.get("updated") or data["created"]),
        decline_reason=str(data.get("decline_reason") or "")[:255],
        card=_card(data.get("card")),
    )
