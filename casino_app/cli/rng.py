"""`python -m casino_app rng stream|sample|report`: the RNG for outside batteries, the certification.

`rng stream --bytes N` writes the raw HMAC stream (`rng.byte_stream`) to standard output for
dieharder or PractRand (`--bytes 0`: until the pipe closes). `rng sample --game G --count N`
writes mapped outcomes through the production code as CSV, one per line: dice
`nonce,roll` (0-9999), roulette `nonce,pocket` (0-36), slot `nonce,stop1..stop5`, lotto
(`lotto649`, `quick535`) `draw_id,n1..nk` (ascending, `lotto.draw_numbers`). Seeds (and the
lotto ticket root) go to standard error so a lab can reproduce the file. `rng report` runs the
SP 800-22 battery and chi-square at 99% on every outcome space (`services/games/certification`),
prints the figures and the run time, stores them (`rng_reports`); exit code 1 if any fails.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, TextIO

from casino_app.bootstrap import Wiring
from casino_app.domain.errors import InvalidInput
from casino_app.domain.games import dice, fairness, rng, roulette, slot, uniformity
from casino_app.domain.identity.actor import Actor
from casino_app.services.games.certification import records, run
from casino_app.services.games.instant.specs import SLOT

INSTANT = ("dice", "roulette", "slot")
LOTTO = tuple(code for code, _ in run.lotto_rules())
GAMES = INSTANT + LOTTO
REPORT_COUNT = 1_000_000
CHUNK = 1 << 16
CLI = Actor.system("cli")


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


def _hex64(text: str, what: str) -> str:
    if len(text) != 2 * rng.SEED_BYTES or any(c not in "0123456789abcdefABCDEF" for c in text):
        raise InvalidInput(f"A {what} is 64 hex digits.")
    return text.lower()


def _seeds(args: argparse.Namespace) -> tuple[str, str]:
    server = _hex64(args.server_seed or rng.new_server_seed(), "server seed")
    client = fairness.validate_client_seed(args.client_seed or fairness.new_client_seed())
    return server, client


def _sample(args: argparse.Namespace, wiring: Wiring, out: TextIO = sys.stdout) -> int:
    server, client = _seeds(args)
    if args.game in LOTTO:
        return _sample_lotto(args, server, out)
    print(f"server_seed={server} commitment={rng.commitment(server)} client_seed={client}", file=sys.stderr)
    for offset, outcome in enumerate(outcomes(args.game, server, client, args.count, args.start)):
        out.write(",".join(map(str, (args.start + offset, *outcome))) + "\n")
    return 0


def _sample_lotto(args: argparse.Namespace, server: str, out: TextIO) -> int:
    root = _hex64(getattr(args, "root", "") or secrets.token_hex(32), "ticket root")
    rules = dict(run.lotto_rules())[args.game]
    start = max(1, args.start)
    print(f"server_seed={server} commitment={rng.commitment(server)} ticket_root={root}", file=sys.stderr)
    for draw_id, numbers in enumerate(run.lotto_draws(rules, server, root, args.count, start), start):
        out.write(",".join(map(str, (draw_id, *numbers))) + "\n")
    return 0


def _stream(args: argparse.Namespace, wiring: Wiring, out: BinaryIO | None = None) -> int:
    sink = out or sys.stdout.buffer
    server = _hex64(args.server_seed or rng.new_server_seed(), "server seed")
    print(f"server_seed={server} message={args.message}", file=sys.stderr)
    stream = rng.byte_stream(server, args.message)
    left = args.bytes if args.bytes > 0 else -1
    try:
        while left != 0:
            size = CHUNK if left < 0 else min(CHUNK, left)
            sink.write(bytes(next(stream) for _ in range(size)))
            left = left - size if left > 0 else left
        sink.flush()
    except BrokenPipeError:
        pass  # the battery has read what it needs
    return 0


def stream_checks(server: str, client: str, bits: int) -> list[tuple[str, uniformity.ChiSquare]]:
    """The raw stream: bit frequency (monobit), runs of equal bits, and byte values (SP 800-22 style)."""
    stream = rng.byte_stream(server, f"{client}:raw")
    raw = bytes(next(stream) for _ in range(bits // 8))
    return [
        ("raw stream monobit", uniformity.monobit(raw)),
        ("raw stream runs", uniformity.runs(raw)),
        ("raw stream bytes 0-255", uniformity.chi_square(iter(raw), 256)),
    ]


def print_report(report: run.Report, out: TextIO = sys.stdout) -> None:
    """The figures as a plain-text table."""
    out.write(
        f"# RNG report: SP 800-22 on {report.sequences} sequences of {report.bits:,} bits (alpha 0.01); "
        f"chi-square at 99% on {report.mapped_samples:,} outcomes per outcome space\n"
        f"seed commitment {rng.commitment(report.seed)} (seed {report.seed})\n\n"
    )
    for b in report.battery:
        out.write(
            f"{'PASS' if b.ok else 'FAIL'}  {b.name:<20} {b.passed:>4}/{b.sequences:<4} "
            f"proportion {b.proportion:.4f} (min {b.low:.4f})  uniformity P_T {b.uniformity:.6f}\n"
        )
    out.write("\n")
    for m in report.mapped:
        out.write(
            f"{'PASS' if m.ok else 'FAIL'}  {m.name:<16} n={m.samples:>10,}  chi2={m.statistic:11.2f}  "
            f"df={m.categories - 1:<5} p={m.p_value:.6f}\n"
        )
    timing = ", ".join(f"{k} {v:.1f}" for k, v in report.timings.items())
    verdict = "all passed" if report.passed else "FAILED"
    out.write(f"\n{verdict} in {report.seconds:.1f} s ({timing})\n")


def _report(args: argparse.Namespace, wiring: Wiring, out: TextIO = sys.stdout) -> int:
    if args.bits % 8 or args.bits < 1_000 or args.sequences < 1 or args.count < 1:
        raise InvalidInput("bits: a multiple of 8, at least 1,000; sequences and count: at least 1.")
    seed = _hex64(args.server_seed, "server seed") if args.server_seed else None
    report = run.run_report(args.sequences, args.bits, args.count, seed)
    print_report(report, out)
    if not args.no_store:
        stored = records.record_report(wiring.uow(), CLI, report, records.code_version(), wiring.now())
        out.write(f"stored as rng report {stored.id} ({stored.code_version})\n")
    return 0 if report.passed else 1


def register(sub: Any) -> None:
    parser = sub.add_parser("rng", help="RNG stream, samples and the certification report")
    cmds = parser.add_subparsers(dest="rng_cmd", required=True)
    stream = cmds.add_parser("stream", help="raw HMAC stream bytes to stdout (dieharder, PractRand)")
    stream.add_argument("--bytes", type=int, default=0, help="how many; 0 = until the pipe closes")
    stream.add_argument("--server-seed", default="", help="hex; default: a fresh one")
    stream.add_argument("--message", default="stream", help="the HMAC message prefix")
    stream.set_defaults(fn=_stream)
    sample = cmds.add_parser("sample", help="write mapped outcomes as CSV, one round or draw per line")
    sample.add_argument("--game", choices=GAMES, required=True)
    sample.add_argument("--count", type=int, default=REPORT_COUNT)
    sample.add_argument("--start", type=int, default=0, help="the first nonce (lotto: draw id, from 1)")
    sample.add_argument("--server-seed", default="", help="hex; default: a fresh one")
    sample.add_argument("--client-seed", default="")
    sample.add_argument("--root", default="", help="lotto: the ticket root (hex); default: a random one")
    sample.set_defaults(fn=_sample)
    report = cmds.add_parser("report", help="SP 800-22 battery and chi-square at 99%, stored")
    report.add_argument("--sequences", type=int, default=run.SEQUENCES)
    report.add_argument("--bits", type=int, default=run.BITS, help="bits per sequence")
    report.add_argument("--count", type=int, default=run.MAPPED, help="outcomes per outcome space")
    report.add_argument("--server-seed", default="")
    report.add_argument("--no-store", action="store_true", help="print only")
    report.set_defaults(fn=_report)
