"""Running a workload on N workers, closed or open loop, and collecting latencies."""

from __future__ import annotations

import multiprocessing as mp
import random  # benchmark traffic only; outcome code never uses it
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bench.setup import bench_uow
from casino_app.domain.errors import DomainError
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork

Op = Callable[[UnitOfWork, int, int], None]
Warm = Callable[[UnitOfWork], None]


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


def _connect(db: Database, uow: UnitOfWork, warm: Warm | None) -> None:
    """Open the worker's connection and warm the caches before the clock starts: a first
    connect (and dialect set-up) would otherwise queue the first requests of an open loop."""
    with db.write_engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
    if warm is not None:
        warm(uow)


def _process(
    url: str,
    factory: Callable[[], Op],
    shards: int,
    wallets: int,
    start_at: float,
    seconds: float,
    warm: Warm | None,
    rate: float,
    out: mp.Queue,  # type: ignore[type-arg]
) -> None:
    db = Database(url)
    uow = bench_uow(db, shards)
    op = factory()
    _connect(db, uow, warm)
    out.put(_loop(uow, op, wallets, start_at, seconds, rate))
    db.dispose()


def run_load(
    url: str,
    name: str,
    factory: Callable[[], Op],
    workers: int,
    wallets: int,
    seconds: float,
    warm: Warm | None = None,
    total_rate: float = 0.0,
    shards: int = 8,
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
            uow = bench_uow(db, shards)
            _connect(db, uow, warm)
            t = next(tag)
            tagged: Op = lambda u, w, seq: op(u, w, seq * 1000 + t)  # noqa: E731
            return _loop(uow, tagged, wallets, start_at, seconds, rate)

        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(thread_work, range(workers)))
        db.dispose()
    else:
        ctx = mp.get_context("fork")
        out: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
        args = (url, factory, shards, wallets, start_at, seconds, warm, rate, out)
        procs = [ctx.Process(target=_process, args=args) for _ in range(workers)]
        for p in procs:
            p.start()
        parts = [out.get() for _ in procs]
        for p in procs:
            p.join()
    return summarize(name, workers, seconds, parts)


def summarize(name: str, workers: int, seconds: float, parts: list[tuple[list[float], int]]) -> Result:
    lat = sorted(x for chunk, _ in parts for x in chunk)
    errors = sum(err for _, err in parts)

    def pct(q: float) -> float:
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 if lat else 0.0

    return Result(name, workers, len(lat), errors, seconds, pct(0.50), pct(0.95), pct(0.99))
