"""Ledger benchmark: throughput and latency of transfers and bet placements.

Usage:
    .venv/bin/python bench/ledger.py                       # both engines, 1/8/32 workers
    .venv/bin/python bench/ledger.py --engine sqlite --seconds 3 --workers 1,8

Runs on a fresh database per engine (SQLite file in a temp dir; PostgreSQL database
`casino_bench`, URL from CASINO_BENCH_POSTGRES_URL), with 10,000 funded wallets. Workers are
processes. For each engine it measures: (a) a bare transfer, (b) a full bet placement (stake
debit, house credit, ticket row, idempotency claim) through the real hot path, with one hot
house account, the default 8 house shards and a uniform spread over 1,024 house accounts,
(c) the plain ORM baseline (bench/baseline_orm.py), (d) idempotent replays, and (e) the
storage used per posting. It prints our/baseline ratios, then runs the ledger check and
exits non-zero on any finding. Results go into docs/PERFORMANCE.md; this is not a test.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random  # benchmark traffic only; outcome code never uses it
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic.config import Config

from alembic import command
from bench.baseline_orm import place_bet_orm
from casino_app.domain.errors import DomainError
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games import lotto
from casino_app.services.money import ledger, transfers

ROOT = Path(__file__).resolve().parent.parent
FUND = 100_000_00
STAKE = 1_00
PG_URL = os.environ.get(
    "CASINO_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/casino_bench"
)


@dataclass(frozen=True)
class Result:
    name: str
    workers: int
    ops: int
    errors: int
    seconds: float
    p50: float
    p95: float
    p99: float

    @property
    def rate(self) -> float:
        return self.ops / self.seconds if self.seconds else 0.0


# ---------------------------------------------------------------- database setup


def fresh_database(engine: str) -> str:
    if engine == "sqlite":
        path = Path(tempfile.mkdtemp(prefix="casino-bench-")) / "bench.db"
        url = f"sqlite:///{path}"
    else:
        url = PG_URL
        admin = sa.create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        name = url.rsplit("/", 1)[1]
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "head")
    return url


def _user_rows(n: int, now: datetime) -> list[dict[str, object]]:
    """Rows for the users table filled from its live schema (needed columns only)."""
    table = User.__table__  # type: ignore[attr-defined]
    rows = []
    for i in range(1, n + 1):
        row: dict[str, object] = {"id": i, "role": "player", "currency": "EUR"}
        for c in table.columns:
            if c.name in row or c.nullable or c.default is not None or c.server_default is not None:
                continue
            py = c.type.python_type if hasattr(c.type, "impl") is False else c.type.impl.python_type
            if py is str:
                row[c.name] = f"bench{i}-{c.name}"[: getattr(c.type, "length", None) or 64]
            elif py is date:
                row[c.name] = date(1990, 1, 1)
            elif py is datetime:
                row[c.name] = now
            elif py is bool:
                row[c.name] = False
            else:
                row[c.name] = 0
        rows.append(row)
    return rows


def seed(url: str, wallets: int) -> dict[str, object]:
    """Game, an open draw, `wallets` funded players and 1,024 house accounts."""
    db = Database(url)
    now = datetime.now(UTC)
    with db.write_engine.begin() as conn:
        conn.execute(User.__table__.insert(), _user_rows(wallets, now))  # type: ignore[attr-defined]
        game_id = conn.execute(
            sa.text(
                "INSERT INTO lotto_games (code, name, pick, pool, paytable, min_stake, max_stake, currency, "
                "draw_interval_seconds) VALUES ('lotto649', 'Lotto 6/49', 6, 49, '3:10,4:100,5:5000,6:1000000', "
                "100, 10000, 'EUR', 300) RETURNING id"
            )
        ).scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO draws (game_id, code, status, sales_close_at, draw_at, seed_commitment, server_seed) "
                "VALUES (:g, 'bench', 'open', :c, :d, :h, :s)"
            ),
            {
                "g": game_id,
                "c": now + timedelta(days=1),
                "d": now + timedelta(days=1, minutes=1),
                "h": "0" * 64,
                "s": "1" * 64,
            },
        )
        acc = sa.table(
            "accounts",
            sa.column("code"),
            sa.column("owner_id"),
            sa.column("kind"),
            sa.column("currency"),
            sa.column("shard"),
            sa.column("balance"),
        )
        conn.execute(
            acc.insert(),
            [
                {
                    "code": ledger.account_code("player_cash", "EUR", i),
                    "owner_id": i,
                    "kind": "player_cash",
                    "currency": "EUR",
                    "shard": 0,
                    "balance": FUND,
                }
                for i in range(1, wallets + 1)
            ],
        )
        conn.execute(
            acc.insert(),
            [
                {
                    "code": ledger.account_code("house_revenue", "EUR", "lotto649", s),
                    "owner_id": None,
                    "kind": "house_revenue",
                    "currency": "EUR",
                    "shard": s,
                    "balance": 0,
                }
                for s in range(1024)
            ],
        )
        conn.execute(
            acc.insert(),
            [
                {
                    "code": "provider_clearing:bench:EUR",
                    "owner_id": None,
                    "kind": "provider_clearing",
                    "currency": "EUR",
                    "shard": 0,
                    "balance": -FUND * wallets,
                }
            ],
        )
        ids = dict(conn.execute(sa.text("SELECT code, id FROM accounts")).all())
        txn = sa.table(
            "ledger_transactions",
            sa.column("kind"),
            sa.column("idempotency_key"),
            sa.column("request_hash"),
            sa.column("reference"),
            sa.column("actor"),
            sa.column("reason"),
            sa.column("created_at"),
        )
        conn.execute(
            txn.insert(),
            [
                {
                    "kind": "deposit",
                    "idempotency_key": f"fund-{i}",
                    "request_hash": "-",
                    "reference": "",
                    "actor": "bench",
                    "reason": "",
                    "created_at": now,
                }
                for i in range(1, wallets + 1)
            ],
        )
        txn_ids = dict(
            conn.execute(
                sa.text("SELECT idempotency_key, id FROM ledger_transactions WHERE kind = 'deposit'")
            ).all()
        )
        ent = sa.table(
            "ledger_entries",
            sa.column("transaction_id"),
            sa.column("account_id"),
            sa.column("amount"),
            sa.column("currency"),
            sa.column("balance_after"),
        )
        clearing, running, rows = ids["provider_clearing:bench:EUR"], 0, []
        for i in range(1, wallets + 1):
            running -= FUND
            t = txn_ids[f"fund-{i}"]
            rows += [
                {
                    "transaction_id": t,
                    "account_id": ids[ledger.account_code("player_cash", "EUR", i)],
                    "amount": FUND,
                    "currency": "EUR",
                    "balance_after": FUND,
                },
                {
                    "transaction_id": t,
                    "account_id": clearing,
                    "amount": -FUND,
                    "currency": "EUR",
                    "balance_after": running,
                },
            ]
        conn.execute(ent.insert(), rows)
    cash = [ids[ledger.account_code("player_cash", "EUR", i)] for i in range(1, wallets + 1)]
    # Fresh statistics, so the first runs do not pay for the bulk load (autovacuum, cold plans).
    with db.write_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if db.dialect == "postgresql" else "ANALYZE")
    db.dispose()
    return {"game_id": game_id, "cash": cash, "house": ids["house_revenue:lotto649:EUR"]}


# ---------------------------------------------------------------- workloads

Op = Callable[[UnitOfWork, int, int], None]
BENCH = Actor.system("bench")


def op_transfer(ctx: dict[str, object], shards: int) -> Op:
    cash: list[int] = ctx["cash"]  # type: ignore[assignment]
    house = int(ctx["house"])  # type: ignore[call-overload]
    nonce = time.time_ns()

    def run(uow: UnitOfWork, wallet: int, seq: int) -> None:
        key = f"tr-{nonce}-{os.getpid()}-{seq}"
        transfers.transfer(
            uow, BENCH, transfers.Transfer(cash[wallet - 1], house, STAKE, "EUR", key), datetime.now(UTC)
        )

    return run


def op_bet(ctx: dict[str, object], shards: int, prefix: str = "bet") -> Op:
    lotto.HOUSE_SHARDS = shards
    nonce = time.time_ns()

    def run(uow: UnitOfWork, wallet: int, seq: int) -> None:
        key = f"{prefix}-{nonce}-{os.getpid()}-{seq}"
        cmd = lotto.PlaceLottoTicket(wallet, "lotto649", (3, 9, 17, 28, 34, 45), STAKE, key)
        lotto.place_lotto_ticket(uow, cmd, datetime.now(UTC))

    return run


def op_baseline(ctx: dict[str, object], shards: int) -> Op:
    game_id = int(ctx["game_id"])  # type: ignore[call-overload]
    nonce = time.time_ns()

    def run(uow: UnitOfWork, wallet: int, seq: int) -> None:
        place_bet_orm(
            uow,
            wallet,
            game_id,
            "house_revenue:lotto649:EUR",
            STAKE,
            f"orm-{nonce}-{os.getpid()}-{seq}",
            datetime.now(UTC),
        )

    return run


def _loop(
    uow: UnitOfWork, op: Op, wallets: int, start_at: float, seconds: float, rate: float = 0.0
) -> tuple[list[float], int]:
    """Closed loop (rate 0: as fast as possible) or open loop at `rate` ops/s per worker,
    where latency counts from the scheduled send time, so queueing is not hidden."""
    rnd = random.Random()
    lat: list[float] = []
    errors = seq = 0
    time.sleep(max(0.0, start_at - time.time()))
    begin = time.perf_counter()
    end = begin + seconds
    while (now := time.perf_counter()) < end:
        seq += 1
        t0 = now
        if rate:
            t0 = begin + seq / rate
            time.sleep(max(0.0, t0 - now))
        try:
            op(uow, rnd.randint(1, wallets), seq)
            lat.append(time.perf_counter() - t0)
        except DomainError:
            errors += 1
    return lat, errors


def _connect(db: Database, uow: UnitOfWork) -> None:
    """Open the worker's connection and load the game before the clock starts: a first
    connect (and dialect set-up) would otherwise queue the first requests of an open loop."""
    with db.write_engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
    lotto._game_facts(uow, "lotto649")


def _process(
    url: str,
    factory: Callable[[], Op],
    wallets: int,
    start_at: float,
    seconds: float,
    warm: Callable[[UnitOfWork], None] | None,
    rate: float,
    out: mp.Queue,  # type: ignore[type-arg]
) -> None:
    db = Database(url)
    uow = UnitOfWork(db)
    op = factory()
    _connect(db, uow)
    if warm is not None:
        warm(uow)
    out.put(_loop(uow, op, wallets, start_at, seconds, rate))
    db.dispose()


def run_load(
    url: str,
    name: str,
    factory: Callable[[], Op],
    workers: int,
    wallets: int,
    seconds: float,
    warm: Callable[[UnitOfWork], None] | None = None,
    total_rate: float = 0.0,
) -> Result:
    """PostgreSQL: worker processes (several app workers). SQLite: threads of one process
    sharing one Database, as the app runs (SQLite is the single-process default)."""
    start_at = time.time() + 1.5 + workers * 0.05
    rate = total_rate / workers
    if url.startswith("sqlite"):
        db = Database(url)
        op = factory()
        tag = iter(range(1_000_000))

        def thread_work(_: int) -> tuple[list[float], int]:
            uow = UnitOfWork(db)
            _connect(db, uow)
            t = next(tag)
            tagged: Op = lambda u, w, seq: op(u, w, seq * 1000 + t)  # noqa: E731
            if warm is not None:
                warm(uow)
            return _loop(uow, tagged, wallets, start_at, seconds, rate)

        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(thread_work, range(workers)))
        db.dispose()
    else:
        ctx = mp.get_context("fork")
        out: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
        procs = [
            ctx.Process(target=_process, args=(url, factory, wallets, start_at, seconds, warm, rate, out))
            for _ in range(workers)
        ]
        for p in procs:
            p.start()
        parts = [out.get() for _ in procs]
        for p in procs:
            p.join()
    lat = sorted(x for chunk, _ in parts for x in chunk)
    errors = sum(err for _, err in parts)
    pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 if lat else 0.0  # noqa: E731
    return Result(name, workers, len(lat), errors, seconds, pct(0.50), pct(0.95), pct(0.99))


def replay_load(url: str, workers: int, wallets: int, seconds: float) -> Result:
    """Idempotent replays: each worker places 200 tickets, then resends them (timed)."""
    lotto.HOUSE_SHARDS = 8

    def who() -> str:
        return f"{os.getpid()}-{threading.get_ident()}"

    def warm(uow: UnitOfWork) -> None:
        for i in range(1, 201):
            cmd = lotto.PlaceLottoTicket(i, "lotto649", (1, 2, 3, 4, 5, 6), STAKE, f"rp-{who()}-{i}")
            lotto.place_lotto_ticket(uow, cmd, datetime.now(UTC))

    def factory() -> Op:
        def run(uow: UnitOfWork, wallet: int, seq: int) -> None:
            i = (seq % 200) + 1
            cmd = lotto.PlaceLottoTicket(i, "lotto649", (1, 2, 3, 4, 5, 6), STAKE, f"rp-{who()}-{i}")
            assert lotto.place_lotto_ticket(uow, cmd, datetime.now(UTC)).replayed

        return run

    return run_load(url, "bet replay (idempotent)", factory, workers, wallets, seconds, warm)


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
    with UnitOfWork(db).reader() as r:
        findings = ledger.check_integrity(r.session)
    db.dispose()
    return findings


# ---------------------------------------------------------------- report


def bench_engine(
    engine: str, workers: list[int], seconds: float, wallets: int
) -> tuple[list[Result], float, list[str]]:
    url = fresh_database(engine)
    ctx = seed(url, wallets)
    run_load(url, "warm-up", lambda: op_bet(ctx, 8, "warm"), 4, wallets, min(seconds, 2.0))
    results: list[Result] = []
    for w in workers:
        results.append(run_load(url, "transfer", lambda: op_transfer(ctx, 8), w, wallets, seconds))
        results.append(run_load(url, "bet, 8 house shards", lambda: op_bet(ctx, 8), w, wallets, seconds))
        results.append(
            run_load(url, "bet, one hot house account", lambda: op_bet(ctx, 1, "hot"), w, wallets, seconds)
        )
        results.append(
            run_load(
                url,
                "bet, uniform (1,024 house accounts)",
                lambda: op_bet(ctx, 1024, "uni"),
                w,
                wallets,
                seconds,
            )
        )
        results.append(run_load(url, "bet, ORM baseline", lambda: op_baseline(ctx, 1), w, wallets, seconds))
    for w in (8, 32):
        results.append(
            run_load(
                url,
                "bet at 1,000/s offered (open loop)",
                lambda: op_bet(ctx, 8, "ol"),
                w,
                wallets,
                seconds,
                total_rate=1000.0,
            )
        )
    results.append(replay_load(url, 1, wallets, seconds))
    results.append(replay_load(url, 8, wallets, seconds))
    storage = storage_per_posting(url)
    return results, storage, ledger_findings(url)


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
        ours, base = by[("bet, 8 house shards", w)], by[("bet, ORM baseline", w)]
        hot, uni = by[("bet, one hot house account", w)], by[("bet, uniform (1,024 house accounts)", w)]
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
