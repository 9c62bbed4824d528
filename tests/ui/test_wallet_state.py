"""The wallet's Reflex handlers, driven directly: every amount is in the wallet's own currency."""

from __future__ import annotations

import asyncio
from datetime import datetime

from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.services.identity.accounts import registration as registering
from casino_app.services.money import wallet
from casino_app.services.payments.withdrawals import withdrawals
from casino_app.ui import wiring as ui_wiring
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.state.player.wallet import WalletState
from casino_app.ui.state.session.locale import LocaleState
from tests.support import PASSWORD, confirm_email, count_rows, registration
from tests.tabs import signed_in_tab


async def _signed_in_wallet(
    wiring: Wiring, user_id: int, now: datetime, *, step_up: bool = True
) -> WalletState:
    """A tab signed in as the player (in a session that has just confirmed a code, by default)."""
    root, _, _ = await signed_in_tab(wiring, user_id, now, step_up=step_up)
    return await root.get_state(WalletState)


async def _handle(state: WalletState, name: str, *args: object) -> object:
    return await WalletState.event_handlers[name].fn(state, *args)


def test_a_pln_player_deposits_and_withdraws_in_pln_through_the_wallet_handlers(
    db: Database, wiring: Wiring, now: datetime
) -> None:
    ui_wiring.install(wiring)
    user = registering.register_player(wiring.uow(), registration("pln@example.com", currency="PLN"), now)
    assert user.currency == "PLN"
    confirm_email(wiring.uow(), user.id, now)

    async def scenario() -> WalletState:
        state = await _signed_in_wallet(wiring, user.id, now, step_up=False)
        (await state.get_state(LocaleState)).lang = "pl"  # a Polish tab: Polish amounts and labels
        await _handle(state, "load")
        assert state.currency == "PLN" and state.methods and state.method_key
        state.amount_text = "120.50"
        await _handle(state, "deposit")
        assert state.error == "", state.error
        await _handle(state, "withdraw", {"withdraw_amount": "20.25", "confirm": ""})
        assert "wpisz swoje hasło" in state.withdraw_error
        await _handle(state, "withdraw", {"withdraw_amount": "20.25", "confirm": PASSWORD})
        assert state.withdraw_error == "", state.withdraw_error
        return state

    state = asyncio.run(scenario())
    assert wallet.cash_balance(wiring.uow(), user.id).minor == 120_50 - 20_25
    polish = Formats("pl")
    assert state.balance_text == polish.money(120_50 - 20_25, "PLN") == "100,25\u00a0zł"
    assert [(w.amount, w.stage, w.cancellable) for w in state.withdrawals] == [
        ("20,25\u00a0zł", "hold", True)
    ]
    assert state.transactions[0].title == "Wypłata" and not state.transactions[0].positive
    assert state.transactions[1].title == "Wpłata" and state.transactions[1].positive
    assert state.transactions[0].balance == "Saldo 100,25\u00a0zł"
    assert count_rows(db, "payments", "currency = 'PLN' AND status = 'approved'") == 1
    mine = withdrawals.player_withdrawals(wiring.uow(), Actor.player(user.id))
    assert [(w.amount.minor, w.amount.currency) for w in mine] == [(20_25, "PLN")]


def test_a_withdrawal_replayed_from_the_tab_makes_one_hold_and_one_audit_record(
    db: Database, wiring: Wiring, now: datetime
) -> None:
    ui_wiring.install(wiring)
    user = registering.register_player(wiring.uow(), registration("replay@example.com"), now)
    confirm_email(wiring.uow(), user.id, now)

    async def scenario() -> None:
        state = await _signed_in_wallet(wiring, user.id, now)
        await _handle(state, "load")
        state.amount_text = "50"
        await _handle(state, "deposit")
        request_id = state._withdrawal_id
        await _handle(state, "withdraw", {"withdraw_amount": "10", "confirm": ""})
        state._withdrawal_id = request_id  # a reconnecting tab sends the same request again
        await _handle(state, "withdraw", {"withdraw_amount": "10", "confirm": ""})
        assert state.withdraw_error == ""

    asyncio.run(scenario())
    assert count_rows(db, "withdrawals") == 1
    assert count_rows(db, "audit_log", "action = 'withdrawal.request'") == 1
    assert wallet.cash_balance(wiring.uow(), user.id).minor == 40_00


def test_the_player_cancels_a_withdrawal_on_hold_from_the_wallet_and_the_cash_comes_back(
    db: Database, wiring: Wiring, now: datetime
) -> None:
    ui_wiring.install(wiring)
    user = registering.register_player(wiring.uow(), registration("cancel@example.com"), now)
    confirm_email(wiring.uow(), user.id, now)

    async def scenario() -> WalletState:
        state = await _signed_in_wallet(wiring, user.id, now, step_up=False)
        await _handle(state, "load")
        state.amount_text = "50.00"
        await _handle(state, "deposit")
        await _handle(state, "withdraw", {"withdraw_amount": "20.00", "confirm": PASSWORD})
        (row,) = state.withdrawals
        assert (row.stage, row.cancellable) == ("hold", True)
        await _handle(state, "cancel_withdrawal", "not-a-number")
        assert state.withdraw_error == "Unknown withdrawal."
        assert wallet.cash_balance(wiring.uow(), user.id).minor == 30_00
        await _handle(state, "cancel_withdrawal", row.id)
        assert state.withdraw_error == "", state.withdraw_error
        return state

    state = asyncio.run(scenario())
    assert wallet.cash_balance(wiring.uow(), user.id).minor == 50_00
    assert [(w.stage, w.cancellable) for w in state.withdrawals] == [("cancelled", False)]
    assert state.balance_text == "€50.00"  # an English tab (the default): the EUR wallet's balance
