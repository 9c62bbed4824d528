"""Lotto games: selection rules, paytables, draw derivation and ticket evaluation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import comb
from typing import Any

from casino_app.domain.errors import InvalidAmount, InvalidInput, InvalidSelection
from casino_app.domain.games import rng


@dataclass(frozen=True)
class LottoRules:
    """A lotto game version: pick `pick` of 1..`pool`; wins pay stake x multiplier."""

    pick: int
    pool: int
    paytable: tuple[tuple[int, int], ...]  # (matches, multiplier of the stake)
    min_stake_minor: int
    max_stake_minor: int

    def multiplier(self, matches: int) -> int:
        return dict(self.paytable).get(matches, 0)


LINE_SEPARATOR = "|"  # between the lines of one ticket in `bets.selection`


def parse_lines(selection: str) -> tuple[tuple[int, ...], ...]:
    """A ticket's lines from its stored selection: "1,2,3,4,5,6|7,8,9,10,11,12" -> two lines.

    A single line is stored as before ("3,14,27,31,40,45"); an empty selection has no line.
    """
    return tuple(
        tuple(int(n) for n in line.split(",") if n) for line in selection.split(LINE_SEPARATOR) if line
    )


def format_lines(lines: Sequence[Sequence[int]]) -> str:
    """The stored form of a ticket's lines (each already validated and sorted)."""
    return LINE_SEPARATOR.join(",".join(str(n) for n in line) for line in lines)


def validate_selection(rules: LottoRules, numbers: list[int]) -> list[int]:
    """Return the sorted selection, or raise `InvalidSelection` with a clear reason."""
    if any(isinstance(n, bool) or not isinstance(n, int) for n in numbers):
        raise InvalidSelection("Numbers must be whole numbers.")
    if len(numbers) != rules.pick:
        raise InvalidSelection(f"Pick exactly {rules.pick} numbers (you picked {len(numbers)}).")
    if len(set(numbers)) != len(numbers):
        raise InvalidSelection("Each number can be picked only once.")
    out_of_range = [n for n in numbers if not 1 <= n <= rules.pool]
    if out_of_range:
        raise InvalidSelection(f"Numbers must be between 1 and {rules.pool}.")
    return sorted(numbers)


def rules_from(data: Mapping[str, Any], min_stake_minor: int, max_stake_minor: int) -> LottoRules:
    """A game version's stored rules ({"pick", "pool", "paytable": [[matches, multiplier], ...]})."""
    try:
        paytable = tuple(sorted((int(m), int(x)) for m, x in data["paytable"]))
        rules = LottoRules(int(data["pick"]), int(data["pool"]), paytable, min_stake_minor, max_stake_minor)
    except (KeyError, TypeError, ValueError) as err:
        raise InvalidInput(f"Lotto rules need pick, pool and a paytable ({err}).") from None
    if not 1 <= rules.pick < rules.pool or any(not 0 <= m <= rules.pick or x < 0 for m, x in paytable):
        raise InvalidInput("Lotto rules: pick fewer numbers than the pool, paytable within the pick.")
    return rules


def rules_data(rules: LottoRules) -> dict[str, Any]:
    """The stored form of a lotto version's rules (stake limits live beside them)."""
    return {"pick": rules.pick, "pool": rules.pool, "paytable": [list(p) for p in rules.paytable]}


def quick_pick(rules: LottoRules) -> list[int]:
    """A random selection for the player from a fresh CSPRNG seed (not an outcome)."""
    stream = rng.byte_stream(rng.new_server_seed(), "quick-pick")
    return sorted(rng.draw_without_replacement(stream, rules.pick, rules.pool))


def draw_message(ticket_root: str, draw_id: int) -> str:
    """The draw stream's message: the ticket root fixed at close, then the draw's id."""
    return f"draw:{ticket_root.lower()}:{int(draw_id)}"


def draw_numbers(rules: LottoRules, server_seed: str, ticket_root: str, draw_id: int) -> list[int]:
    """The winning numbers, ascending: HMAC-SHA256(seed, "draw:<root>:<draw id>:<cursor>") bytes,
    drawn without replacement by rejection sampling. The commitment is not an input."""
    stream = rng.byte_stream(server_seed, draw_message(ticket_root, draw_id))
    return sorted(rng.draw_without_replacement(stream, rules.pick, rules.pool))


def count_matches(selection: list[int], winning: list[int]) -> int:
    return len(set(selection) & set(winning))


def win_amount(rules: LottoRules, stake_minor: int, selection: list[int], winning: list[int]) -> int:
    """Stake x the paytable multiplier for the number of matches (0 when none pays)."""
    return stake_minor * rules.multiplier(count_matches(selection, winning))


def match_probability(rules: LottoRules, matches: int) -> Fraction:
    """Hypergeometric probability of exactly `matches` hits."""
    total = comb(rules.pool, rules.pick)
    ways = comb(rules.pick, matches) * comb(rules.pool - rules.pick, rules.pick - matches)
    return Fraction(ways, total)


def theoretical_rtp(rules: LottoRules) -> Fraction:
    """Expected return per unit staked, shown to the player before the stake."""
    return sum((match_probability(rules, m) * mult for m, mult in rules.paytable), Fraction(0))


# Tickets: several lines, the same lines for several draws, a price per line.

DEFAULT_MAX_LINES = 10
DEFAULT_MAX_DRAWS = 1


class TooManyLines(InvalidSelection):
    """A ticket with no line or more lines than the game allows."""

    code = "too_many_lines"


class TooManyDraws(InvalidInput):
    """A ticket for fewer than one draw or more draws than the game allows."""

    code = "too_many_draws"


class StakeNotMultipleOfPrice(InvalidAmount):
    """The stake is not a whole number of line prices for every line."""

    code = "stake_not_multiple"


@dataclass(frozen=True)
class TicketLimits:
    """A lotto version's ticket terms: the price of one line and the most lines and draws."""

    line_price: int
    max_lines: int
    max_draws: int


def ticket_limits_from(data: Mapping[str, Any]) -> TicketLimits:
    """The ticket terms in a version's rules (`line_price`, `max_lines`, `max_draws`).

    A version without them sells one draw at any whole minor amount per line.
    """
    try:
        limits = TicketLimits(
            int(data.get("line_price", 1)),
            int(data.get("max_lines", DEFAULT_MAX_LINES)),
            int(data.get("max_draws", DEFAULT_MAX_DRAWS)),
        )
    except (TypeError, ValueError) as err:
        raise InvalidInput(f"Lotto ticket terms need whole numbers ({err}).") from None
    if min(limits.line_price, limits.max_lines, limits.max_draws) < 1:
        raise InvalidInput("Lotto ticket terms: price, lines and draws of at least 1.")
    return limits


def validate_lines(
    rules: LottoRules, limits: TicketLimits, lines: Sequence[Sequence[int]]
) -> tuple[tuple[int, ...], ...]:
    """Every line validated and sorted, or `InvalidSelection` naming the line at fault."""
    if not 1 <= len(lines) <= limits.max_lines:
        raise TooManyLines(f"A ticket has 1 to {limits.max_lines} lines (this one has {len(lines)}).")
    out = []
    for index, line in enumerate(lines, start=1):
        try:
            out.append(tuple(validate_selection(rules, list(line))))
        except InvalidSelection as err:
            raise InvalidSelection(f"Line {index}: {err.message}") from None
    return tuple(out)


def validate_draws(limits: TicketLimits, draws: int) -> int:
    """The number of draws a ticket plays, or `TooManyDraws`."""
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= limits.max_draws:
        raise TooManyDraws(f"A ticket plays 1 to {limits.max_draws} draws.")
    return draws


def validate_ticket_stake(limits: TicketLimits, lines: int, stake_minor: int) -> int:
    """The stake of one draw: the same whole number of line prices on every line.

    The game's minimum and maximum are checked by the bet engine before any debit.
    """
    if isinstance(stake_minor, bool) or not isinstance(stake_minor, int) or stake_minor <= 0:
        raise InvalidAmount("The stake must be greater than zero.")
    if stake_minor % (limits.line_price * lines):
        raise StakeNotMultipleOfPrice(
            f"The stake must be a multiple of the line price ({limits.line_price} minor units) "
            f"times the {lines} line(s)."
        )
    return stake_minor
