"""Time-outs and self-exclusion (docs/RESPONSIBLE_GAMING.md): immediate, every session ends,
sign-in, bets and deposits refused with the helplines, no early end, withdrawals still paid,
re-registration refused through blind indexes that outlive an erasure.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from casino_app.adapters.sandbox_payments import APPROVE_TOKEN
from casino_app.bootstrap import Wiring
from casino_app.domain.errors import InvalidInput, InvalidToken, SelfExcluded, SessionExpired, TimedOut
from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.compliance import privacy
from casino_app.services.compliance.rg import checks
from casino_app.services.compliance.rg.exclusion import periods as exclusion
from casino_app.services.dto import UserView
from casino_app.services.games import catalog, engine
from casino_app.services.games.catalog import GameSpec
from casino_app.services.games.engine import rounds
from casino_app.services.identity.accounts import registration
from casino_app.services.identity.sessions import api_tokens, signin
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions.server import ClientInfo
from casino_app.services.payments.deposits import deposits
from casino_app.services.payments.withdrawals import withdrawals
from tests.support import PASSWORD, confirm_email, count_rows, stepped_up_operator
from tests.support import registration as form

FLIP = GameSpec("flip", "Coin flip", GameKind.INSTANT, "EUR", {"pays": 2}, 10, 100_00)
DEVICE = ClientInfo("192.0.2.44", "Phone")
RISK = Actor.operator(900, "risk_compliance")


def _player(uow: UnitOfWork, now: datetime, email: str = "quit@example.com", phone: str = "") -> UserView:
    user = registration.register_player(uow, form(email, phone=phone), now)
    assert user is not None
    confirm_email(uow, user.id, now)
    cmd = deposits.Deposit(f"o-{user.id}", 50_00, "EUR", APPROVE_TOKEN)
    deposits.deposit(uow, Actor.player(user.id), cmd, now)
    return user


def _bet(uow: UnitOfWork, user_id: int, now: datetime, key: str = "b") -> None:
    game = catalog.ensure_game(uow, Actor.system("test"), FLIP, now)
    with uow:
        round_id = rounds.open_round_in(uow, game, now)
        uow.commit()
    engine.place_stake(uow, Actor.player(user_id), engine.Stake(game, round_id, 1_00, "heads", key, {}), now)


def test_self_exclusion_revokes_every_session_and_refuses_reregistration_by_email_case_or_phone(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    user = _player(uow, now, "Quit.Me@example.com", phone="+356 2123 4567")
    browser = signin.sign_in(uow, signin.verify_password(uow, user.email, PASSWORD, now, DEVICE), now, DEVICE)
    pair = signin.sign_in_api(
        uow, signin.verify_password(uow, user.email, PASSWORD, now, DEVICE), now, DEVICE
    )
    block = exclusion.self_exclude(uow, Actor.player(user.id, browser.session_id), "6m", now)
    assert (block.kind, block.sessions_ended) == ("self_exclusion", 2)
    assert block.until is not None and block.until.month == 9
    with pytest.raises(SessionExpired):
        sessions.validate_browser(uow, browser.session_token, now)
    with pytest.raises(InvalidToken):
        api_tokens.validate_access(uow, pair.access_token, now)
    with pytest.raises(InvalidToken):
        api_tokens.refresh_tokens(uow, pair.refresh_token, now)
    with pytest.raises(SelfExcluded, match="excluded from gambling"):
        registration.register_player(uow, form("QUIT.ME@EXAMPLE.COM"), now + timedelta(days=1))
    with pytest.raises(SelfExcluded):
        registration.register_player(uow, form("someone.else@example.com", phone="+35621234567"), now)
    assert count_rows(db, "users", "role = 'player'") == 1
    assert count_rows(db, "rg_excluded_identifiers") == 2


def test_sign_in_bets_and_deposits_are_refused_during_a_time_out_with_the_helplines(
    uow: UnitOfWork, now: datetime
) -> None:
    user = _player(uow, now)
    me = Actor.player(user.id)
    block = exclusion.take_time_out(uow, me, timedelta(hours=24), now)
    assert block.until == now + timedelta(hours=24) and "Supportline" in block.contacts
    soon = now + timedelta(hours=23)
    with pytest.raises(TimedOut, match=r"cannot sign in.*Supportline"):
        signin.authenticate(uow, user.email, PASSWORD, soon, DEVICE)
    with pytest.raises(TimedOut, match="cannot bet"):
        _bet(uow, user.id, soon)
    with pytest.raises(TimedOut, match="cannot deposit"):
        deposits.deposit(uow, me, deposits.Deposit("during", 10_00, "EUR", APPROVE_TOKEN), soon)
    over = now + timedelta(hours=24)
    signin.authenticate(uow, user.email, PASSWORD, over, DEVICE)
    _bet(uow, user.id, over, "after")


def test_a_time_out_lasts_24_hours_to_30_days(uow: UnitOfWork, now: datetime) -> None:
    user = _player(uow, now)
    me = Actor.player(user.id)
    for wrong in (timedelta(hours=23), timedelta(days=31)):
        with pytest.raises(InvalidInput, match="24 hours to 30 days"):
            exclusion.take_time_out(uow, me, wrong, now)
    assert exclusion.take_time_out(uow, me, timedelta(days=30), now).until == now + timedelta(days=30)


def test_the_player_cannot_end_or_shorten_a_block_early(uow: UnitOfWork, now: datetime) -> None:
    user = _player(uow, now)
    me = Actor.player(user.id)
    exclusion.self_exclude(uow, me, "1y", now)
    with pytest.raises(InvalidInput, match="cannot be shortened"):
        exclusion.self_exclude(uow, me, "6m", now + timedelta(days=1))
    with pytest.raises(InvalidInput, match="cannot be shortened"):
        exclusion.take_time_out(uow, me, timedelta(days=2), now + timedelta(days=1))
    longer = exclusion.self_exclude(uow, me, "permanent", now + timedelta(days=2))
    assert longer.until is None
    with pytest.raises(SelfExcluded, match="permanently"):
        signin.authenticate(uow, user.email, PASSWORD, now + timedelta(days=4000), DEVICE)


def test_a_pending_withdrawal_is_paid_after_self_exclusion(uow: UnitOfWork, now: datetime) -> None:
    user = _player(uow, now)
    with uow:
        _, session_id = sessions.open_browser_session(uow, user.id, DEVICE, now, step_up=True)
        uow.commit()
    pending = withdrawals.request_withdrawal(uow, Actor.player(user.id, session_id), 30_00, "w-1", now)
    exclusion.self_exclude(uow, Actor.player(user.id), "5y", now)
    payer = stepped_up_operator(uow, "finance", now)
    paid = withdrawals.resolve_withdrawal(uow, payer, pending.id, "paid", now=now)
    assert paid.status == "paid"


def test_excluded_identifiers_outlive_an_erasure(db: Database, uow: UnitOfWork, now: datetime) -> None:
    user = registration.register_player(uow, form("erase.me@example.com", phone="+48601234567"), now)
    assert user is not None
    exclusion.self_exclude(uow, Actor.player(user.id), "permanent", now)
    privacy.erase_player(uow, Actor.player(user.id), reason="please forget me", now=now)
    assert count_rows(db, "users", "phone_index IS NOT NULL") == 0  # the account no longer knows them
    for email, phone in (("Erase.Me@example.com", ""), ("new@example.com", "+48 601 234 567")):
        with pytest.raises(SelfExcluded):
            registration.register_player(uow, form(email, phone=phone), now + timedelta(days=400))


def test_an_operator_imposed_exclusion_blocks_play_with_its_reason_audited_and_emitted(
    db: Database, wiring: Wiring, uow: UnitOfWork, now: datetime
) -> None:
    user = _player(uow, now)
    with pytest.raises(InvalidInput, match="reason"):
        exclusion.impose_exclusion(uow, RISK, user.id, "1y", "", now)
    block = exclusion.impose_exclusion(uow, RISK, user.id, "1y", "affordability concerns", now)
    assert block.kind == "operator_exclusion"
    with pytest.raises(SelfExcluded, match="closed for gambling"):
        _bet(uow, user.id, now + timedelta(days=1))
    with uow.reader() as r:
        assert not checks.may_receive_offers(r.session, user.id, now)
    assert count_rows(db, "audit_log", "action = 'rg.exclusion_imposed'") == 1
    assert [e.name for e in wiring.events.events if e.name.startswith("player.")] == ["player.excluded"]  # type: ignore[attr-defined]
