"""The casino and responsible-gaming pages in Polish: words from the catalog, amounts and dates
in the Polish format and the player's zone (the English texts are what the other tests check)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import pytest
import reflex as rx

from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.services.dto import UserView
from casino_app.services.games.instant import specs
from casino_app.ui import routes
from casino_app.ui import wiring as ui_wiring
from casino_app.ui.state.games.casino import CasinoState, RoundRow
from casino_app.ui.state.games.dice import DiceState
from casino_app.ui.state.games.roulette import RouletteState
from casino_app.ui.state.rg.page import ResponsibleState
from casino_app.ui.state.rg.play import BlockedState
from casino_app.ui.state.session.locale import LocaleState
from tests.tabs import signed_in_tab, tab

NBSP = "\u00a0"


@pytest.fixture
def installed(wiring: Wiring, now: datetime) -> Iterator[Wiring]:
    previous = ui_wiring._wiring
    ui_wiring.install(wiring)
    specs.ensure_instant_games(wiring.uow(), Actor.system("test"), now)
    yield wiring
    ui_wiring._wiring = previous


async def _run(state: rx.State, handler: str, *args: Any) -> Any:
    result = type(state).event_handlers[handler].fn(state, *args)
    last = None
    if hasattr(result, "__aiter__"):
        async for item in result:
            last = item if item is not None else last
        return last
    return await result if asyncio.iscoroutine(result) else result


async def _polish(root: rx.State) -> rx.State:
    locale = await root.get_state(LocaleState)
    locale.lang, locale.zone = "pl", "Europe/Warsaw"
    return root


def test_dice_and_roulette_speak_polish_with_polish_amounts(
    installed: Wiring, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)

    async def scenario() -> tuple[DiceState, RoundRow, RouletteState]:
        root, _, _ = await signed_in_tab(installed, user.id, now)
        await _polish(root)
        dice, casino = await root.get_state(DiceState), await root.get_state(CasinoState)
        await _run(dice, "load")
        dice.stake_text, dice.target = "1.00", 50
        await _run(dice, "roll")
        row = casino.rounds[0]
        roulette = await root.get_state(RouletteState)
        await _run(roulette, "load")
        await _run(roulette, "place_outside", "red")
        await _run(roulette, "set_mode", "corner")
        for n in (1, 2, 3, 6):
            await _run(roulette, "tap_number", n)
        return dice, row, roulette

    dice, row, roulette = asyncio.run(scenario())
    assert (dice.rtp, dice.chance_text, dice.target_text) == ("99,00%", "50,00%", "50,00")
    assert dice.rule_text == "Wygrywasz, jeśli wynik jest mniejszy niż 50,00"
    assert dice.min_stake.endswith(f"{NBSP}€") and "," in dice.min_stake
    assert "," in dice.roll_text and dice.result_line.startswith(("Wygrywasz", "Zwrot", "Tym razem"))
    assert row.game_name == "Kości" and f"stawka 1,00{NBSP}€" in row.detail
    assert row.result.endswith(" poniżej 50,00")
    assert [b.label for b in roulette.bets] == ["Czerwone"]
    assert roulette.error == "Liczby 1 i 2 i 3 i 6 nie tworzą na stole zakładu „czwórka”."
    assert roulette.mode_hint.startswith("Dotknij czterech liczb")


def test_the_rg_page_in_polish_names_limits_choices_and_messages(
    installed: Wiring, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=100_00)

    async def scenario() -> ResponsibleState:
        root, _, _ = await signed_in_tab(installed, user.id, now)
        await _polish(root)
        page = await root.get_state(ResponsibleState)
        await _run(page, "load")
        await _run(page, "set_limit_kind", "deposit")
        await _run(page, "set_limit_period", "day")
        await _run(page, "set_limit_amount", "150.00")
        await _run(page, "save_limit")
        assert await _run(page, "self_exclude") is None
        return page

    page = asyncio.run(scenario())
    (row,) = page.limits
    assert (row.label, row.in_force, row.used) == (
        "Limit wpłat na 24 godziny",
        f"150,00{NBSP}€",
        f"100,00{NBSP}€",
    )
    assert ["none", "Wyłączone"] in page.reality_options and page.timeout_options[0] == ["24", "24 godz."]
    assert ["permanent", "Na zawsze"] in page.exclusion_terms
    assert page.block_error == "Wybierz okres, a potem wpisz EXCLUDE, aby potwierdzić."


def test_the_block_page_in_polish_gives_the_end_in_the_players_zone(installed: Wiring) -> None:
    async def scenario() -> BlockedState:
        query = {"kind": "timeout", "until": "2026-03-08T12:00:00+00:00", "profile": "MT"}
        root = await _polish(tab())
        address = f"{routes.RG_BLOCKED}?{urlencode(query)}"
        root.router_data = root._update_router_vars({"asPath": address, "query": query}, root.router_data)
        blocked = await root.get_state(BlockedState)
        await _run(blocked, "load")
        return blocked

    blocked = asyncio.run(scenario())
    assert blocked.text.startswith("Twoje konto jest objęte przerwą do 8 mar 2026, 13:00.")
