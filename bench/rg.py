"""What the responsible-gaming pre-debit checks cost a bet, on both engines, in one run.

Usage:
    .venv/bin/python bench/rg.py                          # both engines, 1 and 8 workers, 4 s per row
    .venv/bin/python bench/rg.py --engine sqlite --workers 1 --seconds 3 --rounds 1

A fresh database per engine (bench/setup.py: funded wallets, a lotto draw open), split in
three ranges of wallets: no RG state at all; loss, wager and deposit limits on every wallet
(per 24 h, 7 days and 30 days); and the same limits with a month of hourly usage (720 hours of
play: the most a limit check ever sums). Each row places lotto tickets through
`lotto.place_lotto_ticket` -> `place_stake` (the same call as bench/ledger.py's bet row) with:

  no pre-debit facts  the registry without responsible gaming: one statement on PostgreSQL
  RG, no limits       the default wiring (responsible gaming registered), players without limits
  RG, limits          every wallet with nine money limits in force
  RG, limits, 720 h   the same, with a month of hourly usage to sum

The rows run interleaved, `--rounds` times, so drift hits all of them alike; the report gives
each row's median p50 and its difference from "no pre-debit facts". A last pair of rows
measures the usage trigger on `bets` itself (dropped, then restored). Target: the checks add
at most 0.5 ms p50. Not a test; figures go into docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import workloads
from bench.load import Op, Result, run_load
from bench.setup import fresh_database, seed
from casino_app.bootstrap import default_stake_checks
from casino_app.domain.games.checks import StakeChecks, default_checks
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games import lotto

TARGET_MS = 0.5
LIMIT = 1_000_000_00  # high enough that no bet of the run is refused
HOURS = 720


def op_bet(checks: StakeChecks, first: int, count: int, prefix: str) -> Callable[[], Op]:
    """A lotto ticket by a wallet of [first, first + count) through a wiring with `checks`."""

    def factory() -> Op:
        nonce = time.time_ns()

        def run(uow: UnitOfWork, wallet: int, seq: int) -> None:
            work = UnitOfWork(uow.database, replace(uow.context, stake_checks=checks))
            player = first + wallet % count
            key = f"{prefix}-{nonce}-{os.getpid()}-{seq}"
            cmd = lotto.PlaceLottoTicket("lotto649", workloads.SELECTION, workloads.STAKE, key)
            lotto.place_lotto_ticket(work, Actor.player(player), cmd, datetime.now(UTC))

        return run

    return factory


def seed_rg(url: str, first: int, count: int, *, history: bool) -> None:
    """Nine money limits on wallets [first, first + count); with `history`, 720 hours of usage each."""
    db = Database(url)
    columns = [f"{k}_{p}" for k in ("deposit", "loss", "wager") for p in ("day", "week", "month")]
    with db.write_engine.begin() as conn:
        conn.execute(
            sa.text(
                f"INSERT INTO rg_wallet_limits (user_id, currency, {', '.join(columns)}) "
                f"VALUES (:u, 'EUR', {', '.join(':v' for _ in columns)})"
            ),
            [{"u": u, "v": LIMIT} for u in range(first, first + count)],
        )
        if history:
            _seed_history(conn, db.dialect, first, count)
    db.dispose()


def _seed_history(conn: sa.Connection, dialect: str, first: int, count: int) -> None:
    start = (datetime.now(UTC) - timedelta(hours=HOURS)).replace(minute=0, second=0, microsecond=0)
    if dialect == "postgresql":
        conn.execute(
            sa.text(
                "INSERT INTO rg_usage (user_id, currency, hour, staked, won) "
                "SELECT u, 'EUR', CAST(:s AS timestamptz) + h * interval '1 hour', 100, 90 "
                "FROM generate_series(CAST(:a AS integer), CAST(:b AS integer)) u, generate_series(0, CAST(:n AS integer) - 1) h"
            ),
            {"s": start, "a": first, "b": first + count - 1, "n": HOURS},
        )
        return
    text = start.strftime("%Y-%m-%d %H:%M:%S")
    conn.execute(
        sa.text(
            "WITH RECURSIVE h(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM h WHERE n < :n - 1), "
            "u(id) AS (SELECT :a UNION ALL SELECT id + 1 FROM u WHERE id < :b) "
            "INSERT INTO rg_usage (user_id, currency, hour, staked, won) "
            "SELECT u.id, 'EUR', strftime('%Y-%m-%d %H:00:00.000000', :s, '+' || h.n || ' hours'), 100, 90 "
            "FROM u, h"
        ),
        {"s": text, "a": first, "b": first + count - 1, "n": HOURS},
    )


def _set_trigger(url: str, on: bool, saved: dict[str, str]) -> None:
    """Drop or restore the usage trigger on bets' inserts (the running totals' cost on its own)."""
    db = Database(url)
    with db.write_engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.exec_driver_sql(
                f"ALTER TABLE bets {'ENABLE' if on else 'DISABLE'} TRIGGER bets_rg_usage_stake"
            )
        elif on:
            conn.exec_driver_sql(saved["sql"])
        else:
            saved["sql"] = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'bets_rg_usage_stake'"
            ).scalar_one()
            conn.exec_driver_sql("DROP TRIGGER bets_rg_usage_stake")
    db.dispose()


def bench_engine(engine: str, workers: list[int], seconds: float, wallets: int, rounds: int) -> list[Result]:
    url = fresh_database(engine)
    seed(url, wallets)
    third = wallets // 3
    seed_rg(url, third + 1, third, history=False)
    seed_rg(url, 2 * third + 1, third, history=True)
    plain, rg = default_checks(), default_stake_checks()
    rows = [
        ("no pre-debit facts", op_bet(plain, 1, third, "none")),
        ("RG, no limits", op_bet(rg, 1, third, "rg")),
        ("RG, limits on every wallet", op_bet(rg, third + 1, third, "lim")),
        (f"RG, limits, {HOURS} h of usage", op_bet(rg, 2 * third + 1, third, "hist")),
    ]
    warm = workloads.warm_caches
    run_load(url, "warm-up", rows[1][1], 2, wallets, min(seconds, 2.0), warm)
    results: list[Result] = []
    for w in workers:
        for _ in range(rounds):
            results += [run_load(url, name, factory, w, wallets, seconds, warm) for name, factory in rows]
    saved: dict[str, str] = {}
    _set_trigger(url, False, saved)
    for w in workers:
        results.append(
            run_load(url, "no pre-debit facts, usage trigger off", rows[0][1], w, wallets, seconds, warm)
        )
    _set_trigger(url, True, saved)
    for w in workers:
        results.append(
            run_load(url, "no pre-debit facts, usage trigger on", rows[0][1], w, wallets, seconds, warm)
        )
    return results


def print_report(engine: str, results: list[Result]) -> None:
    print(f"\n## {engine}\n")
    print("| workload | workers | runs | ops/s | p50 ms | p95 ms | p99 ms | p50 added ms | refused |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    grouped: dict[tuple[str, int], list[Result]] = {}
    for r in results:
        grouped.setdefault((r.name, r.workers), []).append(r)
    for (name, w), runs in grouped.items():
        base = grouped.get(("no pre-debit facts", w), runs)
        p50 = statistics.median(r.p50 for r in runs)
        added = p50 - statistics.median(r.p50 for r in base)
        print(
            f"| {name} | {w} | {len(runs)} | {statistics.median(r.rate for r in runs):,.0f} | {p50:.3f} "
            f"| {statistics.median(r.p95 for r in runs):.2f} | {statistics.median(r.p99 for r in runs):.2f} "
            f"| {added:+.3f} | {sum(r.errors for r in runs)} |"
        )
    worst = max(
        (
            statistics.median(r.p50 for r in runs)
            - statistics.median(r.p50 for r in grouped[("no pre-debit facts", w)])
            for (name, w), runs in grouped.items()
            if name.startswith("RG")
        ),
        default=0.0,
    )
    verdict = "within" if worst <= TARGET_MS else "OVER"
    print(f"\n- the RG checks add at most {worst:.3f} ms p50 ({verdict} the {TARGET_MS} ms target)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--workers", default="1,8")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--wallets", type=int, default=3_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    workers = [int(w) for w in args.workers.split(",")]
    print(
        f"# responsible-gaming check cost — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"{args.wallets:,} wallets, {args.seconds:g} s per run, {args.rounds} rounds"
    )
    for engine in ("sqlite", "postgres") if args.engine == "both" else (args.engine,):
        print_report(engine, bench_engine(engine, workers, args.seconds, args.wallets, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
