"""Lotto games: selection rules, paytables, draw derivation and ticket evaluation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import comb
from typing import Any

from casino_app.domain.errors import InvalidInput, InvalidSelection
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
