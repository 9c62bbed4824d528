"""Email verification, password reset and email change through the outbox: single-use, 30 minutes, hashed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from casino_app.config import IdentitySettings, Settings
from casino_app.domain.errors import (
    EmailTaken,
    InvalidCredentials,
    InvalidToken,
    PermissionDenied,
    SessionExpired,
    StepUpRequired,
    WeakPassword,
)
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.identity.accounts import mail, registration, users
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions import signin
from casino_app.services.identity.sessions.server import ClientInfo
from tests.support import PASSWORD, count_rows, mailed_token, make_wiring, outbox
from tests.support import registration as player_form

HOME = ClientInfo("198.51.100.7", "Firefox")
NEW_PASSWORD = "a-fresh-and-long-secret"


def _token(uow: UnitOfWork, kind: str, to: str) -> str:
    return mailed_token(uow, kind, to)


def test_the_verification_link_confirms_the_email_once(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("verify@example.com")
    token = _token(uow, "verify_email", user.email)
    assert (
        count_rows(db, "action_tokens", f"token_hash = '{hashlib.sha256(token.encode()).hexdigest()}'") == 1
    )
    assert count_rows(db, "action_tokens", f"token_hash = '{token}'") == 0
    assert accounts.confirm_email_link(uow, token, now + timedelta(minutes=29)) == "Your email is confirmed."
    assert users.get_user(uow, Actor.player(user.id)).email_verified
    with pytest.raises(InvalidToken):
        accounts.confirm_email_link(uow, token, now + timedelta(minutes=29))


def test_a_link_expires_after_30_minutes(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("late@example.com")
    with pytest.raises(InvalidToken, match="no longer valid"):
        accounts.confirm_email_link(uow, _token(uow, "verify_email", user.email), now + timedelta(minutes=30))
    assert not users.get_user(uow, Actor.player(user.id)).email_verified


def test_password_reset_sets_the_password_and_ends_every_session(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("forgot@example.com")
    signed = signin.sign_in(uow, signin.verify_password(uow, user.email, PASSWORD, now, HOME), now, HOME)
    accounts.request_password_reset(uow, "FORGOT@example.com", now, HOME)
    token = _token(uow, "reset_password", user.email)
    with pytest.raises(WeakPassword):
        accounts.reset_password(uow, token, "short", now + timedelta(minutes=5))
    accounts.reset_password(
        uow, token, NEW_PASSWORD, now + timedelta(minutes=6)
    )  # still valid after a refusal
    with pytest.raises(SessionExpired):
        sessions.validate_browser(uow, signed.session_token, now + timedelta(minutes=6))
    with pytest.raises(InvalidCredentials):
        signin.verify_password(uow, user.email, PASSWORD, now + timedelta(minutes=7), HOME)
    signin.verify_password(uow, user.email, NEW_PASSWORD, now + timedelta(minutes=8), HOME)
    with pytest.raises(InvalidToken):
        accounts.reset_password(uow, token, "yet-another-new-secret", now + timedelta(minutes=9))
    assert count_rows(db, "audit_log", "action = 'auth.password_reset'") == 1


def test_an_expired_reset_link_is_refused_and_changes_nothing(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("expired@example.com")
    accounts.request_password_reset(uow, user.email, now)
    token = _token(uow, "reset_password", user.email)
    with pytest.raises(InvalidToken):
        accounts.reset_password(uow, token, NEW_PASSWORD, now + timedelta(minutes=31))
    signin.verify_password(uow, user.email, PASSWORD, now + timedelta(minutes=32), HOME)


def test_a_reset_request_for_an_unknown_email_says_nothing_and_sends_no_link(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    """The address gets a notice that no account uses it (the same work as a link, issue 14.4)."""
    assert accounts.request_password_reset(uow, "nobody@example.com", now) is None
    assert accounts.request_password_reset(uow, "not an email", now) is None
    assert [(kind, to) for kind, to, _ in outbox(uow)] == [("reset_unknown", "nobody@example.com")]
    assert "token=" not in outbox(uow)[0][2]
    assert count_rows(db, "action_tokens") == 0


def test_asking_twice_within_a_minute_sends_one_mail_and_a_new_link_replaces_the_old(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("twice@example.com")
    accounts.request_password_reset(uow, user.email, now)
    first = _token(uow, "reset_password", user.email)
    accounts.request_password_reset(uow, user.email, now + timedelta(seconds=30))
    assert count_rows(db, "mail_outbox", "kind = 'reset_password'") == 1
    accounts.request_password_reset(uow, user.email, now + timedelta(minutes=2))
    second = _token(uow, "reset_password", user.email)
    with pytest.raises(InvalidToken):
        accounts.reset_password(uow, first, NEW_PASSWORD, now + timedelta(minutes=3))
    accounts.reset_password(uow, second, NEW_PASSWORD, now + timedelta(minutes=3))


def test_an_email_change_needs_a_step_up_and_a_confirmed_new_address(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("old@example.com")
    register("taken@example.com")
    signed = signin.sign_in(uow, signin.verify_password(uow, user.email, PASSWORD, now, HOME), now, HOME)
    me = Actor.player(user.id, signed.session_id)
    with pytest.raises(StepUpRequired):
        accounts.request_email_change(uow, me, "new@example.com", now)
    accounts.step_up_with_password(uow, me, PASSWORD, now)
    with pytest.raises(EmailTaken):
        accounts.request_email_change(uow, me, "TAKEN@example.com", now)
    accounts.request_email_change(uow, me, "New@Example.com", now)
    assert users.get_user(uow, me).email == "old@example.com"
    token = _token(uow, "change_email", "new@example.com")
    accounts.confirm_email_link(uow, token, now + timedelta(minutes=1))
    assert users.get_user(uow, me).email == "new@example.com"
    assert any(kind == "email_changed" and to == "old@example.com" for kind, to, _ in outbox(uow))
    signin.verify_password(uow, "new@example.com", PASSWORD, now + timedelta(minutes=2), HOME)
    with pytest.raises(InvalidCredentials):
        signin.verify_password(uow, "old@example.com", PASSWORD, now + timedelta(minutes=3), HOME)


def test_outgoing_mail_is_sealed_at_rest(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    register("sealed-mail@example.com")
    with db.read_engine.connect() as conn:
        import sqlalchemy as sa

        row = conn.execute(sa.text("SELECT recipient_enc, body_enc FROM mail_outbox")).one()
    assert all(value.startswith("e1.") for value in row)
    assert "sealed-mail" not in "".join(row)


def test_links_point_at_the_configured_public_url_and_the_mailbox_is_demo_only(
    db: Database, now: datetime
) -> None:
    settings = Settings(
        db_url=db.url,
        demo_mode=False,
        scheduler_enabled=False,
        identity=IdentitySettings(public_url="https://lotto.example/"),
    )
    live = make_wiring(db, settings=settings)
    user = registration.register_player(live.uow(), player_form("links@example.com"), now)
    assert user is not None
    me = Actor.player(user.id)
    with pytest.raises(PermissionDenied):
        mail.recent(live.uow(), me)  # the outbox carries live links: no demo mailbox in production
    demo = make_wiring(db, keys=live.keys, settings=replace(settings, demo_mode=True))
    (message,) = mail.recent(demo.uow(), me)
    assert "https://lotto.example/verify-email?token=" in message.body
