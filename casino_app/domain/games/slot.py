"""A 5-reel, 3-row video slot: reel strips, paylines and paytable as data; exact RTP.

A spin stops each reel at a uniform position of its strip (`rng.uniform_int`, one per reel,
left to right); the window shows that position and the next two. Line wins pay left to right
in multiples of the line bet (stake / lines); the wild stands in for every symbol but the
scatter, and a line of leading wilds pays as wilds when that pays more. Scatters pay anywhere
in multiples of the whole stake, and `trigger` or more start `free_spins` free spins at
`free_multiplier` (no retrigger) that belong to the same round and the same outcome stream.

The theoretical RTP is computed exactly from strips and paytable (`exact_rtp`): each line's
symbols are independent uniform draws from the strips (the reels stop independently), so the
expected line pay is a sum over symbol combinations weighted by their counts on the strips.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from casino_app.domain.errors import InvalidInput
from casino_app.domain.games import rng

REELS = 5


@dataclass(frozen=True)
class SlotRules:
    strips: tuple[tuple[str, ...], ...]
    rows: int
    lines: tuple[tuple[int, ...], ...]  # per line, the row shown on each reel
    pays: Mapping[str, Mapping[int, int]]  # symbol -> count -> multiple of the line bet
    wild: str
    scatter: str
    scatter_pays: Mapping[int, int]  # scatters anywhere -> multiple of the stake
    trigger: int
    free_spins: int
    free_multiplier: int

    @property
    def symbols(self) -> tuple[str, ...]:
        return tuple(sorted({s for strip in self.strips for s in strip}))


@dataclass(frozen=True)
class LineWin:
    line: int  # 1-based, as the paytable shows them
    symbol: str
    count: int
    pays: int  # multiple of the line bet, multiplier applied


@dataclass(frozen=True)
class Spin:
    stops: tuple[int, ...]
    window: tuple[tuple[str, ...], ...]  # per reel, top to bottom
    line_wins: tuple[LineWin, ...]
    scatters: int
    scatter_pays: int  # multiple of the stake, multiplier applied
    multiplier: int

    def units(self, lines: int) -> int:
        """What the spin pays in line bets."""
        return sum(w.pays for w in self.line_wins) + self.scatter_pays * lines


@dataclass(frozen=True)
class SlotRound:
    base: Spin
    free: tuple[Spin, ...]

    def units(self, lines: int) -> int:
        return self.base.units(lines) + sum(s.units(lines) for s in self.free)


def _int_map(data: Mapping[str, Any]) -> dict[int, int]:
    return {int(k): int(v) for k, v in data.items()}


def rules_from(data: Mapping[str, Any]) -> SlotRules:
    """A slot version's stored rules; refuses anything that cannot be played or paid."""
    try:
        rules = SlotRules(
            strips=tuple(tuple(str(s) for s in strip) for strip in data["strips"]),
            rows=int(data["rows"]),
            lines=tuple(tuple(int(r) for r in line) for line in data["lines"]),
            pays={str(s): _int_map(p) for s, p in data["pays"].items()},
            wild=str(data["wild"]),
            scatter=str(data["scatter"]),
            scatter_pays=_int_map(data["scatter_pays"]),
            trigger=int(data["trigger"]),
            free_spins=int(data["free_spins"]),
            free_multiplier=int(data["free_multiplier"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise InvalidInput(f"Slot rules need strips, rows, lines and paytables ({err}).") from None
    _check(rules)
    return rules


def _check(rules: SlotRules) -> None:
    if len(rules.strips) != REELS or any(not rules.rows <= len(s) <= 256 for s in rules.strips):
        raise InvalidInput(f"A slot has {REELS} reels of {rules.rows} to 256 stops.")
    if not rules.lines or any(
        len(line) != REELS or not set(line) <= set(range(rules.rows)) for line in rules.lines
    ):
        raise InvalidInput("Every payline names one visible row on each reel.")
    values = [*(x for p in rules.pays.values() for x in p.values()), *rules.scatter_pays.values()]
    if any(v < 0 for v in values) or rules.free_multiplier < 1 or rules.free_spins < 0:
        raise InvalidInput("Pays, free spins and multipliers cannot be negative.")


def rules_data(rules: SlotRules) -> dict[str, Any]:
    """The stored (JSON) form of slot rules."""
    return {
        "strips": [list(s) for s in rules.strips],
        "rows": rules.rows,
        "lines": [list(line) for line in rules.lines],
        "pays": {s: {str(k): v for k, v in p.items()} for s, p in rules.pays.items()},
        "wild": rules.wild,
        "scatter": rules.scatter,
        "scatter_pays": {str(k): v for k, v in rules.scatter_pays.items()},
        "trigger": rules.trigger,
        "free_spins": rules.free_spins,
        "free_multiplier": rules.free_multiplier,
    }


# --- outcome ---------------------------------------------------------------------------------


def stops(stream: Iterator[int], rules: SlotRules) -> tuple[int, ...]:
    """Where each reel stops: a uniform position of its strip, reels left to right."""
    return tuple(rng.uniform_int(stream, len(strip)) for strip in rules.strips)


def window(rules: SlotRules, at: Sequence[int]) -> tuple[tuple[str, ...], ...]:
    """The symbols in view: per reel, the stop and the next rows (strips wrap around)."""
    return tuple(
        tuple(strip[(stop + row) % len(strip)] for row in range(rules.rows))
        for strip, stop in zip(rules.strips, at, strict=True)
    )


def line_pay(rules: SlotRules, symbols: Sequence[str]) -> tuple[str, int, int]:
    """(symbol, count, pays) of one line read left to right; pays 0 when nothing pays."""
    if not symbols or symbols[0] == rules.scatter:
        return "", 0, 0
    wilds = next((i for i, s in enumerate(symbols) if s != rules.wild), len(symbols))
    best = (rules.wild, wilds, rules.pays.get(rules.wild, {}).get(wilds, 0))
    if wilds < len(symbols) and symbols[wilds] != rules.scatter:
        symbol = symbols[wilds]
        count = wilds + 1
        while count < len(symbols) and symbols[count] in (symbol, rules.wild):
            count += 1
        pays = rules.pays.get(symbol, {}).get(count, 0)
        if pays > best[2]:
            best = (symbol, count, pays)
    return best if best[2] > 0 else ("", 0, 0)


def evaluate(rules: SlotRules, at: Sequence[int], multiplier: int = 1) -> Spin:
    """What a spin stopped at `at` shows and pays."""
    view = window(rules, at)
    wins = []
    for number, line in enumerate(rules.lines, start=1):
        symbol, count, pays = line_pay(rules, [view[reel][row] for reel, row in enumerate(line)])
        if pays:
            wins.append(LineWin(number, symbol, count, pays * multiplier))
    scatters = sum(reel.count(rules.scatter) for reel in view)
    scatter = rules.scatter_pays.get(scatters, 0) * multiplier
    return Spin(tuple(at), view, tuple(wins), scatters, scatter, multiplier)


def play_round(rules: SlotRules, stream: Iterator[int]) -> SlotRound:
    """The whole round from one stream: the base spin, then any free spins it triggers."""
    base = evaluate(rules, stops(stream, rules))
    free: tuple[Spin, ...] = ()
    if base.scatters >= rules.trigger:
        free = tuple(
            evaluate(rules, stops(stream, rules), rules.free_multiplier) for _ in range(rules.free_spins)
        )
    return SlotRound(base, free)


def win_amount(rules: SlotRules, stake: int, units: int) -> int:
    """The money a number of line bets pays on `stake` (rounded down to a minor unit)."""
    return stake * units // len(rules.lines)


# --- theory ----------------------------------------------------------------------------------


def _scatter_distribution(rules: SlotRules) -> dict[int, Fraction]:
    """P(number of scatters in view), reel by reel convolved."""
    total: dict[int, Fraction] = {0: Fraction(1)}
    for strip in rules.strips:
        per_stop = Counter(_reel_window(strip, p, rules.rows).count(rules.scatter) for p in range(len(strip)))
        reel = {k: Fraction(n, len(strip)) for k, n in per_stop.items()}
        nxt: dict[int, Fraction] = {}
        for a, pa in total.items():
            for b, pb in reel.items():
                nxt[a + b] = nxt.get(a + b, Fraction(0)) + pa * pb
        total = nxt
    return total


def _reel_window(strip: Sequence[str], stop: int, rows: int) -> list[str]:
    return [strip[(stop + row) % len(strip)] for row in range(rows)]


def expected_line_pay(rules: SlotRules) -> Fraction:
    """E[pays of one line] in line bets: every symbol combination weighted by its strip counts."""
    counts = [Counter(strip) for strip in rules.strips]
    total = 0
    for combo in itertools.product(*(sorted(c) for c in counts)):
        pays = line_pay(rules, combo)[2]
        if pays:
            total += pays * math.prod(c[s] for c, s in zip(counts, combo, strict=True))
    return Fraction(total, math.prod(len(s) for s in rules.strips))


@dataclass(frozen=True)
class Theory:
    base_rtp: Fraction  # per spin, in stakes
    trigger_probability: Fraction
    rtp: Fraction  # per round (base spin and its free spins)


def theory(rules: SlotRules) -> Theory:
    """The exact return of the base spin, the feature's chance and the round's RTP."""
    scatters = _scatter_distribution(rules)
    scatter_rtp = sum((p * rules.scatter_pays.get(k, 0) for k, p in scatters.items()), Fraction(0))
    base = expected_line_pay(rules) + scatter_rtp
    trigger = sum((p for k, p in scatters.items() if k >= rules.trigger), Fraction(0))
    rtp = base + trigger * rules.free_spins * rules.free_multiplier * base
    return Theory(base, trigger, rtp)


def exact_rtp(rules: SlotRules) -> Fraction:
    """The theoretical return to player of a round, exactly."""
    return theory(rules).rtp
