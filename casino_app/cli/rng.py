"""`python -m casino_app rng sample|report`: outcomes through the production mapping code.

`rng sample --game dice|roulette|slot --count N` writes one round per line as CSV,
`nonce,outcome...` (dice: the roll 0-9999; roulette: the pocket 0-36, the line's last field;
slot: the base spin's five reel stops), from a fresh seed pair unless one is given; the seeds
go to standard error so a lab can reproduce the file. `rng report` runs chi-square at 99% on
at least 1,000,000 mapped outcomes per mapping (dice rolls, roulette pockets, each slot reel's
stops) and frequency, runs and byte tests on the raw stream; exit code 1 if any fails.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from casino_app.bootstrap import Wiring
from casino_app.domain.errors import InvalidInput
from casino_app.domain.games import dice, fairness, rng, roulette, slot, uniformity
from casino_app.services.games.instant.specs import SLOT

GAMES = ("dice", "roulette", "slot")
REPORT_COUNT = 1_000_000


def _slot_rules() -> slot.SlotRules:
    return slot.rules_from(SLOT.rules)


def mapper(game: str) -> Callable[[Iterator[int]], tuple[int, ...]]:
    """The production mapping of one round's stream to the outcome fields written per line."""
    if game == "dice":
        return lambda stream: (dice.roll(stream),)
    if game == "roulette":
        return lambda stream: (roulette.spin(stream),)
    rules = _slot_rules()
    return lambda stream: slot.stops(stream, rules)


def outcomes(
    game: str, server_seed: str, client_seed: str, count: int, start: int = 0
) -> Iterator[tuple[int, ...]]:
    """The outcomes of rounds `start` .. `start + count - 1` of one seed pair."""
    mapping = mapper(game)
    for nonce in range(start, start + count):
        yield mapping(fairness.round_stream(server_seed, client_seed, nonce))


def _seeds(args: argparse.Namespace) -> tuple[str, str]:
    server = args.server_seed or rng.new_server_seed()
    if len(server) != 2 * rng.SEED_BYTES or any(c not in "0123456789abcdefABCDEF" for c in server):
        raise InvalidInput("A server seed is 64 hex digits.")
    client = fairness.validate_client_seed(args.client_seed or fairness.new_client_seed())
    return server, client


def _sample(args: argparse.Namespace, wiring: Wiring, out: TextIO = sys.stdout) -> int:
    server, client = _seeds(args)
    print(f"server_seed={server} commitment={rng.commitment(server)} client_seed={client}", file=sys.stderr)
    for offset, outcome in enumerate(outcomes(args.game, server, client, args.count, args.start)):
        out.write(",".join(map(str, (args.start + offset, *outcome))) + "\n")
    return 0


def mapped_checks(count: int, server: str, client: str) -> list[tuple[str, uniformity.ChiSquare]]:
    """Chi-square of each mapping: dice rolls, roulette pockets, every slot reel's stops."""
    results = [
        (
            "dice roll 0-9999",
            uniformity.chi_square((o[0] for o in outcomes("dice", server, client, count)), dice.RANGE),
        ),
        (
            "roulette pocket 0-36",
            uniformity.chi_square(
                (o[0] for o in outcomes("roulette", server, client, count)), roulette.POCKETS
            ),
        ),
    ]
    rules = _slot_rules()
    stops = list(outcomes("slot", server, client, count))
    for reel, strip in enumerate(rules.strips):
        results.append(
            (
                f"slot reel {reel + 1} stop 0-{len(strip) - 1}",
                uniformity.chi_square((s[reel] for s in stops), len(strip)),
            )
        )
    return results


def _report(args: argparse.Namespace, wiring: Wiring) -> int:
    server, client = _seeds(args)
    print(f"# RNG report: {args.count:,} outcomes per mapping, chi-square at 99%")
    print(f"server seed {server} (commitment {rng.commitment(server)}), client seed {client}\n")
    failed = 0
    started = time.monotonic()
    for name, result in [
        *mapped_checks(args.count, server, client),
        *stream_checks(server, client, args.bits),
    ]:
        ok = result.passed
        failed += not ok
        print(
            f"{'PASS' if ok else 'FAIL'}  {name:<28} n={result.samples:>10,}  "
            f"chi2={result.statistic:12.2f}  critical={result.critical:10.2f}  df={result.categories - 1}"
        )
    print(f"\n{'all passed' if not failed else f'{failed} failed'} in {time.monotonic() - started:.1f} s")
    if failed:
        print("At 99% about one check in a hundred fails by chance: run the report again on fresh seeds.")
    return 1 if failed else 0


def stream_checks(server: str, client: str, bits: int) -> list[tuple[str, uniformity.ChiSquare]]:
    """The raw stream: bit frequency (monobit), runs of equal bits, and byte values (SP 800-22 style)."""
    stream = rng.byte_stream(server, f"{client}:raw")
    raw = bytes(next(stream) for _ in range(bits // 8))
    return [
        ("raw stream monobit", uniformity.monobit(raw)),
        ("raw stream runs", uniformity.runs(raw)),
        ("raw stream bytes 0-255", uniformity.chi_square(iter(raw), 256)),
    ]


def register(sub: Any) -> None:
    parser = sub.add_parser("rng", help="RNG samples and the uniformity report")
    cmds = parser.add_subparsers(dest="rng_cmd", required=True)
    sample = cmds.add_parser("sample", help="write mapped outcomes as CSV, one round per line")
    sample.add_argument("--game", choices=GAMES, required=True)
    sample.add_argument("--count", type=int, default=REPORT_COUNT)
    sample.add_argument("--start", type=int, default=0, help="the first nonce")
    sample.add_argument("--server-seed", default="", help="hex; default: a fresh one")
    sample.add_argument("--client-seed", default="")
    sample.set_defaults(fn=_sample)
    report = cmds.add_parser("report", help="chi-square at 99% per mapping and raw stream tests")
    report.add_argument("--count", type=int, default=REPORT_COUNT)
    report.add_argument("--bits", type=int, default=8_000_000)
    report.add_argument("--server-seed", default="")
    report.add_argument("--client-seed", default="")
    report.set_defaults(fn=_report)
