"""What an inbox notification is about (the `notifications.kind` column admits exactly these)."""

from __future__ import annotations

from enum import StrEnum


class NotificationKind(StrEnum):
    DRAW_SETTLED = "draw_settled"  # the player's tickets in a lotto draw were settled
    DEPOSIT_CONFIRMED = "deposit_confirmed"
    WITHDRAWAL_PAID = "withdrawal_paid"
    WITHDRAWAL_REJECTED = "withdrawal_rejected"
    LIMIT_CHANGED = "limit_changed"  # a responsible-gaming limit change applied, pending, confirmed ...
