"""The RNG report: the SP 800-22 battery on raw HMAC streams and chi-square on mapped outcomes.

Raw sequences are `rng.byte_stream(seed, "certify:<i>")`, one per sequence, from one fresh
seed (its commitment and the seed itself are kept with the figures: the seed decides no
outcome). Mapped outcomes go through each game's production mapping: dice rolls, roulette
pockets, every slot reel's stops (`fairness.round_stream`) and lotto draws
(`lotto.draw_numbers` over a random ticket root and draw ids 1, 2, 3 ...).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from casino_app.domain.certification import battery, mapped
from casino_app.domain.certification.bits import Bits
from casino_app.domain.games import dice, fairness, lotto, rng, roulette, slot
from casino_app.services.backoffice.seed import GAMES as LOTTO_GAMES
from casino_app.services.games.instant.specs import SLOT

SEQUENCES = 100
BITS = 1_000_000
MAPPED = 1_000_000
CLIENT = "certify"


@dataclass(frozen=True)
class Report:
    """What one run found; `figures()` is what is stored and published."""

    seed: str
    sequences: int
    bits: int
    mapped_samples: int
    battery: list[battery.BatteryLine]
    mapped: list[mapped.MappedLine]
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return all(line.ok for line in self.battery) and all(line.ok for line in self.mapped)

    def figures(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "seed_commitment": rng.commitment(self.seed),
            "battery": [
                {
                    "test": b.name,
                    "sequences": b.sequences,
                    "passed": b.passed,
                    "proportion": round(b.proportion, 4),
                    "minimum": round(b.low, 4),
                    "uniformity_p": round(b.uniformity, 6),
                    "ok": b.ok,
                }
                for b in self.battery
            ],
            "mapped": [
                {
                    "outcome": m.name,
                    "categories": m.categories,
                    "samples": m.samples,
                    "chi2": round(m.statistic, 2),
                    "p": round(m.p_value, 6),
                    "ok": m.ok,
                }
                for m in self.mapped
            ],
            "timings": {k: round(v, 1) for k, v in self.timings.items()},
        }


def raw_sequence(seed: str, index: int, nbytes: int) -> bytes:
    """Sequence `index` of the report: the first `nbytes` of its HMAC stream."""
    return bytes(islice(rng.byte_stream(seed, f"certify:{index}"), nbytes))


def run_battery(seed: str, sequences: int, bits: int) -> list[battery.BatteryLine]:
    """The SP 800-22 battery over `sequences` raw sequences of `bits` bits (a multiple of 8)."""
    return battery.judge(
        battery.run_all(Bits.of_bytes(raw_sequence(seed, i, bits // 8))) for i in range(sequences)
    )


def _instant(game: str, seed: str, count: int, mapping: Callable[[Iterator[int]], Any]) -> Iterator[Any]:
    for nonce in range(count):
        yield mapping(fairness.round_stream(seed, CLIENT, nonce))


def lotto_rules() -> list[tuple[str, lotto.LottoRules]]:
    """The lotto games' rules as seeded (6/49, 5/35)."""
    return [(spec.code, lotto.rules_from(spec.rules, 1, 1)) for spec in LOTTO_GAMES]


def lotto_draws(
    rules: lotto.LottoRules, seed: str, root: str, count: int, start: int = 1
) -> Iterator[list[int]]:
    """Draws `start` .. `start + count - 1` over one ticket root, through `lotto.draw_numbers`."""
    for draw_id in range(start, start + count):
        yield lotto.draw_numbers(rules, seed, root, draw_id)


def run_mapped(seed: str, count: int) -> list[mapped.MappedLine]:
    """Chi-square at 99% of every game's outcome space, `count` outcomes (lotto: draws) each.

    Lines are named by outcome space: "dice" (rolls 0-9999), "roulette" (pockets 0-36),
    "slot-reel:<n>" (reel n's stops), "lotto:<game code>" (every number of every draw).
    """
    lines = [
        mapped.mapped_line("dice", _instant("dice", seed, count, dice.roll), dice.RANGE),
        mapped.mapped_line("roulette", _instant("roulette", seed, count, roulette.spin), roulette.POCKETS),
    ]
    rules = slot.rules_from(SLOT.rules)
    stops = list(_instant("slot", seed, count, lambda s: slot.stops(s, rules)))
    for reel, strip in enumerate(rules.strips):
        lines.append(mapped.mapped_line(f"slot-reel:{reel + 1}", (s[reel] for s in stops), len(strip)))
    root = secrets.token_hex(32)
    for code, lr in lotto_rules():
        draws = lotto_draws(lr, seed, root, count)
        lines.append(mapped.lotto_line(f"lotto:{code}", draws, lr.pick, lr.pool))
    return lines


def run_report(
    sequences: int = SEQUENCES, bits: int = BITS, count: int = MAPPED, seed: str | None = None
) -> Report:
    """The whole report from a fresh seed (or a given one, to reproduce a run)."""
    seed = seed or rng.new_server_seed()
    started = time.monotonic()
    lines = run_battery(seed, sequences, bits)
    after_battery = time.monotonic()
    outcomes = run_mapped(seed, count)
    ended = time.monotonic()
    timings = {"battery_s": after_battery - started, "mapped_s": ended - after_battery}
    return Report(seed, sequences, bits, count, lines, outcomes, ended - started, timings)
