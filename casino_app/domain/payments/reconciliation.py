"""Reconciliation: what a provider says it moved against what our ledger moved, order by order.

Only confirmed money counts on either side: a provider's succeeded transactions, and the
ledger's deposit credits and payout debits. Each difference becomes a `Mismatch` carrying both
sides as evidence, for an operator to resolve; the comparison itself is pure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from casino_app.domain.payments.ports import ProviderTransaction
from casino_app.domain.payments.vocabulary import PaymentDirection
from casino_app.domain.vocabulary import Transitions


class MismatchKind(StrEnum):
    MISSING_IN_LEDGER = "missing_in_ledger"  # the provider moved money the ledger never booked
    MISSING_AT_PROVIDER = "missing_at_provider"  # the ledger booked money the provider never moved
    AMOUNT = "amount_mismatch"
    CURRENCY = "currency_mismatch"
    DUPLICATE_AT_PROVIDER = "duplicate_at_provider"  # two provider successes for one order


class ItemStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


ITEM_TRANSITIONS: Transitions[ItemStatus] = Transitions(
    "reconciliation item", {ItemStatus.OPEN: frozenset({ItemStatus.RESOLVED})}
)


@dataclass(frozen=True)
class LedgerMovement:
    """One ledger transaction that moved money through a provider's clearing account."""

    direction: PaymentDirection
    order_id: str
    provider: str
    amount_minor: int
    currency: str
    transaction_id: int
    occurred_at: datetime


@dataclass(frozen=True)
class Mismatch:
    kind: MismatchKind
    provider: str
    order_id: str
    provider_reference: str
    evidence: dict[str, Any] = field(default_factory=dict)


def compare(
    provider: str,
    reported: Iterable[ProviderTransaction],
    booked: Iterable[LedgerMovement],
    window: tuple[datetime, datetime],
) -> list[Mismatch]:
    """Every difference between the provider's succeeded transactions and the ledger's movements.

    `reported` may reach beyond `window` (so that a credit booked just after the provider's
    timestamp still finds its match); an order is judged when either side of it falls in the window.
    """
    moved = _by_order(t for t in reported if t.status == "succeeded")
    ledger = _by_order_movements(m for m in booked if m.provider == provider)
    since, until = window
    found: list[Mismatch] = []
    for key in sorted(set(moved) | set(ledger)):
        theirs, ours = moved.get(key, []), ledger.get(key, [])
        times = [t.occurred_at for t in theirs] + [m.occurred_at for m in ours]
        if any(since <= at < until for at in times):
            found += _judge(provider, key, theirs, ours)
    return found


def _by_order(items: Iterable[ProviderTransaction]) -> dict[tuple[str, str], list[ProviderTransaction]]:
    grouped: dict[tuple[str, str], list[ProviderTransaction]] = defaultdict(list)
    for t in items:
        grouped[(t.direction.value, t.order_id)].append(t)
    return grouped


def _by_order_movements(items: Iterable[LedgerMovement]) -> dict[tuple[str, str], list[LedgerMovement]]:
    grouped: dict[tuple[str, str], list[LedgerMovement]] = defaultdict(list)
    for m in items:
        grouped[(m.direction.value, m.order_id)].append(m)
    return grouped


def _judge(
    provider: str,
    key: tuple[str, str],
    theirs: Sequence[ProviderTransaction],
    ours: Sequence[LedgerMovement],
) -> list[Mismatch]:
    order_id = key[1]
    reference = theirs[0].provider_reference if theirs else ""
    evidence = {
        "direction": key[0],
        "provider": [_theirs(t) for t in theirs],
        "ledger": [_ours(m) for m in ours],
    }
    if not ours:
        return [Mismatch(MismatchKind.MISSING_IN_LEDGER, provider, order_id, reference, evidence)]
    if not theirs:
        return [Mismatch(MismatchKind.MISSING_AT_PROVIDER, provider, order_id, "", evidence)]
    if len(theirs) > len(ours):
        return [Mismatch(MismatchKind.DUPLICATE_AT_PROVIDER, provider, order_id, reference, evidence)]
    if {t.currency for t in theirs} != {m.currency for m in ours}:
        return [Mismatch(MismatchKind.CURRENCY, provider, order_id, reference, evidence)]
    if sum(t.amount_minor for t in theirs) != sum(m.amount_minor for m in ours):
        return [Mismatch(MismatchKind.AMOUNT, provider, order_id, reference, evidence)]
    return []


def _theirs(t: ProviderTransaction) -> dict[str, Any]:
    return {
        "reference": t.provider_reference,
        "attempt_id": t.attempt_id,
        "status": t.status,
        "amount_minor": t.amount_minor,
        "currency": t.currency,
        "at": t.occurred_at.isoformat(),
    }


def _ours(m: LedgerMovement) -> dict[str, Any]:
    return {
        "transaction_id": m.transaction_id,
        "amount_minor": m.amount_minor,
        "currency": m.currency,
        "at": m.occurred_at.isoformat(),
    }
