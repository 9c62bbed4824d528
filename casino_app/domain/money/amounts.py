"""Money in integer minor units with an ISO 4217 currency; never floats."""

from __future__ import annotations

import re
from dataclasses import dataclass

from casino_app.domain.errors import CurrencyMismatch, InvalidAmount

CURRENCY_EXPONENT: dict[str, int] = {"EUR": 2, "PLN": 2, "USD": 2, "GBP": 2}
CURRENCY_SYMBOL: dict[str, str] = {"EUR": "€", "PLN": "zł", "USD": "$", "GBP": "£"}
_DECIMAL = re.compile(r"^\s*(\d{1,12})(?:[.,](\d{1,4}))?\s*$")


@dataclass(frozen=True, order=True)
class Money:
    """An amount of one currency in minor units (cents)."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        check_currency(self.currency)
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise InvalidAmount("Amounts are whole minor units.")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"Cannot combine {self.currency} with {other.currency}.")


def check_currency(currency: str) -> str:
    """Return the currency code when it is supported, else raise `CurrencyMismatch`."""
    if currency not in CURRENCY_EXPONENT:
        raise CurrencyMismatch(f"Unsupported currency: {currency!r}.")
    return currency


def parse_amount(text: str, currency: str) -> Money:
    """Parse a decimal string such as "12.50" into a positive `Money`.

    Raises:
        InvalidAmount: empty, negative, non-numeric, too precise or zero.
    """
    exponent = CURRENCY_EXPONENT[check_currency(currency)]
    match = _DECIMAL.match(text or "")
    if not match:
        raise InvalidAmount("Enter an amount such as 10 or 12.50.")
    whole, frac = match.group(1), match.group(2) or ""
    if len(frac) > exponent:
        raise InvalidAmount(f"{currency} amounts have at most {exponent} decimal places.")
    minor = int(whole) * 10**exponent + int(frac.ljust(exponent, "0") or "0")
    if minor <= 0:
        raise InvalidAmount("The amount must be greater than zero.")
    return Money(minor, currency)


def to_decimal_string(money: Money) -> str:
    """Format as a plain decimal string ("12.50"), the API's representation."""
    exponent = CURRENCY_EXPONENT[money.currency]
    sign = "-" if money.minor < 0 else ""
    whole, frac = divmod(abs(money.minor), 10**exponent)
    return f"{sign}{whole}.{frac:0{exponent}d}" if exponent else f"{sign}{whole}"


def format_money(money: Money) -> str:
    """Format for people: "€12.50", "-€3.00", "zł 1,204.00"."""
    text = to_decimal_string(money).lstrip("-")
    whole, _, frac = text.partition(".")
    grouped = f"{int(whole):,}" + (f".{frac}" if frac else "")
    symbol = CURRENCY_SYMBOL.get(money.currency, money.currency + " ")
    sign = "-" if money.minor < 0 else ""
    return f"{sign}{symbol}{grouped}"
