"""The progressive jackpot of a lotto game: funding, rollover, split and reset (pure).

Per draw, in order: the draw's stakes add `share_bp` basis points (rounded down, per house
shard) to the pot; when nobody hits the jackpot tier the pot rolls over to the next draw;
when some lines do, the whole pot is split between them in proportion to their line stakes
(equal lines share equally); the **remainder** of the division (fewer minor units than there
are winning lines) goes one minor unit each to the winning lines in ticket order (validation
number, then line), so the pot is paid out exactly; then the house tops the empty jackpot up
to its seed amount.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from casino_app.domain.errors import InvalidInput
from casino_app.domain.games.lotto_prizes import BASIS_POINTS


def contribution(stakes: int, share_bp: int) -> int:
    """The jackpot's part of `stakes`, rounded down to a whole minor unit."""
    if stakes < 0 or not 0 <= share_bp < BASIS_POINTS:
        raise InvalidInput("Stakes are non-negative and a share is below 100%.")
    return stakes * share_bp // BASIS_POINTS


def contributions_by_shard(stakes: Mapping[int, int], share_bp: int) -> dict[int, int]:
    """Per house shard, the jackpot's part of the stakes that shard holds (zeros left out)."""
    out = {shard: contribution(total, share_bp) for shard, total in sorted(stakes.items())}
    return {shard: amount for shard, amount in out.items() if amount}


@dataclass(frozen=True)
class WinningLine:
    """A line that hit the jackpot tier; `order` is its place in ticket order."""

    order: tuple[str, int]  # (validation number, line index)
    bet_id: int
    weight: int  # the line's stake


def split(pot: int, winners: Sequence[WinningLine]) -> dict[tuple[str, int], int]:
    """Each winning line's part of the pot; the parts add up to the pot exactly.

    Raises:
        InvalidInput: a negative pot, or a winner with no stake.
    """
    if pot < 0 or any(w.weight <= 0 for w in winners):
        raise InvalidInput("A pot is non-negative and every winning line has a stake.")
    if not winners:
        return {}
    ordered = sorted(winners, key=lambda w: w.order)
    total = sum(w.weight for w in ordered)
    parts = {w.order: pot * w.weight // total for w in ordered}
    remainder = pot - sum(parts.values())
    for w in ordered[:remainder]:  # remainder < number of winning lines
        parts[w.order] += 1
    return parts


def by_bet(parts: Mapping[tuple[str, int], int], winners: Sequence[WinningLine]) -> dict[int, int]:
    """The jackpot parts added up per ticket (bet id)."""
    out: dict[int, int] = {}
    for w in winners:
        out[w.bet_id] = out.get(w.bet_id, 0) + parts.get(w.order, 0)
    return out


@dataclass(frozen=True)
class JackpotStep:
    """What one draw does to the jackpot."""

    before: int  # the pot carried into the draw
    funded: int  # the draw's share of its stakes
    won: int  # paid to winners (0: rolled over)
    seeded: int  # added by the house after a win
    after: int  # the pot the next draw starts with


def step(before: int, funded: int, winning_lines: int, seed: int) -> JackpotStep:
    """Roll over when nobody won; otherwise pay the whole pot and reset to the seed."""
    pot = before + funded
    if winning_lines == 0:
        return JackpotStep(before, funded, 0, 0, pot)
    return JackpotStep(before, funded, pot, seed, seed)
