"""The play panel's Reflex handlers, driven directly: fresh money figures, the draw it sells into."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest

from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.services.dto import UserView
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.ui import wiring as ui_wiring
from casino_app.ui.state.games.lotto import PlayState
from casino_app.ui.state.session.session import SessionState
from tests.support import count_rows
from tests.tabs import signed_in_tab

PICK = [1, 2, 3, 4, 5, 6]


@pytest.fixture
def installed(wiring: Wiring) -> Iterator[Wiring]:
    previous = ui_wiring._wiring
    ui_wiring.install(wiring)
    yield wiring
    ui_wiring._wiring = previous


async def _tab(wiring: Wiring, user: UserView, now: datetime) -> tuple[SessionState, PlayState]:
    root, _, _ = await signed_in_tab(wiring, user.id, now)
    session = await root.get_state(SessionState)
    play = await root.get_state(PlayState)
    await PlayState.event_handlers["load"].fn(play)
    play.selected, play.stake_text = PICK, "2.00"
    return session, play


async def _play(play: PlayState) -> None:
    async for _ in PlayState.event_handlers["play"].fn(play):
        pass


def test_a_refused_bet_refreshes_the_balance_in_the_header(
    installed: Wiring, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> None:
    """Another tab spent the money: the refusal shows the balance as it is now, not as it was."""
    user = funded_player(amount_minor=10_00)

    async def scenario() -> tuple[SessionState, PlayState]:
        session, play = await _tab(installed, user, now)
        session.balance_text = "€10.00"
        cmd = lotto.PlaceLottoTicket("lotto649", tuple(PICK), 9_00, "other-tab")
        lotto.place_lotto_ticket(installed.uow(), Actor.player(user.id), cmd, now)
        await _play(play)
        return session, play

    session, play = asyncio.run(scenario())
    assert "too low" in play.error
    assert session.balance_text == "€1.00"
    assert not play.has_receipt


def test_coming_back_to_play_starts_a_new_ticket_instead_of_an_old_receipt(
    installed: Wiring, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)

    async def scenario() -> PlayState:
        _, play = await _tab(installed, user, now)
        await _play(play)
        assert play.has_receipt and play.receipt.balance == "€8.00"
        await PlayState.event_handlers["load"].fn(play)
        return play

    play = asyncio.run(scenario())
    assert not play.has_receipt and play.receipt.validation == ""


def test_a_ticket_for_the_shown_draw_after_it_closed_is_refused_and_the_panel_moves_to_the_next(
    installed: Wiring, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)
    shown = games["lotto649"]
    assert shown.closes_at is not None
    later = shown.closes_at + timedelta(seconds=1)

    async def scenario() -> PlayState:
        _, play = await _tab(installed, user, now)
        assert play.draw_id == shown.id
        draws.close_sales(installed.uow(), later)
        draws.schedule(installed.uow(), later)
        installed.clock.advance(seconds=(later - now).total_seconds())  # type: ignore[attr-defined]
        await _play(play)
        return play

    play = asyncio.run(scenario())
    assert "have closed" in play.error and "next draw" in play.error
    assert play.draw_id not in (0, shown.id)
    assert not play.has_receipt
    assert "not bought" in play.offer and play.draw_at in play.offer  # the next draw, offered by name


def test_a_ticket_of_several_lines_and_draws_is_bought_and_the_receipt_lists_them(
    installed: Wiring, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> None:
    """Add a line, quick pick it, remove a third one, three draws: 2 lines x 2.00 x 3 draws."""
    user = funded_player(amount_minor=20_00)

    async def scenario() -> PlayState:
        _, play = await _tab(installed, user, now)
        await PlayState.event_handlers["add_line"].fn(play)
        assert (play.active, play.selected, len(play.lines)) == (1, [], 2)
        PlayState.event_handlers["quick_pick_line"].fn(play, 1)
        await PlayState.event_handlers["add_line"].fn(play)
        PlayState.event_handlers["remove_line"].fn(play, 2)
        PlayState.event_handlers["set_draw_count"].fn(play, "3")
        PlayState.event_handlers["edit_line"].fn(play, 0)
        assert play.selected == PICK
        await _play(play)
        return play

    play = asyncio.run(scenario())
    assert play.has_receipt, play.error
    assert play.receipt.lines[0] == PICK and len(play.receipt.lines) == 2 and len(play.receipt.lines[1]) == 6
    assert len(play.receipt.draws) == 3 and play.receipt.draws[0] == play.draw_at
    assert (play.receipt.stake, play.receipt.total, play.receipt.balance) == ("€4.00", "€12.00", "€8.00")


def test_an_incomplete_line_keeps_play_disabled_and_the_line_limit_is_said(
    installed: Wiring, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)

    async def scenario() -> PlayState:
        _, play = await _tab(installed, user, now)
        for _ in range(play.max_lines):
            await PlayState.event_handlers["add_line"].fn(play)
        return play

    play = asyncio.run(scenario())
    assert len(play.lines) == play.max_lines == 10
    assert "at most 10 lines" in play.error
    assert not play.ready  # nine empty lines


def test_the_page_carries_the_servers_clock_for_the_countdown(
    installed: Wiring, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)

    async def scenario() -> PlayState:
        _, play = await _tab(installed, user, now)
        return play

    play = asyncio.run(scenario())
    assert play.server_now_iso == installed.now().isoformat()
    assert play.close_iso == games["lotto649"].closes_at.isoformat()  # type: ignore[union-attr]


def test_a_play_press_replayed_after_a_reconnect_is_refused_and_buys_nothing(
    installed: Wiring,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    db: Database,
) -> None:
    """The frontend queued the press while disconnected; it arrives a minute late: not applied."""
    user = funded_player(amount_minor=10_00)
    late = (now - timedelta(minutes=1)).timestamp() * 1000

    async def scenario() -> PlayState:
        _, play = await _tab(installed, user, now)
        async for _ in PlayState.event_handlers["play"].fn(play, late):
            pass
        return play

    play = asyncio.run(scenario())
    assert "connection was down" in play.error and not play.has_receipt
    assert count_rows(db, "bets") == 0


def test_a_fresh_play_press_buys_the_ticket(
    installed: Wiring, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)
    fresh = (now - timedelta(seconds=2)).timestamp() * 1000

    async def scenario() -> PlayState:
        _, play = await _tab(installed, user, now)
        async for _ in PlayState.event_handlers["play"].fn(play, fresh):
            pass
        return play

    assert asyncio.run(scenario()).has_receipt
