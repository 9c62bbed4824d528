"""Lotto prize tiers as data: fixed lower tiers, a progressive jackpot on top, exact RTP.

A game version's rules (JSON) keep `pick`, `pool` and `paytable` (domain/games/lotto.py) and
add, for a game with a jackpot:

    "line_price": 100,                       # minor units per line
    "sales_close_seconds": 60,               # sales stop this long before the draw
    "jackpot": {"matches": 6, "share_bp": 3000, "seed": 100000000}

Lower tiers pay a **fixed multiple of the line's stake** (the `paytable` multiplier): a line
bought at the line price pays `multiplier x line_price` minor units. The jackpot tier (all
numbers) takes no multiplier: its winners share the jackpot (domain/games/jackpot.py), which
is funded by `share_bp` basis points of every stake. A version without a `jackpot` entry pays
its top tier as a fixed multiple like the others.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from casino_app.domain.errors import InvalidInput
from casino_app.domain.games.lotto import LottoRules, count_matches, match_probability

BASIS_POINTS = 10_000


@dataclass(frozen=True)
class JackpotRules:
    """The progressive top tier: the matches it needs, its share of stakes, its seed amount."""

    matches: int
    share_bp: int  # basis points of every stake that go to the jackpot
    seed_minor: int  # what the jackpot is reset to (funded by the house) after a win


@dataclass(frozen=True)
class PrizeTable:
    """A lotto version's prizes: fixed multiples per tier and, optionally, a jackpot."""

    rules: LottoRules
    line_price: int
    jackpot: JackpotRules | None
    sales_close_seconds: int | None

    def fixed_multiplier(self, matches: int) -> int:
        """The multiple of the line stake a line with `matches` hits pays (0: none, or the jackpot)."""
        if self.jackpot is not None and matches == self.jackpot.matches:
            return 0
        return self.rules.multiplier(matches)

    def is_jackpot(self, matches: int) -> bool:
        return self.jackpot is not None and matches == self.jackpot.matches

    def tiers(self) -> list[int]:
        """Every prize tier (number of matches), best first."""
        tiers = {m for m, x in self.rules.paytable if x > 0}
        if self.jackpot is not None:
            tiers.add(self.jackpot.matches)
        return sorted(tiers, reverse=True)


def prize_table(rules: LottoRules, data: Mapping[str, Any]) -> PrizeTable:
    """The prize table of a version's stored rules.

    Raises:
        InvalidInput: a jackpot or line price that does not fit the matrix.
    """
    try:
        price = int(data.get("line_price") or rules.min_stake_minor)
        close = data.get("sales_close_seconds")
        jackpot = _jackpot(rules, data.get("jackpot"))
    except (TypeError, ValueError) as err:
        raise InvalidInput(f"Lotto prize rules are malformed ({err}).") from None
    if price <= 0:
        raise InvalidInput("A line costs a positive amount.")
    return PrizeTable(rules, price, jackpot, int(close) if close is not None else None)


def _jackpot(rules: LottoRules, data: Any) -> JackpotRules | None:
    if not data:
        return None
    jackpot = JackpotRules(int(data.get("matches", rules.pick)), int(data["share_bp"]), int(data["seed"]))
    if not 1 <= jackpot.matches <= rules.pick or not 0 <= jackpot.share_bp < BASIS_POINTS:
        raise InvalidInput("A jackpot needs 1..pick matches and a share below 100%.")
    if jackpot.seed_minor < 0:
        raise InvalidInput("A jackpot's seed amount cannot be negative.")
    return jackpot


@dataclass(frozen=True)
class LineResult:
    """One line of a ticket: its hits, its stake, its fixed prize, whether it hit the jackpot."""

    index: int
    matches: int
    stake: int
    fixed_win: int
    jackpot: bool


def line_stakes(stake: int, lines: int) -> list[int]:
    """A ticket's stake spread over its lines (the remainder, if any, on the first lines)."""
    if lines <= 0:
        return []
    base, extra = divmod(stake, lines)
    return [base + (1 if i < extra else 0) for i in range(lines)]


def hits_summary(lines: Sequence[Sequence[int]], winning: Collection[int]) -> str:
    """A ticket's hits per line, as its result is stored: "3,0,1"."""
    drawn = set(winning)
    return ",".join(str(len(drawn.intersection(line))) for line in lines)


def classify(
    table: PrizeTable, lines: Sequence[Sequence[int]], stake: int, winning: Sequence[int]
) -> list[LineResult]:
    """Every line of a ticket against the winning numbers."""
    drawn = list(winning)
    out = []
    for i, (line, line_stake) in enumerate(zip(lines, line_stakes(stake, len(lines)), strict=True)):
        hits = count_matches(list(line), drawn)
        out.append(
            LineResult(i, hits, line_stake, line_stake * table.fixed_multiplier(hits), table.is_jackpot(hits))
        )
    return out


def fixed_rtp(table: PrizeTable) -> Fraction:
    """Expected fixed prizes per unit staked: sum of P(tier) x its multiple."""
    return sum(
        (match_probability(table.rules, m) * table.fixed_multiplier(m) for m, _ in table.rules.paytable),
        Fraction(0),
    )


def jackpot_rtp(table: PrizeTable) -> Fraction:
    """The jackpot's part of the RTP: its share of every stake, all of it paid out to winners."""
    return Fraction(table.jackpot.share_bp, BASIS_POINTS) if table.jackpot else Fraction(0)


def theoretical_rtp(table: PrizeTable) -> Fraction:
    """The exact return to players per unit staked: fixed tiers plus the jackpot share.

    The jackpot share is returned in full in the long run (a pot is only ever paid out or
    rolled over). The seed the house adds after each win is not stake money and is not
    counted; `seed_rtp_at_most` bounds what it adds.
    """
    return fixed_rtp(table) + jackpot_rtp(table)


def seed_rtp_at_most(table: PrizeTable) -> Fraction:
    """An upper bound on the house seed's extra return per unit staked (one reset per winning line)."""
    if table.jackpot is None:
        return Fraction(0)
    p = match_probability(table.rules, table.jackpot.matches)
    return p * Fraction(table.jackpot.seed_minor, table.line_price)
