"""The ledger under real concurrency (docs/LEDGER.md: the database is the only guard).

PostgreSQL: 50 threads x 20 debits of 10 against one wallet of 1,000; 20 threads with one
idempotency key; transfers both ways between two accounts. SQLite: the double-spend race
from several processes.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from casino_app.domain.errors import InsufficientFunds
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.vocabulary import AccountKind, TransactionKind
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.money import ledger, transfers
from tests.support import FIXED_NOW, count_rows, make_wiring, scalar

Funded = Callable[..., UserView]
SYSTEM = Actor.system("race")


def _uow(db: Database) -> UnitOfWork:
    """A unit of work of a wiring over `db` (one per request, as in the app)."""
    return make_wiring(db).uow()


def _accounts(uow: UnitOfWork, user: UserView) -> tuple[int, int]:
    with uow:
        cash = ledger.player_cash_account(uow.session, user.id, "EUR")
        house = ledger.ensure_account(
            uow.session, kind=AccountKind.HOUSE_REVENUE, currency="EUR", owner="race"
        )
        uow.commit()
        return cash, house


def _debit(db: Database, cash: int, house: int, key: str, now: datetime) -> str:
    try:
        transfers.transfer(
            _uow(db), SYSTEM, transfers.Transfer(cash, house, 10, "EUR", key, kind=TransactionKind.STAKE), now
        )
        return "ok"
    except InsufficientFunds:
        return "insufficient"


def _race(threads: int, work: Callable[[int], list[str]]) -> Counter[str]:
    barrier = threading.Barrier(threads)

    def run(worker: int) -> list[str]:
        barrier.wait()
        return work(worker)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return Counter(o for batch in pool.map(run, range(threads)) for o in batch)


def _never_negative(db: Database, account: int) -> None:
    assert count_rows(db, "ledger_entries", f"account_id = {account} AND balance_after < 0") == 0
    assert scalar(db, "SELECT balance FROM accounts WHERE id = :a", a=account) == 0


def _assert_ledger_clean(db: Database) -> None:
    with _uow(db).reader() as r:
        assert ledger.check_integrity(r.session) == []


@pytest.mark.postgres
def test_fifty_threads_of_twenty_debits_spend_exactly_one_thousand(
    pg_db: Database, funded_player_on: Callable[[Database, int], UserView], now: datetime
) -> None:
    cash, house = _accounts(_uow(pg_db), funded_player_on(pg_db, 1_000))
    outcomes = _race(50, lambda w: [_debit(pg_db, cash, house, f"d-{w}-{i}", now) for i in range(20)])
    assert outcomes == Counter({"ok": 100, "insufficient": 900})
    _never_negative(pg_db, cash)
    _assert_ledger_clean(pg_db)


@pytest.mark.postgres
def test_twenty_threads_sending_one_idempotency_key_make_one_effect(
    pg_db: Database, funded_player_on: Callable[[Database, int], UserView], now: datetime
) -> None:
    cash, house = _accounts(_uow(pg_db), funded_player_on(pg_db, 1_000))
    outcomes = _race(20, lambda w: [_debit(pg_db, cash, house, "the-same-key", now)])
    assert outcomes == Counter({"ok": 20})
    assert scalar(pg_db, "SELECT balance FROM accounts WHERE id = :a", a=cash) == 990
    assert count_rows(pg_db, "ledger_transactions", "idempotency_key = 'the-same-key'") == 1
    _assert_ledger_clean(pg_db)


@pytest.mark.postgres
def test_transfers_both_ways_between_two_accounts_never_deadlock_for_the_caller(
    pg_db: Database, funded_player_on: Callable[[Database, int], UserView], now: datetime
) -> None:
    a, _ = _accounts(_uow(pg_db), funded_player_on(pg_db, 100_000))
    b, _ = _accounts(_uow(pg_db), funded_player_on(pg_db, 100_000))

    def shuttle(worker: int) -> list[str]:
        src, dst = (a, b) if worker % 2 else (b, a)
        for i in range(25):
            transfers.transfer(
                _uow(pg_db), SYSTEM, transfers.Transfer(src, dst, 7, "EUR", f"x-{worker}-{i}"), now
            )
        return ["ok"] * 25

    assert _race(16, shuttle) == Counter({"ok": 400})
    assert scalar(pg_db, "SELECT SUM(balance) FROM accounts WHERE id IN (:a, :b)", a=a, b=b) == 200_000
    _assert_ledger_clean(pg_db)


def _process_debits(url: str, cash: int, house: int, worker: int, count: int) -> list[str]:
    database = Database(url)
    try:
        return [_debit(database, cash, house, f"p-{worker}-{i}", FIXED_NOW) for i in range(count)]
    finally:
        database.dispose()


def test_several_processes_cannot_double_spend_on_sqlite(
    sqlite_db: Database, funded_player_on: Callable[[Database, int], UserView]
) -> None:
    cash, house = _accounts(_uow(sqlite_db), funded_player_on(sqlite_db, 1_000))
    sqlite_db.dispose()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(4) as pool:
        batches = pool.starmap(_process_debits, [(sqlite_db.url, cash, house, w, 40) for w in range(4)])
    outcomes = Counter(o for batch in batches for o in batch)
    assert outcomes == Counter({"ok": 100, "insufficient": 60})
    _never_negative(sqlite_db, cash)
    _assert_ledger_clean(sqlite_db)
