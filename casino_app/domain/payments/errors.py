"""Typed errors of payment providers and webhooks (each with a stable `code`).

A provider adapter raises these; the deposit flow decides what they mean: a `SoftDecline`,
`ProviderTimeout` or `ProviderUnavailable` fails over to the next provider with a new attempt
id, a `HardDecline` stops. Webhook errors leave nothing written.
"""

from __future__ import annotations

from casino_app.domain.errors import DomainError, InvalidInput, PaymentDeclined


class ProviderError(DomainError):
    """The provider could not give an answer; the outcome of the call is unknown."""

    code = "payment_provider_error"


class ProviderTimeout(ProviderError):
    code = "payment_provider_timeout"


class ProviderUnavailable(ProviderError):
    """5xx, a refused connection, or an answer we cannot read."""

    code = "payment_provider_unavailable"


class SoftDecline(PaymentDeclined):
    """Declined for a reason another provider may not have (issuer busy, risk rules, limits)."""

    code = "payment_soft_declined"


class HardDecline(PaymentDeclined):
    """Declined for good (stolen card, closed account, insufficient funds): never retried."""

    code = "payment_hard_declined"


class NoPaymentRoute(InvalidInput):
    """No provider serves this method in this currency and country."""

    code = "payment_method_unavailable"


class InvalidSignature(DomainError):
    """A webhook's signature is missing, wrong or too old: answered 401, nothing written."""

    code = "invalid_signature"


class MalformedWebhook(InvalidInput):
    """A correctly signed webhook whose body we cannot read."""

    code = "malformed_webhook"


class WebhookMismatch(DomainError):
    """A webhook's amount or currency differs from the payment's: refused and alerted."""

    code = "webhook_mismatch"
