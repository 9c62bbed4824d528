"""Sessions and tokens: idle and absolute expiry, revocation, rotating refresh tokens with reuse detection."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from casino_app.domain.errors import InvalidToken, NotFound, SessionExpired
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.backoffice import operators
from casino_app.services.dto import SignedIn, UserView
from casino_app.services.identity import accounts, sessions, signin
from casino_app.services.identity.sessions import ClientInfo
from tests.support import PASSWORD, count_rows, scalar

PHONE = ClientInfo("198.51.100.7", "Mobile Safari")
LAPTOP = ClientInfo("198.51.100.8", "Firefox")


def _login(uow: UnitOfWork, email: str, at: datetime, client: ClientInfo = LAPTOP) -> SignedIn:
    return signin.sign_in(uow, signin.verify_password(uow, email, PASSWORD, at, client), at, client)


def _api(uow: UnitOfWork, user_id: int, at: datetime) -> sessions.TokenPair:
    with uow:
        pair = sessions.open_api_session(uow.session, user_id, PHONE, at)
        uow.commit()
    return pair


def test_session_tokens_are_256_bit_and_stored_only_as_hashes(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("hash@example.com")
    signed = _login(uow, user.email, now)
    assert len(signed.session_token) >= 43  # 32 bytes in URL-safe base64
    stored = scalar(db, "SELECT token_hash FROM user_sessions WHERE id = :id", id=signed.session_id)
    assert stored == hashlib.sha256(signed.session_token.encode()).hexdigest()
    assert count_rows(db, "user_sessions", f"token_hash = '{signed.session_token}'") == 0


def test_a_session_ends_after_15_minutes_idle(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("idle@example.com")
    token = _login(uow, user.email, now).session_token
    assert sessions.validate_browser(uow, token, now + timedelta(minutes=14)).user_id == user.id
    # Activity at 14 minutes moved the idle timer: 28 minutes after sign-in it still lives.
    assert sessions.validate_browser(uow, token, now + timedelta(minutes=28)).user_id == user.id
    with pytest.raises(SessionExpired, match="inactivity"):
        sessions.validate_browser(uow, token, now + timedelta(minutes=43))


def test_a_session_ends_12_hours_after_sign_in_despite_activity(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("absolute@example.com")
    token = _login(uow, user.email, now).session_token
    at = now
    while at < now + timedelta(hours=11, minutes=50):
        at += timedelta(minutes=10)
        sessions.validate_browser(uow, token, at)
    with pytest.raises(SessionExpired):
        sessions.validate_browser(uow, token, now + timedelta(hours=12))


def test_logout_revokes_the_session_and_players_list_and_revoke_their_sessions(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("many@example.com")
    laptop = _login(uow, user.email, now, LAPTOP)
    phone = _login(uow, user.email, now + timedelta(seconds=1), PHONE)
    lines = sessions.list_sessions(uow, user.id, laptop.session_id, now + timedelta(seconds=2))
    assert [(line.ip, line.current) for line in lines] == [(PHONE.ip, False), (LAPTOP.ip, True)]
    sessions.revoke(uow, user.id, phone.session_id, now, actor=f"player:{user.id}", reason="player")
    with pytest.raises(SessionExpired):
        sessions.validate_browser(uow, phone.session_token, now + timedelta(seconds=3))
    signin.sign_out(uow, laptop.session_id, user.id, now, f"player:{user.id}")
    with pytest.raises(SessionExpired):
        sessions.validate_browser(uow, laptop.session_token, now + timedelta(seconds=3))
    assert count_rows(db, "audit_log", "action = 'auth.session_revoke'") == 2


def test_a_player_cannot_revoke_someone_elses_session(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    alice, bob = register("alice@example.com"), register("bob@example.com")
    bobs = _login(uow, bob.email, now)
    with pytest.raises(NotFound):
        sessions.revoke(uow, alice.id, bobs.session_id, now, actor=f"player:{alice.id}", reason="player")
    assert sessions.validate_browser(uow, bobs.session_token, now).user_id == bob.id


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("change@example.com")
    here, there = _login(uow, user.email, now), _login(uow, user.email, now, PHONE)
    api = _api(uow, user.id, now)
    ended = accounts.change_password(uow, user.id, here.session_id, PASSWORD, "a-brand-new-secret", now)
    assert ended == 2
    assert sessions.validate_browser(uow, here.session_token, now).user_id == user.id
    with pytest.raises(SessionExpired):
        sessions.validate_browser(uow, there.session_token, now)
    with pytest.raises(InvalidToken):
        sessions.validate_access(uow, api.access_token, now)


def test_operators_sign_a_player_out_everywhere(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("victim@example.com")
    admin = signin.create_operator(uow, "admin@example.com", PASSWORD, "admin", now)
    token = _login(uow, user.email, now).session_token
    ended = operators.revoke_player_sessions(
        uow, operators.Actor(admin.id, "admin"), user.id, "account takeover suspected", now
    )
    assert ended == 1
    with pytest.raises(SessionExpired):
        sessions.validate_browser(uow, token, now)


def test_access_tokens_last_30_minutes(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("access@example.com")
    pair = _api(uow, user.id, now)
    assert pair.access_expires_in == 1800
    assert sessions.validate_access(uow, pair.access_token, now + timedelta(minutes=29)).user_id == user.id
    with pytest.raises(InvalidToken):
        sessions.validate_access(uow, pair.access_token, now + timedelta(minutes=30))
    with pytest.raises(InvalidToken):
        sessions.validate_access(uow, pair.refresh_token, now)  # a refresh token is not an access token


def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_whole_family(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("family@example.com")
    first = _api(uow, user.id, now)
    second = sessions.refresh_tokens(uow, first.refresh_token, now + timedelta(minutes=20))
    assert second.session_id == first.session_id and second.refresh_token != first.refresh_token
    third = sessions.refresh_tokens(uow, second.refresh_token, now + timedelta(minutes=40))
    assert sessions.validate_access(uow, third.access_token, now + timedelta(minutes=41)).user_id == user.id
    # A thief replays the first refresh token: the whole family ends, the thief gets nothing.
    with pytest.raises(InvalidToken, match="already used"):
        sessions.refresh_tokens(uow, first.refresh_token, now + timedelta(minutes=45))
    with pytest.raises(InvalidToken):
        sessions.validate_access(uow, third.access_token, now + timedelta(minutes=46))
    with pytest.raises(InvalidToken):
        sessions.refresh_tokens(uow, third.refresh_token, now + timedelta(minutes=46))
    assert count_rows(db, "audit_log", "action = 'auth.refresh_reuse'") == 1
    other = _api(uow, user.id, now)  # another device's family is untouched
    assert sessions.validate_access(uow, other.access_token, now + timedelta(minutes=1)).user_id == user.id


def test_an_unknown_refresh_token_is_refused(db: Database, uow: UnitOfWork, now: datetime) -> None:
    with pytest.raises(InvalidToken):
        sessions.refresh_tokens(uow, "not-a-token", now)
