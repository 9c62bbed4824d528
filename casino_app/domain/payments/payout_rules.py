"""Payouts of withdrawals: who approves, which provider pays, and the payout's status machine.

A withdrawal's cash is on hold from the request. Below the configured threshold it is approved
at once (`auto_approves`); otherwise it waits in the finance queue for an operator. An approved
withdrawal becomes a payout, which the player can no longer reverse; it is paid through the
method the player deposited with (`payout_order`), and only a provider's confirmation moves the
hold out of the platform. A payout every provider refused returns the hold to the player's cash.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from casino_app.domain.payments.vocabulary import PaymentMethodKind
from casino_app.domain.vocabulary import Transitions


class PayoutStatus(StrEnum):
    APPROVED = "approved"  # decided; not yet accepted by a provider (or its answer is unknown)
    SENT = "sent"  # a provider accepted it and will confirm it (webhook or status poll)
    PAID = "paid"  # the provider confirmed it: the hold left the platform
    FAILED = "failed"  # every provider refused it: the hold went back to the player's cash


PAYOUT_TRANSITIONS: Transitions[PayoutStatus] = Transitions(
    "payout",
    {
        PayoutStatus.APPROVED: frozenset({PayoutStatus.SENT, PayoutStatus.PAID, PayoutStatus.FAILED}),
        PayoutStatus.SENT: frozenset({PayoutStatus.PAID, PayoutStatus.FAILED, PayoutStatus.APPROVED}),
    },
)


@dataclass(frozen=True)
class DepositMethod:
    """A method the player deposited with: where a payout goes back to."""

    provider: str
    method: PaymentMethodKind
    destination: str  # the card token, bank reference or e-wallet account the deposit came from


def auto_approves(amount_minor: int, threshold_minor: int) -> bool:
    """A withdrawal strictly below the threshold needs no operator (0 turns auto-approval off)."""
    return 0 < amount_minor < threshold_minor


def payout_order(preferred: DepositMethod, routed: Sequence[str]) -> tuple[str, ...]:
    """Providers to try for a payout to `preferred`: the one the deposit came through, then the
    router's fallbacks for that method, each once."""
    ordered = [preferred.provider, *routed]
    return tuple(dict.fromkeys(name for name in ordered if name))


def attempt_id(payout_id: int, attempt: int) -> str:
    """The Idempotency-Key of one provider call for a payout (a failover takes the next number)."""
    return f"payout-{payout_id}-{attempt}"
