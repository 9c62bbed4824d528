"""A Stripe-compatible card provider over HTTP: PaymentIntents, refunds, listing, signed webhooks.

Speaks Stripe's REST API (form-encoded requests, Bearer secret key, `Idempotency-Key` on every
write) to `api_url`: api.stripe.com in production, `localstripe` in the tests. A card reaches
us only as a PaymentMethod id that Stripe.js made in the player's browser (`card_token`), so
deposits are direct charges of that token (`capabilities.hosted` is False: a deposit without a
token is refused before any call).

Not served here: payouts to players. Stripe's Payouts API pays the platform's own balance to
its own bank account; paying a player needs Stripe Connect, which this adapter does not use, so
`payout` raises `ProviderUnavailable` and the withdrawal goes to the next provider.

Webhooks carry `Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">`,
verified first by `domain/payments/signatures.verify` (300 s tolerance, constant-time compare);
only PaymentIntent and refund events are parsed (configure the endpoint to send only those).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx

from casino_app.adapters.payments.http import HttpPolicy, ProviderHttp
from casino_app.domain.errors import InvalidInput, NotFound
from casino_app.domain.payments import signatures
from casino_app.domain.payments.errors import (
    HardDecline,
    MalformedWebhook,
    ProviderTimeout,
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

STRIPE_VERSION = "2024-06-20"
PAGE_SIZE = 100

# Stripe decline codes another acquirer may well accept (issuer busy, velocity or risk rules);
# every other decline (stolen, lost, closed, fraud, plain card_declined) is final.
SOFT_DECLINE_CODES = frozenset(
    {
        "approve_with_id",
        "issuer_not_available",
        "processing_error",
        "reenter_transaction",
        "try_again_later",
        "call_issuer",
        "do_not_honor",
        "generic_decline",
        "card_velocity_exceeded",
    }
)

# Stripe's test PaymentMethods (docs.stripe.com/testing): one charges, one is declined at charge.
TEST_APPROVE = "pm_card_visa"
TEST_DECLINE = "pm_card_chargeCustomerFail"
TEST_CARDS: tuple[tuple[CardOnFile, str], ...] = (
    (CardOnFile(TEST_APPROVE, "visa", "4242", 12, 2030, False), "Stripe test Visa •••• 4242"),
    (CardOnFile(TEST_DECLINE, "visa", "0341", 12, 2030, False), "Stripe test Visa •••• 0341 (declines)"),
)

# Where each event type sits in a transaction's life (later events win; see WebhookEvent).
EVENT_SEQUENCE = {
    "payment_intent.created": 1,
    "payment_intent.requires_action": 2,
    "payment_intent.processing": 2,
    "payment_intent.succeeded": 3,
    "payment_intent.payment_failed": 3,
    "payment_intent.canceled": 3,
    "refund.created": 1,
    "refund.updated": 2,
    "charge.refund.updated": 2,
    "refund.failed": 3,
}


class StripeProvider:
    """The Stripe adapter; one instance per process (it holds a pooled httpx client)."""

    name = "stripe"

    def __init__(
        self,
        api_url: str,
        api_key: str,
        webhook_secret: str,
        *,
        currencies: frozenset[str] = frozenset({"EUR", "GBP", "USD", "PLN", "SEK", "CAD"}),
        policy: HttpPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not api_key or not webhook_secret:
            raise ValueError("The Stripe adapter needs a secret API key and a webhook signing secret.")
        self.capabilities = Capabilities(
            methods=frozenset({PaymentMethodKind.CARD}), currencies=currencies, hosted=False
        )
        self._secret = webhook_secret
        self._test_mode = api_key.startswith("sk_test_")
        self.http = ProviderHttp(
            self.name,
            api_url.rstrip("/"),
            {"Authorization": f"Bearer {api_key}", "Stripe-Version": STRIPE_VERSION},
            policy or HttpPolicy(read_timeout=10.0),
            transport,
        )

    def close(self) -> None:
        self.http.close()

    def test_cards(self) -> Sequence[tuple[CardOnFile, str]]:
        """Stripe's published test PaymentMethods, offered as cards on file with a test key only."""
        return TEST_CARDS if self._test_mode else ()

    # --- deposits -------------------------------------------------------------------------

    def create_deposit(self, request: DepositRequest) -> DepositCreated:
        """Charge the Stripe.js PaymentMethod at once (confirm=true); idempotent on `attempt_id`.

        Raises:
            InvalidInput: no card token (Stripe deposits are direct charges of a tokenized card).
            SoftDecline, HardDecline: the charge was declined (see `SOFT_DECLINE_CODES`).
            ProviderTimeout, ProviderUnavailable: no answer; the outcome is unknown.
        """
        if not request.card_token:
            raise InvalidInput("A Stripe deposit needs a card tokenized by Stripe.js.")
        form = {
            "amount": str(request.amount_minor),
            "currency": request.currency.lower(),
            "payment_method": request.card_token,
            "confirm": "true",
            "metadata[order_id]": request.order_id,
            "metadata[attempt_id]": request.attempt_id,
            "metadata[customer_ref]": request.customer_ref,
        }
        intent = self._post("/v1/payment_intents", form, request.attempt_id)
        status = _transaction_status(intent)
        if status == "declined":
            _raise_decline(intent.get("last_payment_error") or {})
        return DepositCreated(
            provider_reference=str(intent["id"]),
            status="succeeded" if status == "succeeded" else "pending",
            redirect_url=_redirect_of(intent),
            card=self._card(str(intent.get("payment_method") or ""), request.customer_name),
        )

    def _card(self, payment_method: str, customer_name: str) -> CardOnFile | None:
        """Brand, last 4, expiry and whether the billing name is the player's (no number ever)."""
        if not payment_method:
            return None
        try:
            found = self._get(f"/v1/payment_methods/{payment_method}")
        except (NotFound, ProviderUnavailable, ProviderTimeout):
            return None  # the charge stands; only the card's label is missing
        card = found.get("card") or {}
        holder = str((found.get("billing_details") or {}).get("name") or "")
        return CardOnFile(
            token=payment_method,
            brand=str(card.get("brand", ""))[:16],
            last4=str(card.get("last4", ""))[:4],
            exp_month=int(card.get("exp_month") or 0),
            exp_year=int(card.get("exp_year") or 0),
            holder_name_match=bool(holder) and _same_name(holder, customer_name),
        )

    # --- money out ------------------------------------------------------------------------

    def payout(self, request: PayoutRequest) -> ProviderResult:
        """Not served: paying a player through Stripe needs Connect (see the module docstring)."""
        raise ProviderUnavailable("Stripe pays no players here; the payout goes to another provider.")

    def refund(self, request: RefundRequest) -> ProviderResult:
        """Refund (part of) a PaymentIntent; idempotent on `refund_id`."""
        form = {
            "payment_intent": request.provider_reference,
            "amount": str(request.amount_minor),
            "metadata[refund_id]": request.refund_id,
        }
        refund = self._post("/v1/refunds", form, request.refund_id)
        status = "succeeded" if refund.get("status") == "succeeded" else "pending"
        return ProviderResult(str(refund["id"]), status)

    # --- what Stripe knows ----------------------------------------------------------------

    def status(self, attempt_id: str) -> ProviderTransaction:
        """The PaymentIntent made for `attempt_id` (by its metadata).

        Raises:
            NotFound: Stripe never saw the attempt (the create call never reached it).
        """
        for intent in self._intents_of_attempt(attempt_id):
            return _intent_transaction(intent)
        raise NotFound(f"Stripe has no payment for attempt {attempt_id!r}.")

    def _intents_of_attempt(self, attempt_id: str) -> Iterator[dict[str, Any]]:
        query = f"metadata['attempt_id']:'{attempt_id}'"
        try:
            found = self._get("/v1/payment_intents/search", {"query": query, "limit": "10"})
            yield from found.get("data") or []
            return
        except NotFound:
            pass  # no search API (localstripe): scan the list instead
        for intent in self._list("/v1/payment_intents"):
            if (intent.get("metadata") or {}).get("attempt_id") == attempt_id:
                yield intent

    def transactions(self, since: datetime, until: datetime) -> Sequence[ProviderTransaction]:
        """Every PaymentIntent and refund created in [since, until), for reconciliation."""
        lo, hi = since.timestamp(), until.timestamp()
        found = [_intent_transaction(i) for i in self._list("/v1/payment_intents") if lo <= i["created"] < hi]
        refunds = self._list("/v1/refunds")
        found += [_refund_transaction(r) for r in refunds if lo <= r["created"] < hi]
        return found

    # --- webhooks -------------------------------------------------------------------------

    def parse_webhook(self, headers: Mapping[str, str], body: bytes, now: datetime) -> WebhookEvent:
        """Verify `Stripe-Signature`, then parse a PaymentIntent or refund event.

        Raises:
            InvalidSignature: missing, wrong or older than 300 s (nothing may be written).
            MalformedWebhook: signed, but not JSON or not an event about a payment.
        """
        signatures.verify(self._secret, _header(headers, "stripe-signature"), body, now.timestamp())
        try:
            event = json.loads(body)
            obj = event["data"]["object"]
            kind = str(event["type"])
            created = datetime.fromtimestamp(int(event["created"]), UTC)
            event_id = str(event["id"])
        except (ValueError, KeyError, TypeError) as err:
            raise MalformedWebhook(f"Not a Stripe event: {err}") from None
        if kind not in EVENT_SEQUENCE or not isinstance(obj, dict):
            raise MalformedWebhook(f"Stripe event {kind!r} is not about a payment or a refund.")
        transaction = _refund_transaction(obj) if kind.startswith(("refund.", "charge.refund")) else None
        return WebhookEvent(
            event_id=event_id,
            event_type=kind,
            sequence=EVENT_SEQUENCE[kind],
            transaction=transaction or _intent_transaction(obj),
            created_at=created,
        )

    # --- HTTP -----------------------------------------------------------------------------

    def _post(self, path: str, form: dict[str, str], idempotency_key: str) -> dict[str, Any]:
        """A form-encoded write (Stripe takes no JSON) under `idempotency_key`; not retried here:
        a timed-out write has an unknown outcome, and the caller decides (failover, status poll)."""
        try:
            response = self.http.client().post(path, data=form, headers={"Idempotency-Key": idempotency_key})
        except httpx.TimeoutException:
            raise ProviderTimeout(f"Stripe did not answer POST {path} in time.") from None
        except httpx.TransportError as err:
            raise ProviderUnavailable(f"Stripe is unreachable: {type(err).__name__}.") from None
        return _checked(path, response.status_code, _json(response))

    def _get(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        """A read, retried with backoff and jitter by the shared client."""
        answer = self.http.get(path, params)
        return _checked(path, answer.status, answer.body)

    def _list(self, path: str) -> Iterator[dict[str, Any]]:
        """Every object of a list endpoint, page by page (`starting_after`)."""
        params = {"limit": str(PAGE_SIZE)}
        while True:
            page = self._get(path, params)
            data = page.get("data") or []
            yield from data
            if not page.get("has_more") or not data:
                return
            params = {"limit": str(PAGE_SIZE), "starting_after": str(data[-1]["id"])}


def _checked(path: str, status: int, body: dict[str, Any]) -> dict[str, Any]:
    """The body of a 2xx; a 402 is a decline, a 404 `NotFound`, anything else a provider error."""
    if status == 402:
        error = body.get("error") or {}
        intent = error.get("payment_intent") or {}
        _raise_decline(intent.get("last_payment_error") or error)
    if status == 404:
        raise NotFound(f"Stripe has no {path}.")
    if status >= 400:
        message = (body.get("error") or {}).get("message") or "no message"
        raise ProviderUnavailable(f"Stripe answered {status}: {message}")
    return body


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


def _json(response: httpx.Response) -> dict[str, Any]:
    if response.status_code >= 500:
        raise ProviderUnavailable(f"Stripe answered {response.status_code}.")
    try:
        body = response.json()
    except ValueError:
        raise ProviderUnavailable(f"Stripe answered {response.status_code} with no JSON.") from None
    if not isinstance(body, dict):
        raise ProviderUnavailable("Stripe answered with something other than an object.")
    return body


def _raise_decline(error: Mapping[str, Any]) -> None:
    code = str(error.get("decline_code") or error.get("code") or "card_declined")
    message = str(error.get("message") or "The card was declined.")
    if code in SOFT_DECLINE_CODES:
        raise SoftDecline(message)
    raise HardDecline(message)


def _transaction_status(intent: Mapping[str, Any]) -> str:
    status = intent.get("status")
    if status == "succeeded":
        return "succeeded"
    if status == "canceled" or (status == "requires_payment_method" and intent.get("last_payment_error")):
        return "declined"
    return "pending"


def _redirect_of(intent: Mapping[str, Any]) -> str:
    action = intent.get("next_action") or {}
    return str((action.get("redirect_to_url") or {}).get("url") or "")


def _when(epoch: Any) -> datetime:
    return datetime.fromtimestamp(int(epoch or 0), UTC)


def _intent_transaction(intent: Mapping[str, Any]) -> ProviderTransaction:
    metadata = intent.get("metadata") or {}
    error = intent.get("last_payment_error") or {}
    return ProviderTransaction(
        provider_reference=str(intent.get("id", "")),
        attempt_id=str(metadata.get("attempt_id", "")),
        order_id=str(metadata.get("order_id", "")),
        direction=PaymentDirection.DEPOSIT,
        status=_transaction_status(intent),
        amount_minor=int(intent.get("amount") or 0),
        currency=str(intent.get("currency", "")).upper(),
        occurred_at=_when(intent.get("created")),
        decline_reason=str(error.get("message") or ""),
    )


def _refund_transaction(refund: Mapping[str, Any]) -> ProviderTransaction:
    metadata = refund.get("metadata") or {}
    status = {"succeeded": "succeeded", "failed": "declined", "canceled": "declined"}.get(
        str(refund.get("status")), "pending"
    )
    return ProviderTransaction(
        provider_reference=str(refund.get("id", "")),
        attempt_id=str(metadata.get("refund_id", "")),
        order_id=str(metadata.get("refund_id", "")),
        direction=PaymentDirection.REFUND,
        status=status,
        amount_minor=int(refund.get("amount") or 0),
        currency=str(refund.get("currency", "")).upper(),
        occurred_at=_when(refund.get("created")),
    )
