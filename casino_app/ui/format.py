"""Formatting for display: the UI receives strings, never floats or datetimes."""

from __future__ import annotations

from datetime import datetime

from casino_app.domain.money.vocabulary import TransactionKind

KIND_LABELS: dict[str, str] = {
    TransactionKind.DEPOSIT: "Deposit",
    TransactionKind.STAKE: "Lotto ticket",
    TransactionKind.WIN: "Lotto win",
    TransactionKind.REVERSAL: "Refund",
    TransactionKind.TRANSFER: "Transfer",
    TransactionKind.BONUS_GRANT: "Bonus",
    TransactionKind.FX: "Currency exchange",
    TransactionKind.WITHDRAWAL_HOLD: "Withdrawal",
    TransactionKind.WITHDRAWAL_PAID: "Withdrawal paid",
    TransactionKind.WITHDRAWAL_REJECTED: "Withdrawal returned",
}


def when(value: datetime | None) -> str:
    """ "21 Nov 2026, 14:05 UTC" (the player's own zone comes with profiles)."""
    return value.strftime("%d %b %Y, %H:%M UTC") if value else ""


def numbers(values: tuple[int, ...] | list[int]) -> str:
    return "  ".join(f"{n:02d}" for n in values)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())
