"""A sandbox payment provider: deterministic outcomes per test token, no network.

The wiring registers it by its `name`; nothing else builds one.
"""

from __future__ import annotations

import hashlib

from casino_app.domain.payments.ports import ChargeRequest, ChargeResult, PaymentMethod
from casino_app.domain.payments.vocabulary import PaymentStatus

APPROVE_TOKEN = "tok_sandbox_visa_4242"
DECLINE_TOKEN = "tok_sandbox_visa_0002"


class SandboxProvider:
    """Approves the 4242 test card and declines the 0002 one, as card sandboxes do."""

    name = "sandbox"

    def methods(self) -> list[PaymentMethod]:
        return [
            PaymentMethod(APPROVE_TOKEN, "Sandbox Visa •••• 4242"),
            PaymentMethod(DECLINE_TOKEN, "Sandbox Visa •••• 0002 (always declines)"),
        ]

    def charge(self, request: ChargeRequest) -> ChargeResult:
        reference = "sbx_" + hashlib.sha256(request.attempt_id.encode()).hexdigest()[:20]
        if request.method_token == APPROVE_TOKEN:
            return ChargeResult(PaymentStatus.APPROVED, reference)
        if request.method_token == DECLINE_TOKEN:
            return ChargeResult(PaymentStatus.DECLINED, reference, "Card declined by the issuer.")
        return ChargeResult(PaymentStatus.DECLINED, reference, "Unknown payment method.")
