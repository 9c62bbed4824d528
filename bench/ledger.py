"""Ledger benchmark: throughput and latency of transfers, bet placements and instant rounds.

Usage:
    .venv/bin/python bench/ledger.py                       # both engines, 1/8/32 workers
    .venv/bin/python bench/ledger.py --engine sqlite --seconds 3 --workers 1,8

Runs on a fresh database per engine (SQLite file in a temp dir; PostgreSQL database
`casino_bench`, URL from CASINO_BENCH_POSTGRES_URL), with 10,000 funded wallets. Workers are
processes on PostgreSQL and threads on SQLite. For each engine it measures: (a) a bare
transfer, (b) a lotto ticket through the game-neutral engine's `place_stake` (idempotency
claim, round check, funding split, debit, house credit, bet row) with one hot house account,
the default 8 house shards and a uniform spread over 1,024 house accounts, (c) the plain ORM
baseline (bench/baseline_orm.py), (d) an instant round (open, `place_stake_in`, `settle_in`,
finish, one transaction), and a dice round through `instant.dice.roll` (the seed pair's nonce,
the sealed seed, the stake, the roll, the payout and the fairness record, one transaction),
(e) idempotent replays, and (f) the storage used per posting. It
prints our/baseline ratios, then runs the ledger check and exits non-zero on any finding.
Results go into docs/PERFORMANCE.md; this is not a test. bench/compare_engine.py runs this
side by side with an earlier commit's hot path.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import workloads
from bench.load import Result, run_load
from bench.setup import bench_uow, fresh_database, seed
from bench.workloads import warm_caches, warm_replays
from casino_app.persistence.db import Database
from casino_app.services.money import ledger

BET = "bet, 8 house shards"
HOT = "bet, one hot house account"
UNIFORM = "bet, uniform (1,024 house accounts)"
ORM = "bet, ORM baseline"
INSTANT = "instant round: stake + settle, one transaction"
DICE = "instant dice round (service: seed pair, stake, settle, record)"


def storage_per_posting(url: str) -> float:
    db = Database(url)
    with db.read_engine.connect() as conn:
        n = conn.execute(sa.text("SELECT COUNT(*) FROM ledger_transactions")).scalar_one()
        if db.dialect == "postgresql":
            size = conn.execute(
                sa.text(
                    "SELECT pg_total_relation_size('ledger_transactions') + pg_total_relation_size('ledger_entries')"
                )
            ).scalar_one()
        else:
            size = _sqlite_table_bytes(conn, ("ledger_transactions", "ledger_entries"))
    db.dispose()
    return size / n if n else 0.0


def _sqlite_table_bytes(conn: sa.Connection, tables: tuple[str, ...]) -> int:
    """Pages of the tables and their indexes (dbstat when compiled in, else the whole file)."""
    try:
        names = [t for t in tables] + [
            r[0]
            for r in conn.execute(
                sa.text(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
                    f"({', '.join(repr(t) for t in tables)})"
                )
            )
        ]
        return int(
            conn.execute(
                sa.text(f"SELECT SUM(pgsize) FROM dbstat WHERE name IN ({', '.join(repr(n) for n in names)})")
            ).scalar_one()
        )
    except sa.exc.OperationalError:
        pages = conn.execute(sa.text("PRAGMA page_count")).scalar_one()
        return int(pages) * int(conn.execute(sa.text("PRAGMA page_size")).scalar_one())


def ledger_findings(url: str) -> list[str]:
    db = Database(url)
    with bench_uow(db).reader() as r:
        findings = ledger.check_integrity(r.session)
    db.dispose()
    return findings


# ---------------------------------------------------------------- report


def bench_engine(
    engine: str, workers: list[int], seconds: float, wallets: int
) -> tuple[list[Result], float, list[str]]:
    url = fresh_database(engine)
    ctx = seed(url, wallets)
    workloads.setup_instant(bench_uow(Database(url)))
    warm = warm_caches
    run_load(url, "warm-up", lambda: workloads.op_bet("warm"), 4, wallets, min(seconds, 2.0), warm)
    results: list[Result] = []
    for w in workers:
        results += [
            run_load(url, "transfer", lambda: workloads.op_transfer(ctx), w, wallets, seconds, warm),
            run_load(url, BET, lambda: workloads.op_bet(), w, wallets, seconds, warm),
            run_load(url, HOT, lambda: workloads.op_bet("hot"), w, wallets, seconds, warm, shards=1),
            run_load(url, UNIFORM, lambda: workloads.op_bet("uni"), w, wallets, seconds, warm, shards=1024),
            run_load(url, ORM, lambda: workloads.op_baseline(ctx), w, wallets, seconds, warm),
            run_load(url, INSTANT, workloads.op_instant, w, wallets, seconds, warm),
            run_load(url, DICE, workloads.op_instant_dice, w, wallets, seconds, warm),
        ]
    for w in (8, 32):
        name = "bet at 1,000/s offered (open loop)"
        results.append(run_load(url, name, lambda: workloads.op_bet("ol"), w, wallets, seconds, warm, 1000.0))
    for w in (1, 8):
        results.append(
            run_load(url, "bet replay (idempotent)", workloads.op_replay, w, wallets, seconds, warm_replays)
        )
    return results, storage_per_posting(url), ledger_findings(url)


def print_report(engine: str, results: list[Result], storage: float, findings: list[str]) -> None:
    print(f"\n## {engine}\n")
    print("| workload | workers | ops/s | p50 ms | p95 ms | p99 ms | refused |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r.name} | {r.workers} | {r.rate:,.0f} | {r.p50:.2f} | {r.p95:.2f} | {r.p99:.2f} | {r.errors} |"
        )
    by = {(r.name, r.workers): r for r in results}
    print()
    for w in sorted({r.workers for r in results if r.name == "transfer"}):
        ours, base = by[(BET, w)], by[(ORM, w)]
        hot, uni = by[(HOT, w)], by[(UNIFORM, w)]
        print(
            f"- {w} workers: bet/ORM baseline = {ours.rate / base.rate:.2f}x; "
            f"8 shards/uniform = {ours.rate / uni.rate:.2f}x; one hot account/uniform = {hot.rate / uni.rate:.2f}x"
        )
    print(f"- storage per posting (transactions + entries, indexes included): {storage:,.0f} bytes")
    print(f"- ledger check: {'OK' if not findings else f'{len(findings)} finding(s)'}")
    for f in findings[:20]:
        print(f"  - {f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--workers", default="1,8,32")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--wallets", type=int, default=10_000)
    args = parser.parse_args()
    workers = [int(w) for w in args.workers.split(",")]
    print(
        f"# ledger benchmark — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"{args.wallets:,} wallets, {args.seconds:g} s per run"
    )
    bad = 0
    for engine in ("sqlite", "postgres") if args.engine == "both" else (args.engine,):
        results, storage, findings = bench_engine(engine, workers, args.seconds, args.wallets)
        print_report(engine, results, storage, findings)
        bad += len(findings)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
