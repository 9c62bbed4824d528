"""Money: integer minor units with a currency; decimal strings in, formatted strings out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casino_app.domain.errors import CurrencyMismatch, InvalidAmount
from casino_app.domain.money.amounts import Money, format_money, parse_amount, to_decimal_string


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("12.50", 1250),
        ("10", 1000),
        ("0.01", 1),
        ("12,50", 1250),
        (" 7.5 ", 750),
        ("1.00", 100),
    ],
)
def test_decimal_strings_parse_to_exact_minor_units(text: str, minor: int) -> None:
    assert parse_amount(text, "EUR") == Money(minor, "EUR")


@pytest.mark.parametrize("text", ["0", "0.00", "0,0"])
def test_zero_amount_is_rejected(text: str) -> None:
    with pytest.raises(InvalidAmount, match="greater than zero"):
        parse_amount(text, "EUR")


@pytest.mark.parametrize("text", ["-1", "-0.50", "+5"])
def test_signed_amount_is_rejected(text: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(text, "EUR")


def test_amount_with_more_decimals_than_the_currency_is_rejected_not_rounded() -> None:
    with pytest.raises(InvalidAmount, match="at most 2 decimal places"):
        parse_amount("1.005", "EUR")


@pytest.mark.parametrize("text", ["abc", "", "1e3", "12.", ".5", "1,000.00", "1.000,00", "NaN"])
def test_non_numeric_or_grouped_amount_is_rejected(text: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(text, "EUR")


def test_unsupported_currency_is_rejected() -> None:
    with pytest.raises(CurrencyMismatch):
        parse_amount("1.00", "XYZ")


def test_money_refuses_floats_and_bools() -> None:
    with pytest.raises(InvalidAmount):
        Money(1.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(InvalidAmount):
        Money(True, "EUR")


def test_money_of_different_currencies_cannot_be_combined() -> None:
    with pytest.raises(CurrencyMismatch):
        Money(100, "EUR") + Money(100, "PLN")
    assert Money(100, "EUR") - Money(250, "EUR") == Money(-150, "EUR")


@pytest.mark.parametrize(
    ("minor", "text"),
    [(0, "0.00"), (5, "0.05"), (1250, "12.50"), (-5, "-0.05"), (-1250, "-12.50")],
)
def test_decimal_string_is_the_api_representation(minor: int, text: str) -> None:
    assert to_decimal_string(Money(minor, "EUR")) == text


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money(0, "EUR"), "€0.00"),
        (Money(1250, "EUR"), "€12.50"),
        (Money(-300, "EUR"), "-€3.00"),
        (Money(120_400, "GBP"), "£1,204.00"),
        (Money(123_456_789, "USD"), "$1,234,567.89"),
    ],
)
def test_money_is_formatted_for_people_with_symbol_sign_and_grouping(money: Money, text: str) -> None:
    assert format_money(money) == text


def test_zloty_amount_is_formatted_with_its_symbol_and_grouping() -> None:
    text = format_money(Money(120_400, "PLN"))
    assert text.startswith("zł")
    assert text.endswith("1,204.00")


@given(st.integers(min_value=1, max_value=10**14 - 1))
def test_formatting_then_parsing_returns_the_same_amount(minor: int) -> None:
    money = Money(minor, "EUR")
    assert parse_amount(to_decimal_string(money), "EUR") == money
