"""Test cards: what each number does, the Luhn check and the brand (the numbers stay here)."""

from __future__ import annotations

from dataclasses import dataclass

# number -> (outcome, reason); any other number that passes Luhn is approved
TEST_CARDS: dict[str, tuple[str, str]] = {
    "4000000000000002": ("hard_decline", "Card declined by the issuer."),
    "4000000000009995": ("hard_decline", "Insufficient funds."),
    "4000000000000119": ("soft_decline", "The issuer could not be reached; try again."),
}
APPROVED_CARD = "4242424242424242"


@dataclass(frozen=True)
class Card:
    """A tokenized card as the sandbox keeps it; only `public()` leaves the service."""

    token: str
    number: str
    brand: str
    exp_month: int
    exp_year: int
    holder_name: str
    holder_name_match: bool

    @property
    def behaviour(self) -> tuple[str, str]:
        return TEST_CARDS.get(self.number, ("approve", ""))

    def public(self) -> dict[str, object]:
        return {
            "token": self.token,
            "brand": self.brand,
            "last4": self.number[-4:],
            "exp_month": self.exp_month,
            "exp_year": self.exp_year,
            "holder_name_match": self.holder_name_match,
        }


def luhn_ok(number: str) -> bool:
    if not number.isdigit() or not 12 <= len(number) <= 19:
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def brand_of(number: str) -> str:
    if number.startswith("4"):
        return "visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= number[:4] <= "2720":
        return "mastercard"
    if number[:2] in {"34", "37"}:
        return "amex"
    return "card"


def names_match(on_card: str, expected: str) -> bool:
    """The holder-name check a provider does for us: case and spacing do not matter."""

    def norm(s: str) -> str:
        return " ".join(s.lower().split())

    return bool(expected.strip()) and norm(on_card) == norm(expected)
