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
DRAW_SETTLED_EVENT = "bet.settled"
WITHDRAWAL_EVENTS = {
    "withdrawal.paid": NotificationKind.WITHDRAWAL_PAID,
    "withdrawal.rejected": NotificationKind.WITHDRAWAL_REJECTED,
}
DEPOSIT_EVENT = "deposit.approved"
LIMIT_EVENT = "limit.changed"
NOTICE_EVENTS = frozenset({DRAW_SETTLED_EVENT, DEPOSIT_EVENT, LIMIT_EVENT, *WITHDRAWAL_EVENTS})
LIMIT_FIELDS = ("change_id", "kind", "period", "currency", "status", "old", "new", "effective_at")


@dataclass(frozen=True)
class Notice:
    """One notification to write: whose, what kind, its parameters and the fact's key."""

    user_id: int
    kind: NotificationKind
    source_key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SettledTicket:
    """What a settled lotto ticket tells its player (read from the bet, its draw and game)."""

    public_id: str
    game_code: str
    game_name: str
    draw_code: str
    draw_at: str
    currency: str
    stake: int
    win: int


def is_notice_event(event: DomainEvent) -> bool:
    """Whether `event` may become a notice (a player's fact of a kind the inbox keeps)."""
    if event.user_id is None or event.name not in NOTICE_EVENTS:
        return False
    # Only a draw's tickets make a notice: an instant round's result is on the screen already.
    return event.name != DRAW_SETTLED_EVENT or bool(event.data.get("draw"))


def settled_bet_ids(event: DomainEvent) -> list[str]:
    """The public ids of the bets a `bet.settled` event announces."""
    return [str(b) for b in event.data.get("bets", [])]


def draw_notice(event: DomainEvent, tickets: list[SettledTicket]) -> Notice | None:
    """The notice of a player's settled lotto tickets (none for instant games: `tickets` empty)."""
    if event.user_id is None or not tickets:
        return None
    first = tickets[0]
    same = [t for t in tickets if t.currency == first.currency]
    params = {
        "game": first.game_name,
        "game_code": first.game_code,
        "draw": first.draw_code,
        "draw_at": first.draw_at,
        "tickets": len(same),
        "winning": sum(1 for t in same if t.win > 0),
        "stake_minor": sum(t.stake for t in same),
        "won_minor": sum(t.win for t in same),
        "currency": first.currency,
    }
    key = "draw:" + min(t.public_id for t in tickets)
    return Notice(event.user_id, NotificationKind.DRAW_SETTLED, key, params)


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
