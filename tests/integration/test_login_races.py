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
from casino_app.services.identity import signin
from casino_app.services.identity.sessions import ClientInfo
from tests.support import PASSWORD, count_rows, scalar

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
    from casino_app.services.identity import users

    return users.email_index(wiring.keys, email)


def test_parallel_logins_on_one_account_check_at_most_one_password_per_backoff_step(
    db: Database, wiring: Wiring, register: Callable[..., UserView], now: datetime
) -> None:
    """30 simultaneous logins (one right): each counted before hashing, so the backoff holds."""
    register("target@example.com")
    attempts = [("target@example.com", WRONG)] * (THREADS - 1) + [("target@example.com", PASSWORD)]
    outcomes = _storm(wiring, attempts, now)
    hashed = _checked(db) + outcomes["signed_in"]
    assert hashed == 1, outcomes
    assert outcomes["too_many_attempts"] == THREADS - 1
    assert count_rows(db, "audit_log", "action = 'auth.login_failed'") == _checked(db) + THREADS - 1
    expected = 0 if outcomes["signed_in"] else 1  # a success clears the account's count
    assert _login_failures(db, _index(wiring, "target@example.com")) == expected


def test_parallel_logins_after_the_limit_never_let_the_right_password_in(
    db: Database, wiring: Wiring, register: Callable[..., UserView], now: datetime
) -> None:
    """Two failures, then 30 at once with the right one among them: the lock holds or nothing passed."""
    register("victim@example.com")
    threshold = limits.LOGIN_LOCKOUT.threshold
    for i in range(threshold - 1):
        _storm(wiring, [("victim@example.com", WRONG)], now + timedelta(seconds=10 * i))
    at = now + timedelta(minutes=5)
    attempts = [("victim@example.com", WRONG)] * (THREADS - 1) + [("victim@example.com", PASSWORD)]
    outcomes = _storm(wiring, attempts, at)
    assert _checked(db) + outcomes["signed_in"] <= threshold
    if outcomes["signed_in"] == 0:
        assert outcomes[AccountLocked.code] >= 1
        assert count_rows(db, "audit_log", "action = 'auth.lockout'") == 1
        final = _storm(wiring, [("victim@example.com", PASSWORD)], at + timedelta(hours=1))
        assert final == Counter({AccountLocked.code: 1})


def test_parallel_logins_from_one_address_check_at_most_its_free_failures(
    db: Database, wiring: Wiring, register: Callable[..., UserView], now: datetime
) -> None:
    """One address, 30 accounts at once: the per-IP count is reserved before hashing too."""
    emails = [register(f"spray{i}@example.com").email for i in range(THREADS)]
    outcomes = _storm(wiring, [(email, WRONG) for email in emails], now)
    assert _checked(db) == limits.IP_BACKOFF.free, outcomes
    assert outcomes["too_many_attempts"] == THREADS - limits.IP_BACKOFF.free
    ip_failures = scalar(db, "SELECT failures FROM auth_throttles WHERE key = :k", k=f"ip:{ATTACKER.ip}")
    assert ip_failures == limits.IP_BACKOFF.free
