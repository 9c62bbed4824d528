"""Instant rounds: bet + settle latency of each casino game through its service, both engines.

Usage:
    .venv/bin/python bench/instant.py                         # both engines, 1 and 8 workers, 4 s each
    .venv/bin/python bench/instant.py --engine sqlite --workers 1 --seconds 3

A fresh database per engine (as bench/ledger.py: 10,000 funded wallets, the first 1,000 with a
seed pair). Each row is one round per call of the service the UI calls — its seed pair's
nonce, the sealed seed, the stake (`place_stake_in`), the outcome from the HMAC stream, the
payout (`settle_in`) and the fairness record, one transaction — next to the bare engine round
(a coin flip the benchmark decides). Target: p95 <= 10 ms on SQLite and on PostgreSQL.
Not a test; figures go into docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import workloads
from bench.load import Op, run_load
from bench.setup import bench_uow, fresh_database, seed
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games.instant import roulette, slot

TARGET_P95_MS = 10.0


def op_roulette() -> Op:
    nonce = time.time_ns()

    def run(uow: UnitOfWork, wallet: int, seq: int) -> None:
        player = Actor.player((wallet - 1) % workloads.INSTANT_PLAYERS + 1)
        bets = (("red", workloads.STAKE), ("straight:17", 10), ("dozen:2", 50))
        cmd = roulette.SpinRoulette(bets, f"rl-{nonce}-{os.getpid()}-{seq}", version=1)
        roulette.spin_wheel(uow, player, cmd, datetime.now(UTC))

    return run


def op_slot() -> Op:
    """A slot spin; players take turns so that none spins twice within the 2.5 s pace."""
    nonce = time.time_ns()
    turns = itertools.count(os.getpid() * 131)

    def run(uow: UnitOfWork, wallet: int, seq: int) -> None:
        player = Actor.player(next(turns) % workloads.INSTANT_PLAYERS + 1)
        cmd = slot.SpinSlot(workloads.STAKE, f"sl-{nonce}-{os.getpid()}-{seq}", version=1)
        slot.spin(uow, player, cmd, datetime.now(UTC))

    return run


ROWS = (
    ("engine round (coin flip, no fairness record)", workloads.op_instant),
    ("dice round", workloads.op_instant_dice),
    ("roulette spin, 3 bets", op_roulette),
    ("slot spin", op_slot),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--workers", default="1,8")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--wallets", type=int, default=10_000)
    args = parser.parse_args()
    workers = [int(w) for w in args.workers.split(",")]
    print(
        f"# instant rounds — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, {args.seconds:g} s per run"
    )
    worst = 0.0
    for engine in ("sqlite", "postgres") if args.engine == "both" else (args.engine,):
        url = fresh_database(engine)
        seed(url, args.wallets)
        workloads.setup_instant(bench_uow(Database(url)))
        print(f"\n## {engine}\n\n| round | workers | rounds/s | p50 ms | p95 ms | p99 ms | refused |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for w in workers:
            for name, factory in ROWS:
                r = run_load(url, name, factory, w, args.wallets, args.seconds, workloads.warm_caches)
                print(
                    f"| {name} | {w} | {r.rate:,.0f} | {r.p50:.2f} | {r.p95:.2f} | {r.p99:.2f} | {r.errors} |"
                )
                if w == 1 and factory is not workloads.op_instant:
                    worst = max(worst, r.p95)
    print(f"\nworst single-worker game p95: {worst:.2f} ms (target {TARGET_P95_MS:g} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
