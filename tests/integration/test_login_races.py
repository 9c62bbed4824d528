"""Lockout and throttling hold in parallel: each attempt is reserved before its hash (issue 14.2).

Real threads against the `db` fixture (SQLite, and PostgreSQL when configured). An attempt
that reaches argon2 is audited as `wrong_password` or signs in; a refused one is audited as
`locked` or `throttled` and is never hashed, so the audit log counts the passwords checked.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from casino_app.bootstrap import Wiring
from casino_app.domain.errors import AccountLocked, DomainError
from casino_app.domain.identity import throttle as limits
from casino_app.persistence.db import Database
from casino_app.services.dto import UserView
from casino_app.services.identity.accounts import registration
from casino_app.services.identity.sessions import signin
from casino_app.services.identity.sessions.server import ClientInfo
from tests.support import PASSWORD, count_rows, scalar
from tests.support import registration as player_form

THREADS = 30
ATTACKER = ClientInfo("203.0.113.9", "botnet/1")
WRONG = "wrong-password-123"


def _storm(wiring: Wiring, attempts: list[tuple[str, str]], at: datetime) -> Counter[str]:
    """Run every (email, password) login at once; the outcome names per attempt."""
    start = threading.Barrier(len(attempts))

    def attempt(email: str, password: str) -> str:
        uow = wiring.uow()
        start.wait()
        try:
            signin.verify_password(uow, email, password, at, ATTACKER)
        except DomainError as err:
            return err.code
        return "signed_in"

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return Counter(pool.map(lambda a: attempt(*a), attempts))


def _checked(db: Database) -> int:
    """Passwords that reached argon2 and were wrong (each is audited once)."""
    return count_rows(db, "audit_log", "action = 'auth.login_failed' AND details LIKE '%wrong_password%'")


def _login_failures(db: Database, email_index: str) -> int:
    return int(scalar(db, "SELECT failures FROM auth_throttles WHERE key = :k", k=f"login:{email_index}"))


def _index(wiring: Wiring, email: str) -> str:
    from casino_app.services.identity.accounts import users

    return users.email_index(wiring.keys, email)


def test_parallel_logins_on_one_account_check_one_password_and_count_it(
    db: Database, wiring: Wiring, register: Callable[..., UserView], now: datetime
) -> None:
    """30 simultaneous wrong logins: each is counted before hashing, so the backoff holds."""
    register("target@example.com")
    outcomes = _storm(wiring, [("target@example.com", WRONG)] * THREADS, now)
    assert _checked(db) == 1, outcomes
    assert outcomes == Counter({"invalid_credentials": 1, "too_many_attempts": THREADS - 1})
    assert count_rows(db, "audit_log", "action = 'auth.login_failed'") == THREADS  # refusals too
    assert _login_failures(db, _index(wiring, "target@example.com")) == 1
    ip_failures = scalar(db, "SELECT failures FROM auth_throttles WHERE key = :k", k=f"ip:{ATTACKER.ip}")
    assert ip_failures == 1


def test_parallel_logins_at_the_limit_lock_and_never_let_the_right_password_in_after(
    db: Database, wiring: Wiring, register: Callable[..., UserView], now: datetime
) -> None:
    """Two failures, then 30 wrong at once: one is checked, it locks, the right password is refused."""
    register("victim@example.com")
    threshold = limits.LOGIN_LOCKOUT.threshold
    for i in range(threshold - 1):
        _storm(wiring, [("victim@example.com", WRONG)], now + timedelta(seconds=10 * i))
    at = now + timedelta(minutes=5)
    outcomes = _storm(wiring, [("victim@example.com", WRONG)] * THREADS, at)
    assert _checked(db) == threshold, outcomes
    assert count_rows(db, "audit_log", "action = 'auth.lockout'") == 1
    final = _storm(wiring, [("victim@example.com", PASSWORD)], at + timedelta(hours=1))
    assert final == Counter({AccountLocked.code: 1})


def test_a_right_password_among_parallel_wrong_ones_at_the_limit_gets_the_last_check_or_none(
    db: Database, wiring: Wiring, register: Callable[..., UserView], now: datetime
) -> None:
    """The attempt admitted at the limit decides: the right one signs in, or a wrong one locks."""
    register("mixed@example.com")
    threshold = limits.LOGIN_LOCKOUT.threshold
    for i in range(threshold - 1):
        _storm(wiring, [("mixed@example.com", WRONG)], now + timedelta(seconds=10 * i))
    at = now + timedelta(minutes=5)
    attempts = [("mixed@example.com", WRONG)] * (THREADS - 1) + [("mixed@example.com", PASSWORD)]
    outcomes = _storm(wiring, attempts, at)
    in_storm = _checked(db) - (threshold - 1)
    if outcomes["signed_in"]:
        # A success starts the count over: at most the backoff's free tries after it.
        assert in_storm <= limits.LOGIN_BACKOFF.free, outcomes
        assert count_rows(db, "audit_log", "action = 'auth.lockout'") == 0
    else:
        assert in_storm == 1, outcomes
        assert count_rows(db, "audit_log", "action = 'auth.lockout'") == 1
        final = _storm(wiring, [("mixed@example.com", PASSWORD)], at + timedelta(hours=1))
        assert final == Counter({AccountLocked.code: 1})


def test_parallel_logins_from_one_address_check_at_most_its_free_failures(
    db: Database, wiring: Wiring, register: Callable[..., UserView], now: datetime
) -> None:
    """One address, 30 accounts at once: the per-IP count is reserved before hashing too."""
    emails = [f"spray{i}@example.com" for i in range(THREADS)]
    for i, email in enumerate(emails):  # each from its own address (registrations are limited per IP)
        registration.register_player(wiring.uow(), player_form(email), now, ClientInfo(f"198.51.100.{i}"))
    outcomes = _storm(wiring, [(email, WRONG) for email in emails], now)
    assert _checked(db) == limits.IP_BACKOFF.free, outcomes
    assert outcomes["too_many_attempts"] == THREADS - limits.IP_BACKOFF.free
    ip_failures = scalar(db, "SELECT failures FROM auth_throttles WHERE key = :k", k=f"ip:{ATTACKER.ip}")
    assert ip_failures == limits.IP_BACKOFF.free
