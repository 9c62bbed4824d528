"""Exploration: one SQLite writer thread with group commit, against a transaction per bet.

Usage: .venv/bin/python bench/group_commit.py [--seconds 4] [--workers 8,32]

Callers hand their ticket orders to one writer thread, which places a batch of them in one
BEGIN IMMEDIATE transaction (a SAVEPOINT per order, so a refused order does not undo the
others) and answers every caller after the COMMIT. Same SQL as the hot path
(casino_app.persistence.hotpath). Printed side by side with the per-bet transactions.
"""

from __future__ import annotations

import argparse
import queue
import secrets
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import ledger as bl
from casino_app.domain.errors import DomainError
from casino_app.persistence import hotpath
from casino_app.persistence.db import Database
from casino_app.services.games import lotto
from casino_app.services.money import ledger


class GroupCommitWriter:
    """One thread owns the SQLite write connection and commits orders in batches."""

    def __init__(self, db: Database, max_batch: int = 64) -> None:
        self.db, self.max_batch = db, max_batch
        self.inbox: queue.Queue[tuple[hotpath.TicketOrder, Future[hotpath.PlacedTicket]]] = queue.Queue()
        self.batches: list[int] = []
        threading.Thread(target=self._run, daemon=True).start()

    def place(self, order: hotpath.TicketOrder) -> hotpath.PlacedTicket:
        done: Future[hotpath.PlacedTicket] = Future()
        self.inbox.put((order, done))
        return done.result()

    def _run(self) -> None:
        conn = self.db.write_engine.raw_connection()
        cur = conn.cursor()
        while True:
            batch = [self.inbox.get()]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self.inbox.get_nowait())
                except queue.Empty:
                    break
            self.batches.append(len(batch))
            outcomes: list[tuple[Future[hotpath.PlacedTicket], object]] = []
            cur.execute("BEGIN IMMEDIATE")
            for order, done in batch:
                cur.execute("SAVEPOINT one")
                try:
                    outcomes.append((done, hotpath._place_sqlite(cur, order)))
                    cur.execute("RELEASE one")
                except DomainError as err:
                    cur.execute("ROLLBACK TO one")
                    cur.execute("RELEASE one")
                    outcomes.append((done, err))
            cur.execute("COMMIT")  # answer nobody before their ticket is durable
            for done, outcome in outcomes:
                if isinstance(outcome, BaseException):
                    done.set_exception(outcome)
                else:
                    done.set_result(outcome)  # type: ignore[arg-type]


def order_for(game_id: int, wallet: int, key: str) -> hotpath.TicketOrder:
    return hotpath.TicketOrder(
        user_id=wallet,
        game_id=game_id,
        currency="EUR",
        cash_code=ledger.account_code("player_cash", "EUR", wallet),
        bonus_code=ledger.account_code("player_bonus", "EUR", wallet),
        house_code=ledger.account_code("house_revenue", "EUR", "lotto649", secrets.randbelow(8)),
        stake=bl.STAKE,
        cash_first=True,
        selection="3,9,17,28,34,45",
        validation_number=lotto.new_validation_number(),
        idempotency_key=key,
        request_hash="-",
        actor="bench",
        now=datetime.now(UTC),
    )


def run(url: str, game_id: int, workers: int, seconds: float, writer: GroupCommitWriter | None) -> bl.Result:
    db = Database(url)
    nonce = time.time_ns()
    tag = iter(range(10_000))

    def work(_: int) -> tuple[list[float], int]:
        t = next(tag)
        lat: list[float] = []
        end, seq = time.perf_counter() + seconds, 0
        while time.perf_counter() < end:
            seq += 1
            order = order_for(game_id, 1 + (seq * 7919 + t) % 10_000, f"gc-{nonce}-{t}-{seq}")
            t0 = time.perf_counter()
            if writer is None:
                hotpath.place_ticket(db, order)
            else:
                writer.place(order)
            lat.append(time.perf_counter() - t0)
        return lat, 0

    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(work, range(workers)))
    lat = sorted(x for chunk, _ in parts for x in chunk)
    pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
    name = "group commit (one writer)" if writer else "transaction per bet"
    return bl.Result(name, workers, len(lat), 0, seconds, pct(0.5), pct(0.95), pct(0.99))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--workers", default="8,32")
    args = parser.parse_args()
    url = bl.fresh_database("sqlite")
    ctx = bl.seed(url, 10_000)
    writer = GroupCommitWriter(Database(url))
    print(
        "| mode | workers | bets/s | p50 ms | p95 ms | p99 ms |\n| --- | ---: | ---: | ---: | ---: | ---: |"
    )
    for w in (int(x) for x in args.workers.split(",")):
        for mode in (None, writer):
            r = run(url, int(ctx["game_id"]), w, args.seconds, mode)  # type: ignore[call-overload]
            print(f"| {r.name} | {w} | {r.rate:,.0f} | {r.p50:.2f} | {r.p95:.2f} | {r.p99:.2f} |")
    sizes = writer.batches
    print(
        f"\nmean group size {sum(sizes) / len(sizes):.1f}; ledger check: "
        f"{'OK' if not bl.ledger_findings(url) else 'FINDINGS'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
