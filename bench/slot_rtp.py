"""The slot's RTP by simulation against its exact value: 10,000,000 rounds through the production RNG.

Usage:
    .venv/bin/python bench/slot_rtp.py                      # 10,000,000 rounds on every core
    .venv/bin/python bench/slot_rtp.py --rounds 1000000 --workers 2 --server-seed <hex>

Every round's reel stops come from the production mapping (`slot.stops` on the round's
HMAC-SHA256 stream, fresh seeds unless given). Line pays come from a table of the production
`slot.line_pay` over every symbol combination; a round that starts free spins is replayed
whole by the production `slot.play_round`, and the first 5,000 rounds of every chunk are
checked against `slot.play_round` outright. It prints the exact RTP (from strips and
paytable), the simulated RTP and their difference in percentage points with the standard
error, the hit frequency (rounds that pay anything), the feature frequency and the volatility
(standard deviation of a round's return per unit staked). Exit code 1 when the simulated RTP
is more than 0.2 pp from the exact one. Not a test; figures go into docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import itertools
import math
import multiprocessing as mp
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casino_app.domain.games import fairness, rng, slot
from casino_app.services.games.instant.specs import SLOT

TOLERANCE_PP = 0.2
CHECKED = 5_000


@dataclass(frozen=True)
class Tally:
    rounds: int = 0
    returned: float = 0.0  # sum of returns per unit staked
    squares: float = 0.0
    hits: int = 0
    features: int = 0
    best: float = 0.0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.rounds + other.rounds,
            self.returned + other.returned,
            self.squares + other.squares,
            self.hits + other.hits,
            self.features + other.features,
            max(self.best, other.best),
        )


class FastSpin:
    """The base spin's pay in line bets from tables built with the production line rule."""

    def __init__(self, rules: slot.SlotRules) -> None:
        symbols = rules.symbols
        ids = {s: i for i, s in enumerate(symbols)}
        base = len(symbols)
        self.lines = [list(line) for line in rules.lines]
        self.weights = [base**reel for reel in range(slot.REELS)]
        self.pays = [0] * base**slot.REELS
        for combo in itertools.product(range(base), repeat=slot.REELS):
            pays = slot.line_pay(rules, [symbols[c] for c in combo])[2]
            if pays:
                self.pays[sum(c * w for c, w in zip(combo, self.weights, strict=True))] = pays
        # per reel, per stop: the weighted symbol id on each visible row, and the stars in view
        self.rows = [
            [
                [ids[strip[(stop + row) % len(strip)]] * self.weights[reel] for row in range(rules.rows)]
                for stop in range(len(strip))
            ]
            for reel, strip in enumerate(rules.strips)
        ]
        self.stars = [
            [
                sum(strip[(stop + row) % len(strip)] == rules.scatter for row in range(rules.rows))
                for stop in range(len(strip))
            ]
            for strip in rules.strips
        ]
        self.scatter_pays = dict(rules.scatter_pays)
        self.trigger = rules.trigger

    def units(self, stops: tuple[int, ...]) -> tuple[int, int]:
        """(line bets paid, stars in view) of a base spin."""
        cells = [self.rows[reel][stop] for reel, stop in enumerate(stops)]
        pays = self.pays
        total = sum(pays[sum(cells[reel][row] for reel, row in enumerate(line))] for line in self.lines)
        stars = sum(self.stars[reel][stop] for reel, stop in enumerate(stops))
        return total + self.scatter_pays.get(stars, 0) * len(self.lines), stars


def simulate(args: tuple[str, str, int, int]) -> Tally:
    server, client, start, count = args
    rules = slot.rules_from(SLOT.rules)
    fast, lines = FastSpin(rules), len(rules.lines)
    tally = [0, 0.0, 0.0, 0, 0, 0.0]
    for nonce in range(start, start + count):
        units, stars = fast.units(slot.stops(fairness.round_stream(server, client, nonce), rules))
        if stars >= rules.trigger or nonce - start < CHECKED:
            played = slot.play_round(rules, fairness.round_stream(server, client, nonce))
            assert played.base.units(lines) == units or played.free, f"fast path differs at nonce {nonce}"
            units = played.units(lines)
            tally[4] += bool(played.free)
        x = units / lines
        tally[0] += 1
        tally[1] += x
        tally[2] += x * x
        tally[3] += units > 0
        tally[5] = max(tally[5], x)
    return Tally(tally[0], tally[1], tally[2], tally[3], tally[4], tally[5])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10_000_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--server-seed", default="")
    parser.add_argument("--client-seed", default="")
    args = parser.parse_args()
    server = args.server_seed or rng.new_server_seed()
    client = args.client_seed or fairness.new_client_seed()
    rules = slot.rules_from(SLOT.rules)
    theory = slot.theory(rules)
    print(f"# slot RTP simulation: {args.rounds:,} rounds, {args.workers} workers")
    print(f"server seed {server} (commitment {rng.commitment(server)}), client seed {client}")
    chunk = -(-args.rounds // (args.workers * 8))
    jobs = [(server, client, s, min(chunk, args.rounds - s)) for s in range(0, args.rounds, chunk)]
    started = time.monotonic()
    with mp.get_context("fork").Pool(args.workers) as pool:
        total = sum(pool.imap_unordered(simulate, jobs), Tally())
    elapsed = time.monotonic() - started
    mean = total.returned / total.rounds
    sd = math.sqrt(max(0.0, total.squares / total.rounds - mean * mean))
    exact = float(theory.rtp)
    diff_pp = (mean - exact) * 100
    se_pp = sd / math.sqrt(total.rounds) * 100
    print(f"exact RTP      {exact * 100:.4f}%  ({theory.rtp.numerator}/{theory.rtp.denominator})")
    print(f"simulated RTP  {mean * 100:.4f}%  difference {diff_pp:+.4f} pp (standard error {se_pp:.4f} pp)")
    print(
        f"hit frequency  {total.hits / total.rounds * 100:.2f}% of rounds pay something (1 in {total.rounds / max(1, total.hits):.2f})"
    )
    print(
        f"free spins     1 in {total.rounds / max(1, total.features):.1f} rounds (exact 1 in {1 / float(theory.trigger_probability):.1f})"
    )
    print(
        f"volatility     standard deviation {sd:.3f} stakes per round; best round {total.best:.1f}x the stake"
    )
    print(f"time           {elapsed:.1f} s ({total.rounds / elapsed:,.0f} rounds/s)")
    ok = abs(diff_pp) <= TOLERANCE_PP
    print(f"{'WITHIN' if ok else 'OUTSIDE'} {TOLERANCE_PP} pp of the exact RTP")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
