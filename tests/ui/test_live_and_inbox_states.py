"""The live channel's and the inbox's Reflex handlers, driven directly on a signed-in tab."""

from __future__ import annotations

import asyncio
from datetime import datetime

from casino_app.adapters.sandbox_payments import APPROVE_TOKEN
from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.services.identity.accounts import registration as registering
from casino_app.services.payments.deposits import deposits
from casino_app.ui import wiring as ui_wiring
from casino_app.ui.live import hub as live_hub
from casino_app.ui.live.hub import LiveHub, Push
from casino_app.ui.state.player.inbox import InboxState
from casino_app.ui.state.session.live import LiveState
from casino_app.ui.state.session.locale import LocaleState
from casino_app.ui.state.session.session import SessionState
from tests.support import registration
from tests.tabs import signed_in_tab

WIN = {"game": "Lotto 6/49", "draw_at": "2026-03-01T20:00:00+00:00", "won_minor": 20_00, "currency": "PLN"}


async def _call(state: object, cls: type, name: str, *args: object) -> object:
    return await cls.event_handlers[name].fn(state, *args)  # type: ignore[attr-defined]


def test_a_registered_tab_takes_a_push_refreshes_once_and_toasts_in_its_language(
    db: Database, wiring: Wiring, now: datetime
) -> None:
    ui_wiring.install(wiring)
    user = registering.register_player(wiring.uow(), registration("tabs@example.com", currency="PLN"), now)
    hub = LiveHub(lambda token, push: asyncio.sleep(0))
    live_hub.install(hub)

    async def scenario() -> tuple[LiveState, object, object, str]:
        root, _, _ = await signed_in_tab(wiring, user.id, now)
        (await root.get_state(LocaleState)).lang = "pl"
        live = await root.get_state(LiveState)
        await _call(live, LiveState, "register")
        cmd = deposits.Deposit("tab-1", 70_00, "PLN", APPROVE_TOKEN)
        deposits.deposit(wiring.uow(), Actor.player(user.id), cmd, now)  # the fact, on another tab
        live._receive(Push(user.id, 1, "draw_settled", WIN))
        first = await _call(live, LiveState, "apply")
        again = await _call(live, LiveState, "apply")  # a second listener, or a page change
        balance = (await root.get_state(SessionState)).balance_text
        return live, first, again, balance

    try:
        live, first, again, balance = asyncio.run(scenario())
    finally:
        live_hub.install(None)
    assert hub.registry.tabs_of(user.id) and len(hub.registry) == 1
    assert live.tick == 1 and live.unread == 1  # the deposit's notice
    assert "wygrywasz 20,00\u00a0zł" in live.toast_text and "niedziela 1 marca" in live.toast_text
    assert isinstance(first, list) and len(first) >= 1 and again is None
    assert balance == "70,00\u00a0zł"


def test_the_inbox_page_lists_in_the_tabs_language_and_marks_read_for_the_badge(
    db: Database, wiring: Wiring, now: datetime
) -> None:
    ui_wiring.install(wiring)
    user = registering.register_player(wiring.uow(), registration("inboxtab@example.com"), now)
    for n in range(3):
        cmd = deposits.Deposit(f"inbox-{n}", 10_00 + n, "EUR", APPROVE_TOKEN)
        deposits.deposit(wiring.uow(), Actor.player(user.id), cmd, now)

    async def scenario() -> tuple[list[str], int, int, int]:
        root, _, _ = await signed_in_tab(wiring, user.id, now)
        (await root.get_state(LocaleState)).lang = "pl"
        page = await root.get_state(InboxState)
        await _call(page, InboxState, "load")
        titles = [r.title for r in page.rows]
        await _call(page, InboxState, "mark_read", page.rows[0].id)
        after_one = (await root.get_state(LiveState)).unread
        await _call(page, InboxState, "mark_all_read")
        return titles, after_one, page.unread, (await root.get_state(LiveState)).unread

    titles, after_one, unread, badge = asyncio.run(scenario())
    assert titles == ["Wpłata potwierdzona"] * 3
    assert (after_one, unread, badge) == (2, 0, 0)
