"""The back office's handlers for issue 11: the finance queue shows each player's context before
paying; the reconciliation queue lists differences with their evidence and resolves them."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from casino_app.adapters.payments.demo import APPROVE_TOKEN
from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.services.identity.accounts import registration as registering
from casino_app.services.payments import reconciliation
from casino_app.services.payments.deposits import deposits
from casino_app.services.payments.withdrawals import withdrawals
from casino_app.ui import wiring as ui_wiring
from casino_app.ui.state.operator.reconciliation import OpsReconciliationState
from casino_app.ui.state.operator.withdrawals import OpsWithdrawalsState
from tests.support import PASSWORD, confirm_email, count_rows, registration
from tests.tabs import signed_in_tab


async def _run(state: object, cls: type, name: str, *args: object) -> object:
    result = cls.event_handlers[name].fn(state, *args)
    return await result if asyncio.iscoroutine(result) else result


def _player_with_a_withdrawal(wiring: Wiring, now: datetime) -> int:
    player = registering.register_player(wiring.uow(), registration("ctx@example.com"), now)
    confirm_email(wiring.uow(), player.id, now)
    cmd = deposits.Deposit("ctx-1", 70_00, "EUR", APPROVE_TOKEN)
    deposits.deposit(wiring.uow(), Actor.player(player.id), cmd, now)
    return player.id


def test_the_finance_queue_shows_balances_deposits_and_play_beside_each_request(
    wiring: Wiring, now: datetime
) -> None:
    ui_wiring.install(wiring)
    player = _player_with_a_withdrawal(wiring, now)
    op = registering.create_operator(
        wiring.uow(), Actor.system("t"), "fin@example.com", PASSWORD, "finance", now
    )

    async def scenario() -> OpsWithdrawalsState:
        _, _, session = await signed_in_tab(wiring, player, now, step_up=True)
        withdrawals.request_withdrawal(wiring.uow(), Actor.player(player, session), 30_00, "ctx-w", now)
        root, _, _ = await signed_in_tab(wiring, op.id, now)
        state = await root.get_state(OpsWithdrawalsState)
        await _run(state, OpsWithdrawalsState, "load")
        return state

    state = asyncio.run(scenario())
    (row,) = state.queue
    assert row.amount == "€30.00" and row.player == "ctx@example.com"
    assert row.balances == "Cash €40.00 · bonus €0.00 · on hold €30.00"
    assert row.deposits.startswith("Deposits €70.00 (1), €70.00 in 30 days")
    assert row.payout_to == "Pays to: card via demo" and row.last_bets == "No bets yet"
    assert state.under_way == [] and state.error == ""


def test_the_reconciliation_queue_lists_a_difference_and_resolves_it_with_the_note(
    db: Database, wiring: Wiring, now: datetime
) -> None:
    ui_wiring.install(wiring)
    _player_with_a_withdrawal(wiring, now)
    # the demo provider keeps real time, so over this fixed-clock window it reports nothing
    hour = timedelta(hours=1)
    reconciliation.reconcile(wiring.uow(), Actor.system("t"), "demo", now + hour, since=now - hour)
    op = registering.create_operator(
        wiring.uow(), Actor.system("t"), "ledger-desk@example.com", PASSWORD, "finance", now
    )

    async def scenario() -> tuple[int, int, str, list[str]]:
        root, _, _ = await signed_in_tab(wiring, op.id, now)
        state = await root.get_state(OpsReconciliationState)
        await _run(state, OpsReconciliationState, "load")
        listed = len(state.items)
        item = state.items[0]
        await _run(state, OpsReconciliationState, "resolve", item.id)  # no note yet: refused
        await _run(state, OpsReconciliationState, "set_note", "credited by hand after checking")
        await _run(state, OpsReconciliationState, "resolve", item.id)
        return listed, len(state.items), item.kind, [r.counts for r in state.runs]

    listed, after, kind, runs = asyncio.run(scenario())
    assert (listed, after) == (1, 0)
    assert kind == "Ledger booked money the provider never moved"
    assert runs == ["0 reported · 1 booked · 1 mismatch(es)"]
    assert count_rows(db, "audit_log", "action = 'reconciliation.resolved'") == 1
