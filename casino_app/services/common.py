"""Small helpers shared by the services."""

from __future__ import annotations

from casino_app.domain.money.amounts import Money, format_money
from casino_app.services.dto import MoneyLine


def money_line(minor: int, currency: str) -> MoneyLine:
    """A `MoneyLine` with the amount formatted for people."""
    return MoneyLine(minor, currency, format_money(Money(minor, currency)))


def parse_numbers(text: str) -> tuple[int, ...]:
    """ "3,14,27" -> (3, 14, 27); empty -> ()."""
    return tuple(int(x) for x in text.split(",") if x) if text else ()


def join_numbers(numbers: list[int] | tuple[int, ...]) -> str:
    return ",".join(str(n) for n in numbers)
