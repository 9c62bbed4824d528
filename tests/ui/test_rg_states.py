"""The responsible-gaming pages' Reflex handlers, driven directly on a controlled clock: limits with
what is used and left, a raise that waits and then needs confirming, reality checks that stop
play until acknowledged, self-exclusion that signs the tab out, the risk team's cases."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
import reflex as rx

from casino_app.adapters.clock import FixedClock
from casino_app.bootstrap import Wiring
from casino_app.domain.compliance import markers as marker_rules
from casino_app.domain.compliance.vocabulary import MarkerCode
from casino_app.domain.errors import SessionExpired, TimedOut
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.services.compliance.rg import sessions
from casino_app.services.compliance.rg.harm import markers
from casino_app.services.dto import UserView
from casino_app.services.games.instant import specs
from casino_app.services.identity.accounts import registration
from casino_app.services.identity.sessions import server as identity_sessions
from casino_app.services.identity.sessions import signin
from casino_app.services.identity.sessions.server import ClientInfo
from casino_app.ui import routes
from casino_app.ui import wiring as ui_wiring
from casino_app.ui.state.games.dice import DiceState
from casino_app.ui.state.operator.rg import OpsRgCasesState, OpsRgPlayerState
from casino_app.ui.state.rg.page import ResponsibleState
from casino_app.ui.state.rg.play import BlockedState, RealityState
from casino_app.ui.state.session.session import SessionState
from tests.support import PASSWORD, count_rows
from tests.tabs import signed_in_tab, tab


@pytest.fixture
def installed(wiring: Wiring, now: datetime) -> Iterator[Wiring]:
    previous = ui_wiring._wiring
    ui_wiring.install(wiring)
    specs.ensure_instant_games(wiring.uow(), Actor.system("test"), now)
    yield wiring
    ui_wiring._wiring = previous


async def _run(state: rx.State, handler: str, *args: Any) -> Any:
    """Run a handler as an event would; returns what it returned (or the last thing it yielded)."""
    result = type(state).event_handlers[handler].fn(state, *args)
    last = None
    if hasattr(result, "__aiter__"):
        async for item in result:
            last = item if item is not None else last
        return last
    return await result if asyncio.iscoroutine(result) else result


async def _page(wiring: Wiring, user_id: int, now: datetime) -> tuple[rx.State, ResponsibleState]:
    root, _, _ = await signed_in_tab(wiring, user_id, now)
    page = await root.get_state(ResponsibleState)
    await _run(page, "load")
    return root, page


async def _set(page: ResponsibleState, kind: str, period: str, amount: str) -> None:
    await _run(page, "set_limit_kind", kind)
    await _run(page, "set_limit_period", period)
    await _run(page, "set_limit_amount", amount)
    await _run(page, "save_limit")


def test_a_deposit_limit_shows_what_is_used_and_what_remains(
    installed: Wiring, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """docs/RESPONSIBLE_GAMING.md: a deposit limit counts gross deposits; used and remaining are shown."""
    user = funded_player(amount_minor=100_00)

    async def scenario() -> ResponsibleState:
        _, page = await _page(installed, user.id, now)
        assert page.limits == [] and page.profile_name == "Malta"
        await _set(page, "deposit", "day", "150.00")
        return page

    page = asyncio.run(scenario())
    assert page.error == ""
    (row,) = page.limits
    assert (row.label, row.in_force, row.used, row.remaining) == (
        "Deposit limit per 24 hours",
        "€150.00",
        "€100.00",
        "€50.00",
    )
    assert row.percent == 66 and row.own == "€150.00" and row.imposed == ""
    assert any("Deposit limit" in h.what and h.status == "applied" for h in page.history)


def test_a_decrease_applies_at_once_and_a_raise_waits_24h_then_needs_confirmation(
    installed: Wiring, clock: FixedClock, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """MT profile: 24 h cooling-off; the old limit stays until the player confirms."""
    user = funded_player(amount_minor=10_00)

    async def scenario() -> ResponsibleState:
        _, page = await _page(installed, user.id, now)
        await _set(page, "loss", "week", "80.00")
        await _set(page, "loss", "week", "50.00")
        assert [r.in_force for r in page.limits] == ["€50.00"] and page.pending == []
        await _set(page, "loss", "week", "90.00")
        assert [r.in_force for r in page.limits] == ["€50.00"]
        (waiting,) = page.pending
        assert not waiting.confirmable and "€90.00" in waiting.change
        await _run(page, "confirm_raise", waiting.id)
        assert "cooling-off" in page.error and [r.in_force for r in page.limits] == ["€50.00"]
        clock.advance(hours=24)
        _, later = await _page(installed, user.id, clock.now())
        (waiting,) = later.pending
        assert waiting.confirmable
        await _run(later, "confirm_raise", waiting.id)
        return later

    page = asyncio.run(scenario())
    assert page.error == "" and page.pending == []
    assert [r.in_force for r in page.limits] == ["€90.00"]
    confirmed = [h for h in page.history if h.status == "confirmed"]
    assert len(confirmed) == 1 and confirmed[0].confirmed_at != ""


def test_removing_a_limit_waits_like_a_raise_and_can_be_withdrawn(
    installed: Wiring, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)

    async def scenario() -> ResponsibleState:
        _, page = await _page(installed, user.id, now)
        await _set(page, "wager", "day", "20.00")
        await _run(page, "remove_limit", "wager:day")
        (waiting,) = page.pending
        assert "no wager limit" in waiting.change
        await _run(page, "cancel_raise", waiting.id)
        return page

    page = asyncio.run(scenario())
    assert page.pending == [] and [r.in_force for r in page.limits] == ["€20.00"]


def test_a_bad_amount_is_refused_and_nothing_is_written(
    installed: Wiring, db: Database, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)

    async def scenario() -> ResponsibleState:
        _, page = await _page(installed, user.id, now)
        await _set(page, "loss", "day", "-5")
        return page

    page = asyncio.run(scenario())
    assert page.error != "" and page.limits == []
    assert count_rows(db, "rg_limit_changes") == 0


def _signed_in_for_play(wiring: Wiring, email: str, now: datetime) -> None:
    """A sign-in starts the RG play session (its reality checks count from here)."""
    signin.authenticate(wiring.uow(), email, PASSWORD, now, ClientInfo("192.0.2.60", "pytest"))


def test_a_waiting_reality_check_stops_the_roll_and_the_dialog_shows_time_and_net(
    installed: Wiring, clock: FixedClock, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """UK RTS 13B: play is blocked until the player acknowledges time played and net result."""
    user = funded_player(amount_minor=20_00)
    sessions.set_reality_interval(installed.uow(), Actor.player(user.id), 15, now)
    _signed_in_for_play(installed, user.email, now)

    async def scenario() -> tuple[DiceState, RealityState, list[str]]:
        root, _, _ = await signed_in_tab(installed, user.id, now)
        dice, reality = await root.get_state(DiceState), await root.get_state(RealityState)
        await _run(dice, "load")
        await _run(reality, "check")
        assert not reality.showing
        await _run(dice, "roll")
        assert dice.has_result
        clock.advance(minutes=10)
        await _run(reality, "check")  # any event keeps the browser session alive
        clock.advance(minutes=6)
        await _run(dice, "roll")
        seen = [reality.played, reality.net]
        assert reality.showing and "Reality check" in dice.error
        await _run(reality, "keep_playing")
        assert not reality.showing
        await _run(dice, "roll")
        return dice, reality, seen

    dice, reality, (played, net) = asyncio.run(scenario())
    assert played == "16 min" and "€" in net
    assert dice.error == "" and reality.error == ""
    checks = sessions.play_position(installed.uow(), Actor.player(user.id), clock.now())
    assert not checks.reality_check_due


def test_stop_in_the_reality_check_signs_the_tab_out(
    installed: Wiring, clock: FixedClock, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=20_00)
    sessions.set_reality_interval(installed.uow(), Actor.player(user.id), 15, now)
    _signed_in_for_play(installed, user.email, now)

    async def scenario() -> tuple[Any, str]:
        root, token, _ = await signed_in_tab(installed, user.id, clock.advance(minutes=10))
        clock.advance(minutes=5)
        reality = await root.get_state(RealityState)
        await _run(reality, "check")
        assert reality.showing
        return await _run(reality, "stop_playing"), token

    spec, token = asyncio.run(scenario())
    assert "kasynoSession.drop" in spec.args[0][1]._var_value
    with pytest.raises(SessionExpired):
        identity_sessions.validate_browser(installed.uow(), token, clock.now())


def test_self_exclusion_needs_the_typed_word_then_ends_every_session_and_opens_the_block_page(
    installed: Wiring, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)

    async def scenario() -> tuple[Any, SessionState, str]:
        root, page = await _page(installed, user.id, now)
        _, token, _ = await signed_in_tab(installed, user.id, now)  # another device
        await _run(page, "set_exclusion_choice", "6m")
        await _run(page, "set_exclusion_confirm", "yes")
        assert await _run(page, "self_exclude") is None and "EXCLUDE" in page.block_error
        await _run(page, "set_exclusion_confirm", "exclude")
        spec = await _run(page, "self_exclude")
        return spec, await root.get_state(SessionState), token

    spec, session, other_token = asyncio.run(scenario())
    script = spec.args[0][1]._var_value
    assert (
        "kasynoSession.drop" in script and "/blocked?kind=self_exclusion" in script and "profile=MT" in script
    )
    assert session._user_id is None and not session.is_player
    with pytest.raises(SessionExpired):
        identity_sessions.validate_browser(installed.uow(), other_token, now)


def test_the_block_page_writes_its_own_words_and_the_profiles_helplines(installed: Wiring) -> None:
    async def scenario(query: dict[str, str]) -> BlockedState:
        root = tab()
        address = f"{routes.RG_BLOCKED}?{urlencode(query)}"
        root.router_data = root._update_router_vars({"asPath": address, "query": query}, root.router_data)
        blocked = await root.get_state(BlockedState)
        await _run(blocked, "load")
        return blocked

    timed = asyncio.run(scenario({"kind": "timeout", "until": "2026-03-08T12:00:00+00:00", "profile": "GB"}))
    # the date in the reader's zone (UTC for a tab that has none yet)
    assert timed.text.startswith("Your account is on a time-out until 8 Mar 2026, 12:00.")
    assert any("0808 8020 133" in h for h in timed.helplines)
    forged = asyncio.run(scenario({"kind": "<script>", "until": "call 0900 123", "profile": "XX"}))
    assert "<script>" not in forged.text and "0900" not in forged.text
    assert forged.helplines and all("gamblingtherapy" in h for h in forged.helplines)


def _officer(wiring: Wiring, now: datetime) -> int:
    made = registration.create_operator(
        wiring.uow(), Actor.system("test"), "officer@ops.example", PASSWORD, "risk_compliance", now
    )
    return made.id


def _open_case(wiring: Wiring, user_id: int, now: datetime) -> None:
    found = [marker_rules.Marker(MarkerCode.NIGHT_PLAY, "EUR", 4, 3, "Played after midnight on 4 nights.")]
    uow = wiring.uow()
    with uow:
        markers.file_markers(uow, Actor.system("rg-job"), user_id, "EUR", found, now)
        uow.commit()


def test_an_officer_assigns_notes_and_decides_a_case_and_the_player_reads_and_appeals(
    installed: Wiring, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)
    _open_case(installed, user.id, now)
    officer = _officer(installed, now)

    async def scenario() -> tuple[OpsRgCasesState, ResponsibleState]:
        root, _, _ = await signed_in_tab(installed, officer, now)
        ops = await root.get_state(OpsRgCasesState)
        await _run(ops, "load")
        (case,) = ops.cases
        await _run(ops, "select_case", case.id)
        await _run(ops, "assign_to_me")
        await _run(ops, "set_note_text", "Called the player.")
        await _run(ops, "add_note")
        await _run(ops, "set_outcome", "player_contacted")
        await _run(ops, "set_decision_reason", "We talked about night play and agreed on reminders.")
        await _run(ops, "decide")
        assert ops.error == ""
        _, page = await _page(installed, user.id, now)
        (decision,) = page.decisions
        assert decision.may_appeal and "midnight" in decision.reasons
        await _run(page, "set_appeal_text", "I only play on night shifts.")
        await _run(page, "appeal", decision.id)
        return ops, page

    ops, page = asyncio.run(scenario())
    assert [t.kind for t in ops.selected.trail] == ["opened", "assigned", "note", "decided"]
    assert ops.selected.outcome == "We contacted you"
    assert page.decisions[0].appeal == "I only play on night shifts." and not page.decisions[0].may_appeal


def test_an_officer_imposes_a_limit_with_a_reason_beside_the_players_own(
    installed: Wiring, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """Operators can make limits stricter, never raise the player's own."""
    user = funded_player(amount_minor=10_00)
    officer = _officer(installed, now)

    async def scenario() -> tuple[OpsRgPlayerState, ResponsibleState]:
        _, page = await _page(installed, user.id, now)
        await _set(page, "loss", "day", "40.00")
        root, _, _ = await signed_in_tab(installed, officer, now)
        ops = await root.get_state(OpsRgPlayerState)
        ops.player_id = str(user.id)
        await _run(ops, "set_kind", "loss")
        await _run(ops, "set_period", "day")
        await _run(ops, "set_amount", "25.00")
        await _run(ops, "impose_limit")
        assert "reason" in ops.error.lower()
        await _run(ops, "set_reason", "Affordability check pending")
        await _run(ops, "impose_limit")
        assert ops.error == ""
        await _run(ops, "set_amount", "60.00")
        await _run(ops, "set_reason", "Try to loosen it")
        await _run(ops, "impose_limit")
        await _run(page, "load")
        return ops, page

    ops, page = asyncio.run(scenario())
    assert "stricter" in ops.error
    (row,) = ops.limits
    assert (row.in_force, row.own, row.imposed) == ("€25.00", "€40.00", "€25.00")
    assert [(r.in_force, r.own) for r in page.limits] == [("€25.00", "€40.00")]
    assert any(h.reason == "Affordability check pending" for h in ops.history)


def test_a_time_out_starts_at_once_signs_out_and_sign_in_is_refused_with_the_helplines(
    installed: Wiring, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)

    async def scenario() -> tuple[Any, ResponsibleState]:
        _, page = await _page(installed, user.id, now)
        assert page.timeout_options[0] == ["24", "24 hours"] and page.timeout_choice == "24"
        await _run(page, "set_timeout_choice", "1")  # an hour is not a time-out
        assert await _run(page, "take_time_out") is None and "24 hours to 30 days" in page.block_error
        await _run(page, "set_timeout_choice", "168")
        return await _run(page, "take_time_out"), page

    spec, _ = asyncio.run(scenario())
    script = spec.args[0][1]._var_value
    assert "/blocked?kind=timeout&until=2026-03-08T12%3A00%3A00%2B00%3A00&profile=MT" in script
    with pytest.raises(TimedOut, match="179"):
        signin.authenticate(installed.uow(), user.email, PASSWORD, now + timedelta(days=6))


def test_the_limit_review_is_prompted_after_six_months_and_keeping_the_limits_counts(
    installed: Wiring, clock: FixedClock, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """docs/RESPONSIBLE_GAMING.md: prompt a limit review every 6 months."""
    user = funded_player(amount_minor=10_00)

    async def scenario() -> tuple[bool, bool, bool]:
        _, page = await _page(installed, user.id, now)
        await _set(page, "deposit", "month", "300.00")
        fresh = page.review_due
        clock.advance(days=183)
        _, later = await _page(installed, user.id, clock.now())
        due = later.review_due
        await _run(later, "keep_limits")
        await _run(later, "load")
        return fresh, due, later.review_due

    assert asyncio.run(scenario()) == (False, True, False)


def test_session_limit_and_reality_interval_are_saved_from_the_page(
    installed: Wiring, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)

    async def scenario() -> ResponsibleState:
        _, page = await _page(installed, user.id, now)
        assert ["none", "Off"] in page.reality_options  # the Malta profile lets checks be off
        await _run(page, "set_reality_choice", "7")  # not offered
        await _run(page, "save_reality")
        assert "Choose a reality check" in page.error
        await _run(page, "set_reality_choice", "30")
        await _run(page, "save_reality")
        await _run(page, "set_own_session_limit", "60")
        await _run(page, "save_session_limit")
        return page

    page = asyncio.run(scenario())
    assert (page.reality_text, page.reality_choice) == ("every 30 min", "30")
    assert (page.session_limit, page.own_session_limit) == ("60 min", "60")
    assert any(h.what.startswith("Session time limit") for h in page.history)
