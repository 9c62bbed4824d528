"""Sessions and tokens: idle and absolute expiry, revocation, rotating refresh tokens with reuse detection."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from casino_app.domain.errors import InvalidToken, NotFound, PermissionDenied, SessionExpired
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.backoffice import operators
from casino_app.services.dto import SignedIn, UserView
from casino_app.services.identity.accounts import registration
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.services.identity.sessions import api_tokens, signin
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions.server import ClientInfo
from tests.support import PASSWORD, count_rows, scalar

PHONE = ClientInfo("198.51.100.7", "Mobile Safari")
LAPTOP = ClientInfo("198.51.100.8", "Firefox")
SHELL = Actor.system("test")


def _login(uow: UnitOfWork, email: str, at: datetime, client: ClientInfo = LAPTOP) -> SignedIn:
    return signin.sign_in(uow, signin.verify_password(uow, email, PASSWORD, at, client), at, client)


def _me(signed: SignedIn) -> Actor:
    return Actor.player(signed.user.id, signed.session_id)


def _api(uow: UnitOfWork, user_id: int, at: datetime) -> api_tokens.TokenPair:
    with uow:
        pair = api_tokens.open_api_session(uow, user_id, PHONE, at)
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
    lines = sessions.list_sessions(uow, _me(laptop), now + timedelta(seconds=2))
    assert [(line.ip, line.current) for line in lines] == [(PHONE.ip, False), (LAPTOP.ip, True)]
    sessions.revoke(uow, _me(laptop), phone.session_id, now, reason="player")
    with pytest.raises(SessionExpired):
        sessions.validate_browser(uow, phone.session_token, now + timedelta(seconds=3))
    signin.sign_out(uow, _me(laptop), now)
    with pytest.raises(SessionExpired):
        sessions.validate_browser(uow, laptop.session_token, now + timedelta(seconds=3))
    assert count_rows(db, "audit_log", "action = 'auth.session_revoke'") == 2


def test_a_player_cannot_revoke_someone_elses_session(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    alice, bob = register("alice@example.com"), register("bob@example.com")
    alices, bobs = _login(uow, alice.email, now), _login(uow, bob.email, now)
    with pytest.raises(NotFound):
        sessions.revoke(uow, _me(alices), bobs.session_id, now, reason="player")
    with pytest.raises(NotFound):  # signing out "as" Bob's session from Alice's account
        signin.sign_out(uow, Actor.player(alice.id, bobs.session_id), now)
    assert sessions.validate_browser(uow, bobs.session_token, now).user_id == bob.id


def test_a_service_called_with_another_persons_session_is_refused(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    """Step-up and password change act on the caller's own session; naming Bob's is refused."""
    alice, bob = register("alice2@example.com"), register("bob2@example.com")
    bobs = _login(uow, bob.email, now)
    forged = Actor.player(alice.id, bobs.session_id)
    with pytest.raises(PermissionDenied):
        accounts.step_up_with_password(uow, forged, PASSWORD, now)
    with pytest.raises(PermissionDenied):
        accounts.change_password(uow, forged, PASSWORD, "a-brand-new-secret", now)
    with pytest.raises(PermissionDenied):
        sessions.require_step_up(uow, forged, now)
    assert scalar(db, "SELECT step_up_at FROM user_sessions WHERE id = :id", id=bobs.session_id) is None
    assert sessions.validate_browser(uow, bobs.session_token, now).user_id == bob.id
    signin.verify_password(uow, alice.email, PASSWORD, now, LAPTOP)  # nothing changed


def test_an_actor_without_the_permission_is_refused_and_the_denial_audited(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("own@example.com")
    signed = _login(uow, user.email, now)
    support = registration.create_operator(uow, SHELL, "support@example.com", PASSWORD, "support", now)
    for actor in (Actor.operator(support.id, "support", 1), Actor.anonymous(), SHELL):
        with pytest.raises(PermissionDenied):
            sessions.list_sessions(uow, actor, now)
        with pytest.raises(PermissionDenied):
            sessions.revoke(uow, actor, signed.session_id, now)
    assert count_rows(db, "audit_log", "action = 'authz.denied'") == 6
    assert count_rows(db, "audit_log", f"action = 'authz.denied' AND actor = 'operator:{support.id}'") == 2
    assert sessions.validate_browser(uow, signed.session_token, now).user_id == user.id


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("change@example.com")
    here, there = _login(uow, user.email, now), _login(uow, user.email, now, PHONE)
    api = _api(uow, user.id, now)
    ended = accounts.change_password(uow, _me(here), PASSWORD, "a-brand-new-secret", now)
    assert ended == 2
    assert sessions.validate_browser(uow, here.session_token, now).user_id == user.id
    with pytest.raises(SessionExpired):
        sessions.validate_browser(uow, there.session_token, now)
    with pytest.raises(InvalidToken):
        api_tokens.validate_access(uow, api.access_token, now)


def test_operators_sign_a_player_out_everywhere(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("victim@example.com")
    admin = registration.create_operator(uow, SHELL, "admin@example.com", PASSWORD, "admin", now)
    token = _login(uow, user.email, now).session_token
    ended = operators.revoke_player_sessions(
        uow, Actor.operator(admin.id, "admin"), user.id, "account takeover suspected", now
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
    assert api_tokens.validate_access(uow, pair.access_token, now + timedelta(minutes=29)).user_id == user.id
    with pytest.raises(InvalidToken):
        api_tokens.validate_access(uow, pair.access_token, now + timedelta(minutes=30))
    with pytest.raises(InvalidToken):
        api_tokens.validate_access(uow, pair.refresh_token, now)  # a refresh token is not an access token


def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_whole_family(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("family@example.com")
    first = _api(uow, user.id, now)
    second = api_tokens.refresh_tokens(uow, first.refresh_token, now + timedelta(minutes=20))
    assert second.session_id == first.session_id and second.refresh_token != first.refresh_token
    third = api_tokens.refresh_tokens(uow, second.refresh_token, now + timedelta(minutes=40))
    assert api_tokens.validate_access(uow, third.access_token, now + timedelta(minutes=41)).user_id == user.id
    # A thief replays the first refresh token: the whole family ends, the thief gets nothing.
    with pytest.raises(InvalidToken, match="already used"):
        api_tokens.refresh_tokens(uow, first.refresh_token, now + timedelta(minutes=45))
    with pytest.raises(InvalidToken):
        api_tokens.validate_access(uow, third.access_token, now + timedelta(minutes=46))
    with pytest.raises(InvalidToken):
        api_tokens.refresh_tokens(uow, third.refresh_token, now + timedelta(minutes=46))
    assert count_rows(db, "audit_log", "action = 'auth.refresh_reuse'") == 1
    other = _api(uow, user.id, now)  # another device's family is untouched
    assert api_tokens.validate_access(uow, other.access_token, now + timedelta(minutes=1)).user_id == user.id


def test_an_unknown_refresh_token_is_refused(db: Database, uow: UnitOfWork, now: datetime) -> None:
    with pytest.raises(InvalidToken):
        api_tokens.refresh_tokens(uow, "not-a-token", now)
