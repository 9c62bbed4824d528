"""The casino pages' Reflex handlers, driven directly: the commitment before the bet, the round,
the balance and recall after it, rotation, the server's pace for the slot."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import reflex as rx

from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.services.dto import UserView
from casino_app.services.games.instant import specs
from casino_app.ui import wiring as ui_wiring
from casino_app.ui.state.games.casino import CasinoLobbyState, CasinoState
from casino_app.ui.state.games.dice import DiceState
from casino_app.ui.state.games.roulette import RouletteState
from casino_app.ui.state.games.slot import SlotState
from casino_app.ui.state.session.session import SessionState
from tests.tabs import signed_in_tab


@pytest.fixture
def installed(wiring: Wiring, now: datetime) -> Iterator[Wiring]:
    previous = ui_wiring._wiring
    ui_wiring.install(wiring)
    specs.ensure_instant_games(wiring.uow(), Actor.system("test"), now)
    yield wiring
    ui_wiring._wiring = previous


async def _run(state: Any, handler: str, *args: Any) -> None:
    result = type(state).event_handlers[handler].fn(state, *args)
    if hasattr(result, "__aiter__"):
        async for _ in result:
            pass
    elif asyncio.iscoroutine(result):
        await result


def test_dice_shows_the_commitment_before_the_bet_then_the_round_balance_and_recall(
    installed: Wiring, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)

    async def scenario() -> tuple[SessionState, CasinoState, DiceState]:
        root, _, _ = await signed_in_tab(installed, user.id, now)
        dice, casino = await root.get_state(DiceState), await root.get_state(CasinoState)
        await _run(dice, "load")
        assert len(casino.commitment) == 64 and casino.nonce == 0 and dice.rtp == "99.00%"
        dice.stake_text, dice.target = "1.00", 50
        await _run(dice, "roll")
        return await root.get_state(SessionState), casino, dice

    session, casino, dice = asyncio.run(scenario())
    assert dice.has_result and dice.error == ""
    assert casino.nonce == 1 and len(casino.rounds) == 1
    row = casino.rounds[0]
    assert session.balance_text == row.balance_after
    data = json.loads(row.verify_json)
    assert (data["game"], data["nonce"], data["stake"], data["server_seed"]) == ("dice", 0, 100, "")
    assert not row.verifiable  # until the seed is revealed


def test_rotating_reveals_the_seed_and_makes_the_rounds_verifiable(
    installed: Wiring, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)

    async def scenario() -> CasinoState:
        root, _, _ = await signed_in_tab(installed, user.id, now)
        roulette, casino = await root.get_state(RouletteState), await root.get_state(CasinoState)
        await _run(roulette, "load")
        await _run(roulette, "place_outside", "red")
        await _run(roulette, "set_mode", "split")
        await _run(roulette, "tap_number", 17)
        await _run(roulette, "tap_number", 20)
        assert [b.spot for b in roulette.bets] == ["split:17-20", "red"]
        await _run(roulette, "spin")
        assert roulette.has_result and roulette.error == ""
        shown = casino.commitment
        await _run(casino, "set_seed_input", "mine")
        await _run(casino, "rotate")
        assert casino.last_revealed.commitment == shown and casino.client_seed == "mine"
        return casino

    casino = asyncio.run(scenario())
    assert casino.nonce == 0 and casino.rounds[0].verifiable
    assert json.loads(casino.rounds[0].verify_json)["server_seed"] == casino.last_revealed.server_seed


def test_the_slot_refuses_a_second_spin_within_the_interval_with_a_clear_message(
    installed: Wiring, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)

    async def scenario() -> tuple[SlotState, bool]:
        root, _, _ = await signed_in_tab(installed, user.id, now)
        slot = await root.get_state(SlotState)
        await _run(slot, "load")
        await _run(slot, "spin")
        assert slot.has_result and slot.cooldown
        feature = slot.in_feature  # about 1 spin in 117 starts free spins
        slot.cooldown = slot.in_feature = False  # a client that calls the handler early anyway
        await _run(slot, "spin")
        return slot, feature

    slot, feature = asyncio.run(scenario())
    assert ("Finish your open round" if feature else "2.5 seconds apart") in slot.error


def test_the_lobby_lists_the_casino_games_with_their_rtp(installed: Wiring) -> None:
    async def scenario() -> CasinoLobbyState:
        lobby = await rx.State(_reflex_internal_init=True).get_state(CasinoLobbyState)
        await _run(lobby, "load")
        return lobby

    lobby = asyncio.run(scenario())
    assert [(g.code, g.rtp) for g in lobby.casino_games] == [
        ("dice", "99.00%"),
        ("roulette", "97.29%"),
        ("slot", "95.98%"),
    ]
