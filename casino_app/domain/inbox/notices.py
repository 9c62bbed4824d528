"""Player-facing facts as inbox notices: a kind, parameters and a key that names the fact once.

Parameters are data, never text: amounts in minor units with their currency, ids, codes and
game names, so each reader's page renders them in its own language and formats. The source key
is unique per player: publishing the same fact twice never makes two notices.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from casino_app.domain.events import DomainEvent
from casino_app.domain.inbox.vocabulary import NotificationKind

PAGE_SIZE = 20
NOTIFIED = "notification.created"  # published after the commit that wrote a notice
# published after the commit that wrote many notices at once (a settled draw's players): their
# (player id, notification id) pairs, NOTICES_PER_EVENT at most, never the parameters
NOTIFIED_MANY = "notifications.created"
NOTICES_PER_EVENT = 10_000
WITHDRAWAL_EVENTS = {
    "withdrawal.paid": NotificationKind.WITHDRAWAL_PAID,
    "withdrawal.rejected": NotificationKind.WITHDRAWAL_REJECTED,
}
DEPOSIT_EVENT = "deposit.approved"
LIMIT_EVENT = "limit.changed"
NOTICE_EVENTS = frozenset({DEPOSIT_EVENT, LIMIT_EVENT, *WITHDRAWAL_EVENTS})
LIMIT_FIELDS = ("change_id", "kind", "period", "currency", "status", "old", "new", "effective_at")


@dataclass(frozen=True)
class Notice:
    """One notification to write: whose, what kind, its parameters and the fact's key."""

    user_id: int
    kind: NotificationKind
    source_key: str
    params: dict[str, Any] = field(default_factory=dict)


# A settled draw's notice (kind draw_settled, key `draw:<draw id>`, one per player): the draw's
# facts, and the player's totals summed from the tickets (persistence/inbox.record_draw_settled).
DRAW_FACTS = ("game", "game_code", "draw", "draw_at")
DRAW_TOTALS = ("tickets", "winning", "stake_minor", "won_minor", "currency")


def many_notified(pairs: list[tuple[int, int]]) -> list[DomainEvent]:
    """The `notifications.created` events announcing written notices, `(player id, notification
    id)` pairs in id order, NOTICES_PER_EVENT a piece: a draw of 100,000 players is ten events."""
    ordered = sorted(pairs, key=lambda pair: pair[1])
    return [
        DomainEvent(NOTIFIED_MANY, None, {"notices": [list(p) for p in ordered[i : i + NOTICES_PER_EVENT]]})
        for i in range(0, len(ordered), NOTICES_PER_EVENT)
    ]


def is_notice_event(event: DomainEvent) -> bool:
    """Whether `event` may become a notice (a player's fact of a kind the inbox keeps)."""
    return event.user_id is not None and event.name in NOTICE_EVENTS


def withdrawal_notice(event: DomainEvent, amount: int, currency: str) -> Notice | None:
    """The notice of a withdrawal paid out or returned to the balance."""
    kind = WITHDRAWAL_EVENTS.get(event.name)
    if event.user_id is None or kind is None:
        return None
    withdrawal_id = int(event.data["withdrawal_id"])
    params = {"withdrawal_id": withdrawal_id, "amount_minor": amount, "currency": currency}
    return Notice(event.user_id, kind, f"{kind.value}:{withdrawal_id}", params)


def simple_notice(event: DomainEvent) -> Notice | None:
    """The notices whose event carries everything they keep: a deposit, a limit change."""
    if event.user_id is None:
        return None
    if event.name == DEPOSIT_EVENT:
        return _deposit(event.user_id, event.data)
    if event.name == LIMIT_EVENT:
        return _limit(event.user_id, event.data)
    return None


def _deposit(user_id: int, data: Mapping[str, Any]) -> Notice:
    params = {
        "order_id": str(data["order_id"]),
        "amount_minor": int(data["amount_minor"]),
        "currency": str(data["currency"]),
    }
    return Notice(user_id, NotificationKind.DEPOSIT_CONFIRMED, f"deposit:{params['order_id']}", params)


def _limit(user_id: int, data: Mapping[str, Any]) -> Notice:
    params = {name: data.get(name) for name in LIMIT_FIELDS}
    key = f"limit:{params['change_id']}:{params['status']}"
    return Notice(user_id, NotificationKind.LIMIT_CHANGED, key, params)
