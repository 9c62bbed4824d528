"""Dice: roll 0.00-99.99, win by rolling under a target or at/above it; RTP from the chance.

A roll is a uniform integer in [0, 10000) from the round's stream (`rng.uniform_int`), shown
with two decimals. "Under 50.00" wins on 0.00-49.99 (5,000 of 10,000 rolls); "over 50.00"
wins on 50.00-99.99, so both sides of one target have complementary chances. A win pays
stake x (10,000 - edge) / winning rolls, rounded down to a minor unit: the multiplier comes
from the win probability and the theoretical RTP is (10,000 - edge) / 10,000 for every target.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

from casino_app.domain.errors import InvalidInput, InvalidSelection
from casino_app.domain.games import rng

RANGE = 10_000  # rolls 0.00 .. 99.99 in hundredths


class Direction(StrEnum):
    UNDER = "under"
    OVER = "over"


@dataclass(frozen=True)
class DiceRules:
    edge: int = 100  # in ten-thousandths of the stake (100 = 1%)
    min_chance: int = 200  # winning rolls out of 10,000
    max_chance: int = 9_800


@dataclass(frozen=True)
class DiceBet:
    direction: Direction
    target: int  # in hundredths: 5000 = 50.00

    @property
    def chance(self) -> int:
        """How many of the 10,000 rolls win."""
        return self.target if self.direction == Direction.UNDER else RANGE - self.target


def rules_from(data: Mapping[str, Any]) -> DiceRules:
    """A dice version's stored rules ({"edge", "min_chance", "max_chance"})."""
    try:
        rules = DiceRules(int(data["edge"]), int(data["min_chance"]), int(data["max_chance"]))
    except (KeyError, TypeError, ValueError) as err:
        raise InvalidInput(f"Dice rules need edge, min_chance and max_chance ({err}).") from None
    if not 0 <= rules.edge < RANGE or not 0 < rules.min_chance <= rules.max_chance < RANGE:
        raise InvalidInput("Dice rules: 0 <= edge < 10000 and 0 < min_chance <= max_chance < 10000.")
    return rules


def rules_data(rules: DiceRules) -> dict[str, Any]:
    return {"edge": rules.edge, "min_chance": rules.min_chance, "max_chance": rules.max_chance}


def _hundredths(value: int) -> str:
    return f"{value // 100}.{value % 100:02d}"


def validate_bet(rules: DiceRules, direction: str, target: int) -> DiceBet:
    """The bet, or `InvalidSelection` naming the allowed range for that direction."""
    if direction not in {d.value for d in Direction}:
        raise InvalidSelection("Choose to roll under or over the target.")
    if isinstance(target, bool) or not isinstance(target, int):
        raise InvalidSelection("The target is a number with at most two decimals.")
    side = Direction(direction)
    low, high = (
        (rules.min_chance, rules.max_chance)
        if side == Direction.UNDER
        else (RANGE - rules.max_chance, RANGE - rules.min_chance)
    )
    if not low <= target <= high:
        raise InvalidSelection(
            f"Rolling {side.value}, the target must be between {_hundredths(low)} and {_hundredths(high)}."
        )
    return DiceBet(side, target)


def multiplier(rules: DiceRules, bet: DiceBet) -> Fraction:
    """What a win pays per unit staked: (10,000 - edge) / winning rolls."""
    return Fraction(RANGE - rules.edge, bet.chance)


def roll(stream: Iterator[int]) -> int:
    """The roll, 0..9999 (shown as 0.00..99.99)."""
    return rng.uniform_int(stream, RANGE)


def wins(bet: DiceBet, rolled: int) -> bool:
    return rolled < bet.target if bet.direction == Direction.UNDER else rolled >= bet.target


def win_amount(rules: DiceRules, bet: DiceBet, stake: int, rolled: int) -> int:
    """Stake x multiplier, rounded down to a minor unit; 0 for a loss."""
    return stake * (RANGE - rules.edge) // bet.chance if wins(bet, rolled) else 0


def theoretical_rtp(rules: DiceRules, bet: DiceBet | None = None) -> Fraction:
    """Chance x multiplier: the same for every target (before rounding to minor units)."""
    chosen = bet or DiceBet(Direction.UNDER, RANGE // 2)
    return Fraction(chosen.chance, RANGE) * multiplier(rules, chosen)


def describe(rolled: int) -> str:
    """A roll as people read it: "42.07"."""
    return _hundredths(rolled)
