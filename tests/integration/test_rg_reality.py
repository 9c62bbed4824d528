"""Reality checks and the session time limit (RTS 13B; docs/RESPONSIBLE_GAMING.md), on the bet path."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from casino_app.adapters.sandbox_payments import APPROVE_TOKEN
from casino_app.domain.errors import InvalidInput, RealityCheckDue, SessionLimitReached
from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.compliance.rg import sessions
from casino_app.services.compliance.rg.dto import SetLimit
from casino_app.services.compliance.rg.limits import setting as limits
from casino_app.services.games import catalog, engine
from casino_app.services.games.catalog import GameSpec
from casino_app.services.games.engine import rounds
from casino_app.services.identity.accounts import registration
from casino_app.services.identity.sessions import signin
from casino_app.services.identity.sessions.server import ClientInfo
from casino_app.services.payments.deposits import deposits
from tests.support import PASSWORD, count_rows
from tests.support import registration as form

FLIP = GameSpec("flip", "Coin flip", GameKind.INSTANT, "EUR", {"pays": 2}, 10, 100_00)
DEVICE = ClientInfo("192.0.2.45", "Tablet")


def _player(uow: UnitOfWork, now: datetime, country: str = "MT") -> tuple[int, str]:
    user = registration.register_player(uow, form(f"rc-{country.lower()}@example.com", country=country), now)
    assert user is not None
    deposits.deposit(
        uow, Actor.player(user.id), deposits.Deposit(f"o-{user.id}", 50_00, "EUR", APPROVE_TOKEN), now
    )
    return user.id, user.email


def _bet(uow: UnitOfWork, user_id: int, now: datetime) -> None:
    game = catalog.ensure_game(uow, Actor.system("test"), FLIP, now)
    with uow:
        round_id = rounds.open_round_in(uow, game, now)
        uow.commit()
    stake = engine.Stake(game, round_id, 1_00, "heads", f"bet-{now.isoformat()}", {})
    engine.place_stake(uow, Actor.player(user_id), stake, now)


def test_play_is_blocked_at_the_chosen_interval_until_the_reality_check_is_acknowledged(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    user_id, email = _player(uow, now)
    me = Actor.player(user_id)
    sessions.set_reality_interval(uow, me, 30, now)
    signin.authenticate(uow, email, PASSWORD, now, DEVICE)
    _bet(uow, user_id, now + timedelta(minutes=29))
    due = now + timedelta(minutes=30)
    with pytest.raises(RealityCheckDue, match="30 min"):
        _bet(uow, user_id, due)
    position = sessions.play_position(uow, me, due)
    assert position.reality_check_due and position.net.minor == -1_00
    with pytest.raises(InvalidInput):
        sessions.acknowledge_reality_check(uow, me, "maybe", due)
    record = sessions.acknowledge_reality_check(uow, me, "continue", now + timedelta(minutes=31))
    assert (record.played_seconds, record.net.minor) == (31 * 60, -1_00)
    assert record.next_due_at == now + timedelta(minutes=61)
    _bet(uow, user_id, now + timedelta(minutes=32))
    with pytest.raises(InvalidInput, match="No reality check"):
        sessions.acknowledge_reality_check(uow, me, "continue", now + timedelta(minutes=33))
    assert count_rows(db, "rg_reality_checks") == 1


def test_a_longer_interval_chosen_while_a_check_waits_does_not_skip_it(
    uow: UnitOfWork, now: datetime
) -> None:
    user_id, email = _player(uow, now)
    me = Actor.player(user_id)
    sessions.set_reality_interval(uow, me, 15, now)
    signin.authenticate(uow, email, PASSWORD, now, DEVICE)
    sessions.set_reality_interval(uow, me, 120, now + timedelta(minutes=16))
    with pytest.raises(RealityCheckDue):
        _bet(uow, user_id, now + timedelta(minutes=17))


def test_the_strictest_profile_requires_a_reality_check_at_least_hourly(
    uow: UnitOfWork, now: datetime
) -> None:
    user_id, email = _player(uow, now, country="PL")
    with pytest.raises(InvalidInput, match="cannot be switched off"):
        sessions.set_reality_interval(uow, Actor.player(user_id), None, now)
    signin.authenticate(uow, email, PASSWORD, now, DEVICE)
    _bet(uow, user_id, now + timedelta(minutes=59))
    with pytest.raises(RealityCheckDue):
        _bet(uow, user_id, now + timedelta(minutes=60))


def test_a_session_time_limit_ends_play_until_the_break_is_over(uow: UnitOfWork, now: datetime) -> None:
    user_id, email = _player(uow, now)
    me = Actor.player(user_id)
    limits.set_limit(uow, me, SetLimit("session", "session", 30), now)
    signin.authenticate(uow, email, PASSWORD, now, DEVICE)
    _bet(uow, user_id, now + timedelta(minutes=29))
    with pytest.raises(SessionLimitReached, match="session time limit"):
        _bet(uow, user_id, now + timedelta(minutes=30))
    with pytest.raises(InvalidInput, match="break"):
        sessions.start_new_session(uow, me, now + timedelta(minutes=45))
    sessions.start_new_session(uow, me, now + timedelta(minutes=60))
    _bet(uow, user_id, now + timedelta(minutes=61))


def test_a_lower_session_limit_applies_to_the_running_session_at_once(uow: UnitOfWork, now: datetime) -> None:
    user_id, email = _player(uow, now)
    me = Actor.player(user_id)
    signin.authenticate(uow, email, PASSWORD, now, DEVICE)
    limits.set_limit(uow, me, SetLimit("session", "session", 30), now + timedelta(minutes=40))
    with pytest.raises(SessionLimitReached):
        _bet(uow, user_id, now + timedelta(minutes=41))
