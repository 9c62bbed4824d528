"""Races between tabs, devices and workers: the database is the only guard of the balance."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from casino_app.adapters.sandbox_payments import APPROVE_TOKEN
from casino_app.bootstrap import Wiring
from casino_app.domain.errors import InsufficientFunds
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.services.dto import UserView
from casino_app.services.games import lotto
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.money import ledger, wallet
from casino_app.services.payments.deposits import deposits
from casino_app.services.payments.withdrawals import withdrawals
from tests.support import count_rows, scalar

SELECTION = (5, 10, 15, 20, 25, 30)


def _threads_and_tickets(db: Database) -> tuple[int, int]:
    # PostgreSQL takes the full load; SQLite serializes writers, so a smaller race suffices.
    return (20, 5) if db.dialect == "postgresql" else (8, 10)


def _run_parallel(threads: int, work: Callable[[int], list[str]]) -> Counter[str]:
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(work, range(threads)))
    return Counter(outcome for batch in results for outcome in batch)


def test_parallel_tickets_spend_the_balance_exactly_and_never_below_zero(
    db: Database,
    wiring: Wiring,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    user = funded_player(amount_minor=50_00)
    player = Actor.player(user.id)
    threads, per_thread = _threads_and_tickets(db)
    assert threads * per_thread > 50
    start = threading.Barrier(threads)

    def buy(worker: int) -> list[str]:
        uow = wiring.uow()  # one unit of work per thread, as per request in the app
        start.wait()
        outcomes = []
        for n in range(per_thread):
            cmd = lotto.PlaceLottoTicket("lotto649", SELECTION, 1_00, f"w{worker}-{n}")
            try:
                lotto.place_lotto_ticket(uow, player, cmd, now)
                outcomes.append("ok")
            except InsufficientFunds:
                outcomes.append("insufficient")
        return outcomes

    outcomes = _run_parallel(threads, buy)

    assert outcomes == Counter({"ok": 50, "insufficient": threads * per_thread - 50})
    assert wallet.cash_balance(wiring.uow(), user.id).minor == 0
    assert count_rows(db, "bets") == 50
    assert count_rows(db, "ledger_transactions", "kind = 'stake'") == 50
    assert (
        scalar(
            db,
            "SELECT MIN(balance_after) FROM ledger_entries e JOIN accounts a "
            "ON a.id = e.account_id WHERE a.kind = 'player_cash'",
        )
        == 0
    )
    with wiring.uow() as uow:
        assert ledger.check_integrity(uow.session) == []


def test_parallel_duplicates_of_one_request_make_one_ticket_and_one_debit(
    db: Database,
    wiring: Wiring,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    user = funded_player(amount_minor=10_00)
    player = Actor.player(user.id)
    threads = 10
    start = threading.Barrier(threads)
    receipts = []

    def buy(_: int) -> list[str]:
        uow = wiring.uow()
        start.wait()
        cmd = lotto.PlaceLottoTicket("lotto649", SELECTION, 2_00, "double-click")
        receipt = lotto.place_lotto_ticket(uow, player, cmd, now)
        receipts.append(receipt)
        return ["replayed" if receipt.replayed else "issued"]

    outcomes = _run_parallel(threads, buy)

    assert outcomes == Counter({"issued": 1, "replayed": threads - 1})
    assert len({r.validation_number for r in receipts}) == 1
    assert count_rows(db, "bets") == 1
    assert count_rows(db, "ledger_transactions", "kind = 'stake'") == 1
    assert wallet.cash_balance(wiring.uow(), user.id).minor == 8_00


def test_parallel_duplicates_of_one_withdrawal_make_one_hold_and_one_audit_record(
    db: Database, wiring: Wiring, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)
    uow = wiring.uow()
    with uow:
        _, session_id = sessions.open_browser_session(uow, user.id, sessions.ClientInfo(), now, step_up=True)
        uow.commit()
    player = Actor.player(user.id, session_id)
    threads = 10
    start = threading.Barrier(threads)

    def withdraw(_: int) -> list[str]:
        mine = wiring.uow()
        start.wait()
        return [str(withdrawals.request_withdrawal(mine, player, 4_00, "double-tap", now).id)]

    outcomes = _run_parallel(threads, withdraw)

    assert len(outcomes) == 1 and sum(outcomes.values()) == threads  # every caller got the same one
    assert count_rows(db, "withdrawals") == 1
    assert count_rows(db, "ledger_transactions", "kind = 'withdrawal_hold'") == 1
    assert count_rows(db, "audit_log", "action = 'withdrawal.request'") == 1
    assert wallet.cash_balance(wiring.uow(), user.id).minor == 6_00


def test_parallel_duplicates_of_one_deposit_credit_once_and_audit_once(
    db: Database, wiring: Wiring, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("double-deposit@example.com")
    threads = 10
    start = threading.Barrier(threads)
    cmd = deposits.Deposit("order-double", 25_00, user.currency, APPROVE_TOKEN)

    def deposit(_: int) -> list[str]:
        mine = wiring.uow()
        start.wait()
        return [deposits.deposit(mine, Actor.player(user.id), cmd, now).status]

    assert _run_parallel(threads, deposit) == Counter({"approved": threads})
    assert count_rows(db, "payments") == 1
    assert count_rows(db, "ledger_transactions", "kind = 'deposit'") == 1
    assert count_rows(db, "audit_log", "action = 'payment.deposit'") == 1
    assert wallet.cash_balance(wiring.uow(), user.id).minor == 25_00
