"""PCI DSS scope: the card number typed on the provider's page never reaches Kasyno Lotto, neither
its database (file and rows), nor its logs, nor the Reflex state of the cashier that started it."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

import casino_app.persistence.tables  # noqa: F401  (registers the tables)
from casino_app.persistence.db import Database
from casino_app.ui import wiring as ui_wiring
from casino_app.ui.state.player.wallet import WalletState
from tests.payments.conftest import PaymentStack, StackFactory, pay_on_page, payment_status, wait_for
from tests.tabs import signed_in_tab

PAN = "4242424242424242"
PAN_PIECES = (PAN, "424242424242", "4242 4242 4242 4242")


def _database_text(db: Database) -> str:
    """Every row of every table, as text."""
    parts: list[str] = []
    with db.read_engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            parts += [repr(tuple(row)) for row in conn.execute(sa.select(table)).all()]
    return "\n".join(parts)


def _database_files(db: Database) -> bytes:
    if db.dialect != "sqlite":
        return b""
    path = Path(db.url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def redirect_url(spec: Any) -> str:
    """The address of an `rx.redirect(...)` event."""
    return next(json.loads(str(value)) for name, value in spec.args if str(name) == "path")


async def _cashier_deposit(stack: PaymentStack, user_id: int) -> tuple[WalletState, Any]:
    root, _, _ = await signed_in_tab(stack.wiring, user_id, stack.now())
    state = await root.get_state(WalletState)
    await WalletState.event_handlers["load"].fn(state)
    assert "method:card" in {m.key for m in state.methods}
    state.method_key, state.amount_text = "method:card", "33.00"
    redirect = await WalletState.event_handlers["deposit"].fn(state)
    return state, redirect


def test_the_card_number_reaches_neither_database_nor_logs_nor_reflex_state(
    db: Database, payment_stack: StackFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    stack = payment_stack()
    user = stack.player(currency="EUR")
    ui_wiring.install(stack.wiring)
    state, redirect = asyncio.run(_cashier_deposit(stack, user.id))
    assert state.error == "", state.error
    page = redirect_url(redirect)
    assert page.startswith(stack.sandboxes["sandbox"].url + "/pay/")  # off to the provider's page
    (pending,) = state.deposits
    assert (pending.status, pending.amount) == ("pending", "€33.00")
    pay_on_page(page, number=PAN, name="Test Player")
    wait_for(lambda: payment_status(db, pending.order_id) == "approved")

    async def back() -> WalletState:
        await WalletState.event_handlers["load"].fn(state)
        return state

    asyncio.run(back())
    assert [d.status for d in state.deposits] == ["approved"]
    assert "4242" in state.deposits[0].label and state.balance_text == "€33.00"

    reflex_state = json.dumps(state.dict(), default=str)
    database = _database_text(db)
    files = _database_files(db)
    for piece in PAN_PIECES:
        assert piece not in database
        assert piece.encode() not in files
        assert piece not in caplog.text
        assert piece not in reflex_state
    assert "4242" in database  # the last four are kept, so the search itself can find digits
