"""No account enumeration (issue 14.4): the same answer, the same work and the same policy for every email.

Registration, password reset, the login throttle and oversized passwords must not tell a
registered address (player or operator) from one nobody uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from casino_app.domain.errors import DomainError, InvalidCredentials
from casino_app.domain.identity import totp
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.rules import MAX_PASSWORD
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.identity.accounts import registration
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.services.identity.credentials import mfa
from casino_app.services.identity.sessions import signin
from casino_app.services.identity.sessions.server import ClientInfo
from tests.support import PASSWORD, count_rows, outbox
from tests.support import registration as player_form

SHELL = Actor.system("test")
WRONG = "wrong-password-123"


# --- registration ---------------------------------------------------------------------------


def test_registering_a_taken_email_answers_like_a_new_one_creates_nothing_and_mails_the_owner(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    owner = register("taken@example.com")
    before = {table: count_rows(db, table) for table in ("users", "accounts", "action_tokens")}
    answer = registration.register_player(uow, player_form("Taken@Example.com", "another-long-pass-7"), now)
    assert answer is None  # no exception, no account: entry points say "check your email" to both
    assert {table: count_rows(db, table) for table in before} == before
    mails = [(kind, to) for kind, to, _ in outbox(uow)]
    assert mails[0] == ("account_exists", "taken@example.com")
    assert (
        count_rows(db, "audit_log", f"action = 'auth.register_existing' AND subject = 'user:{owner.id}'") == 1
    )
    # The owner's password is untouched: the attempt changed nothing.
    signin.verify_password(uow, "taken@example.com", PASSWORD, now, ClientInfo("198.51.100.1"))


def test_an_operator_address_answers_registration_like_any_other(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    registration.create_operator(uow, SHELL, "staff@example.com", PASSWORD, "finance", now)
    assert registration.register_player(uow, player_form("staff@example.com"), now) is None
    assert count_rows(db, "users", "role = 'player'") == 0


# --- password reset -------------------------------------------------------------------------


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    """The shape ("INSERT INTO mail_outbox") of every statement run on the write engine."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        verb = statement.split(None, 1)[0].upper()
        table = re.search(r"\b(?:FROM|INTO|UPDATE)\s+\"?([a-z_]+)", statement, re.I)
        seen.append(f"{verb} {table.group(1) if table else ''}".strip())

    def committed(_conn: Any) -> None:
        seen.append("COMMIT")

    sa.event.listen(db.write_engine, "before_cursor_execute", record)
    sa.event.listen(db.write_engine, "commit", committed)
    try:
        yield seen
    finally:
        sa.event.remove(db.write_engine, "before_cursor_execute", record)
        sa.event.remove(db.write_engine, "commit", committed)


def test_a_reset_request_does_the_same_work_for_known_and_unknown_emails(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    """The same statements in the same order and one commit; only the owner's token row is extra."""
    register("known@example.com")
    with _statements(db) as known:
        accounts.request_password_reset(uow, "known@example.com", now, ClientInfo("192.0.2.1"))
    with _statements(db) as unknown:
        accounts.request_password_reset(uow, "unknown@example.com", now, ClientInfo("192.0.2.2"))
    extra = list(known)
    extra.remove("INSERT action_tokens")
    assert extra == unknown
    assert unknown.count("COMMIT") == 1
    assert count_rows(db, "audit_log", "action = 'auth.password_reset_requested'") == 2
    kinds = sorted((kind, to) for kind, to, _ in outbox(uow) if kind.startswith("reset"))
    assert kinds == [("reset_password", "known@example.com"), ("reset_unknown", "unknown@example.com")]


def test_reset_requests_are_limited_per_client_address_alike_for_every_email(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    register("often@example.com")
    client = ClientInfo("192.0.2.50")
    for i in range(10):
        email = "often@example.com" if i % 2 else f"nobody{i}@example.com"
        accounts.request_password_reset(uow, email, now + timedelta(minutes=i), client)
    for email in ("often@example.com", "nobody@example.com"):
        with pytest.raises(DomainError) as err:
            accounts.request_password_reset(uow, email, now + timedelta(minutes=11), client)
        assert err.value.code == "too_many_attempts"
    accounts.request_password_reset(uow, "often@example.com", now + timedelta(minutes=11), ClientInfo("x"))


# --- one throttling policy before authentication --------------------------------------------


def _outcomes(uow: UnitOfWork, email: str, start: datetime, ip: str) -> list[tuple[str, int]]:
    """A fixed schedule of wrong logins: each outcome's code and retry_after."""
    offsets = [0, 0, 1, 1, 2, 4, 10, 20, 60, 3600]
    results = []
    for offset in offsets:
        try:
            signin.verify_password(uow, email, WRONG, start + timedelta(seconds=offset), ClientInfo(ip))
        except DomainError as err:
            results.append((err.code, getattr(err, "retry_after", 0)))
            continue
        raise AssertionError("a wrong password signed in")
    return results


def test_players_operators_and_unknown_emails_get_one_throttle_and_lockout_policy(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    register("player@example.com")
    registration.create_operator(uow, SHELL, "admin@example.com", PASSWORD, "admin", now)
    player = _outcomes(uow, "player@example.com", now, "192.0.2.10")
    operator = _outcomes(uow, "admin@example.com", now, "192.0.2.11")
    unknown = _outcomes(uow, "ghost@example.com", now, "192.0.2.12")
    assert player == operator == unknown
    assert ("account_locked", 0) in player
    assert len({message for message in _lock_messages(uow, now)}) == 1


def _lock_messages(uow: UnitOfWork, now: datetime) -> Iterator[str]:
    for email in ("player@example.com", "admin@example.com", "ghost@example.com"):
        try:
            signin.verify_password(uow, email, PASSWORD, now + timedelta(hours=2), ClientInfo("192.0.2.99"))
        except DomainError as err:
            yield err.message


def test_a_locked_operator_unlocks_with_a_code_from_their_authenticator(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    op = registration.create_operator(uow, SHELL, "lockedop@example.com", PASSWORD, "support", now)
    secret = totp.new_secret()
    mfa.enroll_demo_secret(uow, op.id, secret, now)
    _outcomes(uow, op.email, now, "192.0.2.20")
    later = now + timedelta(hours=2)
    accounts.unlock_with_code(uow, op.email, totp.code_at(secret, totp.time_step(later)), later)
    assert signin.verify_password(uow, op.email, PASSWORD, later, ClientInfo("192.0.2.21")).user_id == op.id
    assert ("unlock", "lockedop@example.com") in [(kind, to) for kind, to, _ in outbox(uow)]


# --- oversized passwords --------------------------------------------------------------------


@pytest.mark.parametrize("email", ["long@example.com", "nobody-long@example.com"])
def test_an_oversized_password_fails_like_a_wrong_one_and_is_counted_and_audited(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime, email: str
) -> None:
    register("long@example.com")
    with pytest.raises(InvalidCredentials) as err:
        signin.verify_password(uow, email, "x" * 5000, now, ClientInfo("192.0.2.30"))
    assert err.value.message == "Wrong email or password."
    assert (
        count_rows(db, "audit_log", "action = 'auth.login_failed' AND details LIKE '%wrong_password%'") == 1
    )
    assert count_rows(db, "auth_throttles", "key LIKE 'login:%' AND failures = 1") == 1


def test_a_password_is_never_accepted_through_its_first_128_characters(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    """Clipping before the hash costs the same work; an input over the maximum still never matches."""
    longest = "Lz9-" * (MAX_PASSWORD // 4)
    user = registration.register_player(uow, player_form("max@example.com", longest), now)
    assert user is not None
    with pytest.raises(InvalidCredentials):
        signin.verify_password(uow, "max@example.com", longest + "tail", now, ClientInfo("192.0.2.31"))
    later = now + timedelta(minutes=1)
    assert signin.verify_password(uow, "max@example.com", longest, later, ClientInfo("192.0.2.32")).user_id
