"""The cashier's Reflex handlers: a method other than a card on file goes to the provider's page;
back at /wallet?payment=<order> the wallet says what became of the deposit, with fresh figures."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import reflex as rx
from reflex.istate.data import RouterData

from casino_app.persistence.db import Database
from casino_app.ui import wiring as ui_wiring
from casino_app.ui.state.player.wallet import WalletState
from tests.payments.conftest import PaymentStack, StackFactory, approve_on_page, payment_status, wait_for
from tests.tabs import signed_in_tab


def _redirect_url(spec: Any) -> str:
    return next(json.loads(str(value)) for name, value in spec.args if str(name) == "path")


async def _handle(state: WalletState, name: str) -> Any:
    return await WalletState.event_handlers[name].fn(state)


def _at(root: rx.State, path: str) -> None:
    """The tab now shows `path` (as a browser coming back from the provider would)."""
    root.router_data = {**root.router_data, "asPath": path, "pathname": path.split("?")[0]}
    root.router = RouterData.from_router_data(root.router_data)


async def _bank_deposit(stack: PaymentStack, user_id: int, action: str) -> tuple[WalletState, rx.State]:
    root, _, _ = await signed_in_tab(stack.wiring, user_id, stack.now())
    state = await root.get_state(WalletState)
    await _handle(state, "load")
    assert state.method_key.startswith("card:")  # a card on file (the demo's) is the default
    assert [m.key for m in state.methods][:3] == ["method:card", "method:bank_transfer", "method:ewallet"]
    state.method_key, state.amount_text = "method:bank_transfer", "45.00"
    page = _redirect_url(await _handle(state, "deposit"))
    assert page.startswith(stack.sandboxes["sandbox"].url + "/bank/")
    assert [(d.amount, d.status) for d in state.deposits] == [("€45.00", "pending")]
    approve_on_page(page, action)
    return state, root


def test_back_from_the_bank_the_wallet_shows_the_credited_deposit_and_the_new_balance(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    user = stack.player()
    ui_wiring.install(stack.wiring)

    async def scenario() -> WalletState:
        state, root = await _bank_deposit(stack, user.id, "approve")
        order = state.deposits[0].order_id
        wait_for(lambda: payment_status(db, order) == "approved")
        _at(root, f"/wallet?payment={order}")
        assert await _handle(state, "load") is None  # nothing pending: no watching
        return state

    state = asyncio.run(scenario())
    assert state.notice == "Deposited €45.00." and state.error == ""
    assert state.balance_text == "€45.00"
    assert [d.status for d in state.deposits] == ["approved"]


def test_back_from_a_cancelled_transfer_the_wallet_says_so_and_nothing_is_credited(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    user = stack.player()
    ui_wiring.install(stack.wiring)

    async def scenario() -> WalletState:
        state, root = await _bank_deposit(stack, user.id, "cancel")
        order = state.deposits[0].order_id
        wait_for(lambda: payment_status(db, order) == "declined")
        _at(root, f"/wallet?payment={order}")
        await _handle(state, "load")
        return state

    state = asyncio.run(scenario())
    assert "Cancelled by the payer" in state.error
    assert state.balance_text == "€0.00"
    assert [d.status for d in state.deposits] == ["declined"]


def test_while_a_deposit_is_pending_the_wallet_starts_watching_it(
    db: Database, payment_stack: StackFactory
) -> None:
    stack = payment_stack()
    user = stack.player()
    ui_wiring.install(stack.wiring)

    async def scenario() -> tuple[WalletState, Any]:
        root, _, _ = await signed_in_tab(stack.wiring, user.id, stack.now())
        state = await root.get_state(WalletState)
        await _handle(state, "load")
        state.method_key = "method:ewallet"
        await _handle(state, "deposit")
        order = state.deposits[0].order_id
        _at(root, f"/wallet?payment={order}")
        return state, await _handle(state, "load")

    state, follow_up = asyncio.run(scenario())
    assert state.watching and "being confirmed" in state.notice
    assert follow_up.fn is WalletState.event_handlers["watch_deposits"].fn
