"""Webhook signatures: HMAC-SHA256 over "{timestamp}.{raw body}", checked in constant time.

The header reads `t=<unix seconds>,v1=<hex digest>[,v1=<hex digest>]` (Stripe's layout, so the
Stripe-compatible adapter verifies with the same function). Several `v1` values let a provider
rotate its secret. Verification comes before anything else reads the body.
"""

from __future__ import annotations

import hashlib
import hmac

from casino_app.domain.payments.errors import InvalidSignature

TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of "{timestamp}.{body}" under `secret`."""
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def _parse(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    digests: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif key == "v1" and value:
            digests.append(value)
    if timestamp is None or not digests:
        raise InvalidSignature("The webhook signature header is missing or malformed.")
    return timestamp, digests


def verify(
    secret: str, header: str, body: bytes, now_epoch: float, tolerance: int = TOLERANCE_SECONDS
) -> int:
    """Check `header` against `body`; return its timestamp.

    Raises:
        InvalidSignature: no header, no matching digest, or a timestamp more than `tolerance`
            seconds away from now (a replay of an old, correctly signed request).
    """
    if not secret:
        raise InvalidSignature("No webhook secret is configured for this provider.")
    timestamp, digests = _parse(header or "")
    expected = signature(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, d) for d in digests):
        raise InvalidSignature("The webhook signature does not match.")
    if abs(now_epoch - timestamp) > tolerance:
        raise InvalidSignature("The webhook signature is too old (or from the future).")
    return timestamp
