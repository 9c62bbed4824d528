"""The password re-entered while signed in (step-up, password change) is limited like a login (issue 14.3).

Each attempt is counted before argon2, waits out the login backoff, is audited when wrong,
and the fifth wrong one within 30 minutes ends the session it came from.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from casino_app.bootstrap import Wiring
from casino_app.domain.errors import (
    DomainError,
    InvalidCredentials,
    SessionExpired,
    TooManyAttempts,
)
from casino_app.domain.identity import throttle as limits
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions import signin
from casino_app.services.identity.sessions.server import ClientInfo
from tests.support import PASSWORD, count_rows, scalar

WRONG = "not-my-password-1"
LAPTOP = ClientInfo("198.51.100.8", "Firefox")


def _signed_in(uow: UnitOfWork, email: str, at: datetime) -> Actor:
    signed = signin.sign_in(uow, signin.verify_password(uow, email, PASSWORD, at, LAPTOP), at, LAPTOP)
    return Actor.player(signed.user.id, signed.session_id)


def _step_up(uow: UnitOfWork, actor: Actor, password: str, at: datetime) -> str:
    try:
        accounts.step_up_with_password(uow, actor, password, at)
    except DomainError as err:
        return err.code
    return "ok"


def _step_up_at(db: Database, session_id: int | None) -> object:
    return scalar(db, "SELECT step_up_at FROM user_sessions WHERE id = :id", id=session_id)


def test_a_burst_of_wrong_step_up_passwords_is_refused_before_hashing_and_the_right_one_waits(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    """50 wrong step-ups in one instant check two passwords; the right one right after is refused too."""
    me = _signed_in(uow, register("burst@example.com").email, now)
    outcomes = Counter(_step_up(uow, me, WRONG, now) for _ in range(50))
    free = limits.REAUTH_BACKOFF.free
    assert outcomes == Counter({InvalidCredentials.code: free, TooManyAttempts.code: 50 - free})
    assert _step_up(uow, me, PASSWORD, now) == TooManyAttempts.code
    assert _step_up_at(db, me.session_id) is None
    assert count_rows(db, "audit_log", "action = 'auth.step_up_failed'") == 51  # refusals too
    assert count_rows(db, "audit_log", "action = 'auth.step_up_failed' AND details LIKE '%wrong%'") == free


def test_the_fifth_wrong_password_ends_the_session_and_is_audited(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    me = _signed_in(uow, register("guess@example.com").email, now)
    at, outcomes = now, []
    for _ in range(limits.REAUTH_LIMIT.attempts):
        at += timedelta(seconds=limits.REAUTH_BACKOFF.cap_s)  # slower than the backoff
        outcomes.append(_step_up(uow, me, WRONG, at))
    assert outcomes == [InvalidCredentials.code] * 4 + [SessionExpired.code]
    assert _step_up(uow, me, PASSWORD, at + timedelta(minutes=2)) == SessionExpired.code
    assert _step_up_at(db, me.session_id) is None
    revoked = scalar(db, "SELECT revoked_reason FROM user_sessions WHERE id = :id", id=me.session_id)
    assert revoked == "reauth_failures"
    assert count_rows(db, "audit_log", "action = 'auth.step_up_failed'") == 5
    assert count_rows(db, "audit_log", "action = 'auth.session_revoke' AND details LIKE '%reauth%'") == 1


def test_password_change_and_step_up_share_one_count_and_a_new_sign_in_clears_it(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    email = register("shared@example.com").email
    me = _signed_in(uow, email, now)
    at = now
    for i in range(limits.REAUTH_LIMIT.attempts - 1):
        at += timedelta(minutes=1)
        with pytest.raises(InvalidCredentials):
            if i % 2:
                accounts.change_password(uow, me, WRONG, "a-brand-new-password-9", at)
            else:
                accounts.step_up_with_password(uow, me, WRONG, at)
    at += timedelta(minutes=1)
    with pytest.raises(SessionExpired):
        accounts.change_password(uow, me, WRONG, "a-brand-new-password-9", at)
    assert count_rows(db, "audit_log", "action = 'auth.password_change_failed'") == 3
    # The owner signs in again with the password: the count starts over and the right one works.
    again = _signed_in(uow, email, at + timedelta(minutes=1))
    assert _step_up(uow, again, PASSWORD, at + timedelta(minutes=1)) == "ok"
    sessions.require_step_up(uow, again, at + timedelta(minutes=2))


def test_a_right_password_clears_the_count(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    me = _signed_in(uow, register("clears@example.com").email, now)
    at = now
    for _ in range(3):
        at += timedelta(minutes=1)
        assert _step_up(uow, me, WRONG, at) == InvalidCredentials.code
    at += timedelta(minutes=1)
    assert _step_up(uow, me, PASSWORD, at) == "ok"
    for _ in range(4):
        at += timedelta(minutes=1)
        assert _step_up(uow, me, WRONG, at) == InvalidCredentials.code


def test_parallel_step_ups_in_one_session_check_at_most_the_free_tries(
    db: Database, wiring: Wiring, register: Callable[..., UserView], now: datetime
) -> None:
    """Real threads: the reservation is atomic, so 30 at once hash only the backoff's free tries."""
    me = _signed_in(wiring.uow(), register("threads@example.com").email, now)
    start = threading.Barrier(30)

    def attempt(password: str) -> str:
        work = wiring.uow()
        start.wait()
        return _step_up(work, me, password, now)

    with ThreadPoolExecutor(max_workers=30) as pool:
        outcomes = Counter(pool.map(attempt, [WRONG] * 29 + [PASSWORD]))
    free, right = limits.REAUTH_BACKOFF.free, outcomes["ok"]
    # A right password clears the count, so at most the free tries before it and again after it.
    assert outcomes[InvalidCredentials.code] <= free * (1 + right), outcomes
    assert right <= 1 and outcomes[TooManyAttempts.code] >= 30 - free * (1 + right) - right
