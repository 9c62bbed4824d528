"""Formatting for display: the UI receives strings, never floats or datetimes."""

from __future__ import annotations

from datetime import datetime

KIND_LABELS = {
    "deposit": "Deposit",
    "stake": "Lotto ticket",
    "win": "Lotto win",
    "refund": "Refund",
    "withdrawal": "Withdrawal",
}


def when(value: datetime | None) -> str:
    """ "21 Nov 2026, 14:05 UTC" (the player's own zone comes with profiles)."""
    return value.strftime("%d %b %Y, %H:%M UTC") if value else ""


def numbers(values: tuple[int, ...] | list[int]) -> str:
    return "  ".join(f"{n:02d}" for n in values)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())
