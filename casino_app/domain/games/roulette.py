"""European roulette: one zero, 37 pockets, every standard bet; several bets per spin.

A spin is a uniform pocket 0..36 from the round's stream (`rng.uniform_int`). Bets name a spot
on the board by a stable id ("straight:17", "split:17-20", "street:1-2-3", "corner:1-2-4-5",
"line:1-2-3-4-5-6", "dozen:2", "column:3", "red", "black", "odd", "even", "low", "high"),
including the zero's splits, trios ("street:0-1-2", "street:0-2-3") and the first four
("corner:0-1-2-3"). A winning bet pays `PAYS[kind]` to one and returns its amount; zero loses
every even-money bet. Each bet's theoretical RTP is 36/37.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from casino_app.domain.errors import InvalidAmount, InvalidInput, InvalidSelection
from casino_app.domain.games import rng

POCKETS = 37
RED = frozenset({1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36})
PAYS: dict[str, int] = {
    "straight": 35,
    "split": 17,
    "street": 11,
    "corner": 8,
    "line": 5,
    "dozen": 2,
    "column": 2,
    "red": 1,
    "black": 1,
    "odd": 1,
    "even": 1,
    "low": 1,
    "high": 1,
}
INSIDE = ("straight", "split", "street", "corner", "line")


def _spot(kind: str, numbers: Sequence[int]) -> tuple[str, frozenset[int]]:
    return f"{kind}:{'-'.join(str(n) for n in sorted(numbers))}", frozenset(numbers)


def _board() -> dict[str, frozenset[int]]:
    """Every spot of the board: id -> the pockets it covers."""
    spots = [_spot("straight", [n]) for n in range(POCKETS)]
    spots += [_spot("split", [n, n + 1]) for n in range(1, 36) if n % 3]
    spots += [_spot("split", [n, n + 3]) for n in range(1, 34)]
    spots += [_spot("split", [0, n]) for n in (1, 2, 3)]
    spots += [_spot("street", [n, n + 1, n + 2]) for n in range(1, 37, 3)]
    spots += [_spot("street", [0, 1, 2]), _spot("street", [0, 2, 3])]
    spots += [_spot("corner", [n, n + 1, n + 3, n + 4]) for n in range(1, 33) if n % 3]
    spots += [_spot("corner", [0, 1, 2, 3])]
    spots += [_spot("line", range(n, n + 6)) for n in range(1, 32, 3)]
    outside = {
        **{f"dozen:{d}": frozenset(range(12 * d - 11, 12 * d + 1)) for d in (1, 2, 3)},
        **{f"column:{c}": frozenset(range(c, 37, 3)) for c in (1, 2, 3)},
        "red": RED,
        "black": frozenset(range(1, 37)) - RED,
        "odd": frozenset(range(1, 37, 2)),
        "even": frozenset(range(2, 37, 2)),
        "low": frozenset(range(1, 19)),
        "high": frozenset(range(19, 37)),
    }
    return {**dict(spots), **outside}


BOARD: dict[str, frozenset[int]] = _board()


@dataclass(frozen=True)
class RouletteRules:
    max_bets: int = 15  # spots per spin
    min_bet: int = 10  # per spot, minor units
    max_bet: int = 100_00  # per spot


@dataclass(frozen=True)
class RouletteBet:
    spot: str
    amount: int

    @property
    def kind(self) -> str:
        return self.spot.split(":", 1)[0]

    @property
    def pockets(self) -> frozenset[int]:
        return BOARD[self.spot]


def rules_from(data: Mapping[str, Any]) -> RouletteRules:
    """A roulette version's stored rules ({"max_bets", "min_bet", "max_bet"})."""
    try:
        rules = RouletteRules(int(data["max_bets"]), int(data["min_bet"]), int(data["max_bet"]))
    except (KeyError, TypeError, ValueError) as err:
        raise InvalidInput(f"Roulette rules need max_bets, min_bet and max_bet ({err}).") from None
    if not 1 <= rules.max_bets <= 15 or not 0 < rules.min_bet <= rules.max_bet:
        raise InvalidInput("Roulette rules: 1 to 15 bets a spin, 0 < min_bet <= max_bet.")
    return rules


def rules_data(rules: RouletteRules) -> dict[str, Any]:
    return {"max_bets": rules.max_bets, "min_bet": rules.min_bet, "max_bet": rules.max_bet}


def spot_of(text: str) -> str:
    """The canonical id of a spot ("split:20-17" -> "split:17-20"), or `InvalidSelection`."""
    kind, _, numbers = str(text).strip().lower().partition(":")
    if kind not in PAYS:
        raise InvalidSelection(f"Unknown bet type {kind!r}.")
    if kind in INSIDE:
        try:
            pockets = sorted(int(n) for n in numbers.split("-"))
        except ValueError:
            raise InvalidSelection(f"A {kind} bet names its pockets, e.g. {kind}:17.") from None
        if any(not 0 <= n < POCKETS for n in pockets):
            raise InvalidSelection("Pockets are numbered 0 to 36.")
        spot = _spot(kind, pockets)[0]
    else:
        spot = f"{kind}:{numbers}" if numbers else kind
    if spot not in BOARD:
        raise InvalidSelection(f"{text!r} is not a {kind} on the board.")
    return spot


def validate_bets(rules: RouletteRules, bets: Sequence[tuple[str, int]]) -> tuple[RouletteBet, ...]:
    """The bets of one spin, in a canonical order, or a typed error (nothing is staked).

    Raises:
        InvalidSelection: no bet, too many, an unknown type or pocket, the same spot twice.
        InvalidAmount: a bet below the table minimum or above its maximum.
    """
    if not bets:
        raise InvalidSelection("Place at least one bet on the board.")
    if len(bets) > rules.max_bets:
        raise InvalidSelection(f"At most {rules.max_bets} bets a spin.")
    out: dict[str, RouletteBet] = {}
    for text, amount in bets:
        spot = spot_of(text)
        if spot in out:
            raise InvalidSelection(f"Two bets on the same spot ({spot}): put them together as one.")
        if (
            isinstance(amount, bool)
            or not isinstance(amount, int)
            or not rules.min_bet <= amount <= rules.max_bet
        ):
            raise InvalidAmount(
                f"Each bet is between {rules.min_bet} and {rules.max_bet} minor units ({spot}: {amount})."
            )
        out[spot] = RouletteBet(spot, amount)
    return tuple(sorted(out.values(), key=lambda b: (list(PAYS).index(b.kind), b.spot)))


def encode(bets: Sequence[RouletteBet]) -> str:
    """The stored selection: "split:17-20=100;red=500"."""
    return ";".join(f"{b.spot}={b.amount}" for b in bets)


def decode(text: str) -> tuple[RouletteBet, ...]:
    out = []
    for part in filter(None, text.split(";")):
        spot, _, amount = part.partition("=")
        out.append(RouletteBet(spot_of(spot), int(amount)))
    return tuple(out)


def spin(stream: Iterator[int]) -> int:
    """The pocket the ball lands in, 0..36."""
    return rng.uniform_int(stream, POCKETS)


def bet_return(bet: RouletteBet, pocket: int) -> int:
    """What one bet gives back: its amount and winnings when it covers the pocket, else 0."""
    return bet.amount * (PAYS[bet.kind] + 1) if pocket in bet.pockets else 0


def win_amount(bets: Sequence[RouletteBet], pocket: int) -> int:
    return sum(bet_return(b, pocket) for b in bets)


def colour(pocket: int) -> str:
    return "green" if pocket == 0 else "red" if pocket in RED else "black"


def describe(pocket: int) -> str:
    """ "17 black", "0 green"."""
    return f"{pocket} {colour(pocket)}"


def theoretical_rtp(spot: str) -> Fraction:
    """Covered pockets x (pays + 1) / 37: 36/37 for every spot of the board."""
    return Fraction(len(BOARD[spot]) * (PAYS[spot.split(":", 1)[0]] + 1), POCKETS)
