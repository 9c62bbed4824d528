"""Login: throttling before hashing, lockout, no user enumeration, rehash, every failure audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from unittest import mock

import pytest

from casino_app.domain.errors import AccountLocked, InvalidCredentials, InvalidToken, TooManyAttempts
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.identity.accounts import registration
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.services.identity.credentials import passwords
from casino_app.services.identity.sessions import signin
from casino_app.services.identity.sessions.server import ClientInfo
from tests.support import PASSWORD, count_rows, mailed_token, scalar

ATTACKER = ClientInfo("203.0.113.66", "curl/8")
HOME = ClientInfo("198.51.100.7", "Firefox")
SHELL = Actor.system("test")


def _fail(uow: UnitOfWork, email: str, at: datetime, client: ClientInfo = HOME) -> type[Exception]:
    try:
        signin.verify_password(uow, email, "wrong-password-123", at, client)
    except (InvalidCredentials, AccountLocked, TooManyAttempts) as err:
        return type(err)
    raise AssertionError("a wrong password signed in")


def _unlock_link(uow: UnitOfWork, email: str) -> str:
    return mailed_token(uow, "unlock", email)


def test_player_locks_after_three_consecutive_failures_gli19_2_5_3(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    register("lock@example.com")
    results = [_fail(uow, "lock@example.com", now + timedelta(seconds=10 * i)) for i in range(3)]
    assert results == [InvalidCredentials, InvalidCredentials, AccountLocked]
    # Locked: even the right password is refused, and nothing is hashed.
    with mock.patch.object(passwords, "verify_and_update") as verify, pytest.raises(AccountLocked):
        signin.verify_password(uow, "lock@example.com", PASSWORD, now + timedelta(days=2), HOME)
    verify.assert_not_called()
    assert count_rows(db, "audit_log", "action = 'auth.lockout'") == 1
    assert count_rows(db, "mail_outbox", "kind = 'unlock'") == 1


def test_a_locked_player_unlocks_by_re_verifying_their_email(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    register("relock@example.com")
    for i in range(3):
        _fail(uow, "relock@example.com", now + timedelta(seconds=10 * i))
    link = _unlock_link(uow, "relock@example.com")
    later = now + timedelta(minutes=10)
    assert "unlocked" in accounts.confirm_email_link(uow, link, later)
    assert (
        signin.verify_password(uow, "relock@example.com", PASSWORD, later, HOME).email == "relock@example.com"
    )
    with pytest.raises(InvalidToken):
        accounts.confirm_email_link(uow, link, later)  # single use


def test_failures_more_than_30_minutes_apart_do_not_lock(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    register("slow@example.com")
    for i in range(4):
        assert _fail(uow, "slow@example.com", now + timedelta(minutes=31 * i)) is InvalidCredentials


def test_a_successful_login_resets_the_consecutive_failures(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    register("reset@example.com")
    _fail(uow, "reset@example.com", now)
    _fail(uow, "reset@example.com", now + timedelta(seconds=5))
    signin.verify_password(uow, "reset@example.com", PASSWORD, now + timedelta(seconds=10), HOME)
    assert _fail(uow, "reset@example.com", now + timedelta(seconds=20)) is InvalidCredentials
    assert _fail(uow, "reset@example.com", now + timedelta(seconds=30)) is InvalidCredentials


def test_operator_locks_after_three_failures_like_any_account_pci_dss_8_3_4(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    """One policy before authentication (issue 14.4): three failures lock, well inside PCI's ten."""
    registration.create_operator(uow, SHELL, "op@example.com", PASSWORD, "support", now)
    results = [_fail(uow, "op@example.com", now + timedelta(minutes=6 * i)) for i in range(3)]
    assert results == [InvalidCredentials, InvalidCredentials, AccountLocked]
    with pytest.raises(AccountLocked):  # until the owner unlocks it, as for players
        signin.verify_password(uow, "op@example.com", PASSWORD, now + timedelta(days=1), HOME)
    assert count_rows(db, "mail_outbox", "kind = 'unlock'") == 1
    accounts.confirm_email_link(uow, _unlock_link(uow, "op@example.com"), now + timedelta(minutes=20))
    proof = signin.verify_password(uow, "op@example.com", PASSWORD, now + timedelta(minutes=21), HOME)
    assert proof.must_enroll


def test_backoff_refuses_a_fast_retry_before_hashing(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    register("fast@example.com")
    _fail(uow, "fast@example.com", now)
    with mock.patch.object(passwords, "verify_and_update") as verify, pytest.raises(TooManyAttempts) as err:
        signin.verify_password(uow, "fast@example.com", PASSWORD, now, HOME)
    verify.assert_not_called()
    assert err.value.retry_after == 1
    signin.verify_password(uow, "fast@example.com", PASSWORD, now + timedelta(seconds=1), HOME)


def test_a_right_password_leaves_no_backoff_for_the_next_login_from_the_same_address(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    """The attempt is counted before hashing and given back when right, failure times included."""
    register("first@example.com")
    register("second@example.com")
    at = now
    for i in range(6):  # an office address with a few typos today, past its free failures
        at += timedelta(minutes=5)
        assert _fail(uow, f"typo{i}@example.com", at, ATTACKER) is InvalidCredentials
    later = at + timedelta(minutes=5)
    signin.verify_password(uow, "first@example.com", PASSWORD, later, ATTACKER)
    signin.verify_password(uow, "second@example.com", PASSWORD, later, ATTACKER)  # no wait
    key = f"ip:{ATTACKER.ip}"
    assert scalar(db, "SELECT failures FROM auth_throttles WHERE key = :k", k=key) == 6  # they still count


def test_one_ip_cannot_lock_out_player_after_player(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    """An attacker retrying as soon as the backoff allows locks few accounts in a day."""
    victims = [register(f"victim{i}@example.com").email for i in range(10)]
    at, locked = now, set()
    end = now + timedelta(hours=24)
    for email in victims:
        for _ in range(3):
            while True:
                outcome = _fail(uow, email, at, ATTACKER)
                if outcome is not TooManyAttempts:
                    break
                at += timedelta(seconds=30)
            if outcome is AccountLocked:
                locked.add(email)
                break
        if at > end:
            break
    assert len(locked) <= 5
    # Every other player still signs in, from their own address.
    for email in victims:
        if email not in locked:
            signin.verify_password(uow, email, PASSWORD, end, HOME)


def test_unknown_and_known_emails_get_the_same_answers_including_lockout(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    register("known@example.com")
    known = [_fail(uow, "known@example.com", now + timedelta(seconds=5 * i), HOME) for i in range(4)]
    unknown = [_fail(uow, "ghost@example.com", now + timedelta(seconds=5 * i), ATTACKER) for i in range(4)]
    assert known == unknown == [InvalidCredentials, InvalidCredentials, AccountLocked, AccountLocked]
    register("other@example.com")
    for email in ("other@example.com", "ghost2@example.com", "not an email"):
        with pytest.raises(InvalidCredentials) as err:
            signin.verify_password(uow, email, "wrong-password-123", now, ClientInfo("192.0.2.1"))
        assert err.value.message == "Wrong email or password."


def test_an_unknown_email_is_verified_against_a_dummy_hash(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    with (
        mock.patch.object(passwords, "burn_time", wraps=passwords.burn_time) as burn,
        pytest.raises(InvalidCredentials),
    ):
        signin.verify_password(uow, "nobody@example.com", PASSWORD, now, HOME)
    burn.assert_called_once()


def test_every_failure_is_audited_although_the_login_fails(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("audit@example.com")
    _fail(uow, "audit@example.com", now)
    _fail(uow, "audit@example.com", now)  # throttled: still audited
    _fail(uow, "nobody@example.com", now + timedelta(seconds=5))
    assert count_rows(db, "audit_log", f"action = 'auth.login_failed' AND subject = 'user:{user.id}'") == 2
    assert count_rows(db, "audit_log", "action = 'auth.login_failed' AND subject LIKE 'email:%'") == 1


def test_login_rehashes_a_password_stored_with_old_parameters(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    from passlib.context import CryptContext

    user = register("rehash@example.com")
    weak = CryptContext(schemes=["argon2"], argon2__type="ID", argon2__memory_cost=1024, argon2__time_cost=1)
    with uow:
        row = uow.session.get(User, user.id)
        assert row is not None
        row.password_hash = weak.hash(PASSWORD)
        uow.session.add(row)
        uow.commit()
    signin.verify_password(uow, "rehash@example.com", PASSWORD, now, HOME)
    with uow.reader() as r:
        row = r.session.get(User, user.id)
        assert row is not None and row.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_sign_in_records_the_previous_login_time_and_ip(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    register("prev@example.com")
    first = signin.sign_in(
        uow, signin.verify_password(uow, "prev@example.com", PASSWORD, now, HOME), now, HOME
    )
    later = now + timedelta(hours=2)
    second = signin.sign_in(
        uow, signin.verify_password(uow, "prev@example.com", PASSWORD, later, ATTACKER), later, ATTACKER
    )
    assert (second.user.previous_login_at, second.user.previous_login_ip) == (now, HOME.ip)
    assert first.session_token != second.session_token
    assert count_rows(db, "audit_log", "action = 'auth.login'") == 2


def test_a_password_proof_expires_after_five_minutes(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    register("slowpoke@example.com")
    proof = signin.verify_password(uow, "slowpoke@example.com", PASSWORD, now, HOME)
    with pytest.raises(InvalidCredentials):
        signin.sign_in(uow, proof, now + timedelta(minutes=6), HOME)
