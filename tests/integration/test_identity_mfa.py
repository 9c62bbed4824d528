"""TOTP second factor: enrollment, replay refused, recovery codes once, 5 attempts per 5 minutes, step-up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from casino_app.domain.errors import (
    AccountLocked,
    InvalidCode,
    InvalidCredentials,
    PermissionDenied,
    SecondFactorRequired,
    StepUpRequired,
    TooManyAttempts,
)
from casino_app.domain.identity import totp
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import SignedIn, UserView
from casino_app.services.identity.accounts import registration
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.services.identity.credentials import mfa
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions import signin
from casino_app.services.identity.sessions.server import ClientInfo
from tests.support import PASSWORD, count_rows, scalar

HOME = ClientInfo("198.51.100.7", "Firefox")
SHELL = Actor.system("test")


def _code(secret: str, at: datetime) -> str:
    return totp.code_at(secret, totp.time_step(at))


def _enrolled(uow: UnitOfWork, user: UserView, now: datetime) -> tuple[str, tuple[str, ...]]:
    player = Actor.player(user.id)
    enrollment = mfa.begin_enrollment(uow, player, now)
    codes = mfa.confirm_enrollment(uow, player, _code(enrollment.secret, now), now)
    return enrollment.secret, codes


def _me(signed: SignedIn) -> Actor:
    return Actor.player(signed.user.id, signed.session_id)


def _login(uow: UnitOfWork, email: str, at: datetime, code: str = "") -> SignedIn:
    proof = signin.verify_password(uow, email, PASSWORD, at, HOME)
    return signin.sign_in(uow, proof, at, HOME, code=code)


def test_enrollment_shows_a_qr_code_and_needs_a_first_code(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("enrol@example.com")
    player = Actor.player(user.id)
    enrollment = mfa.begin_enrollment(uow, player, now)
    assert enrollment.qr_svg_data_uri.startswith("data:image/svg+xml")
    assert enrollment.uri.startswith("otpauth://totp/") and enrollment.secret in enrollment.uri
    assert "enrol%40example.com" in enrollment.uri or "enrol@example.com" in enrollment.uri
    with pytest.raises(InvalidCode):
        mfa.confirm_enrollment(uow, player, "000000", now)
    assert not mfa.status(uow, player).enabled
    codes = mfa.confirm_enrollment(uow, player, _code(enrollment.secret, now), now)
    assert len(codes) == 10 and mfa.status(uow, player) == mfa.MfaStatus(True, now, 10)
    stored = str(scalar(db, "SELECT totp_secret_enc FROM users WHERE id = :id", id=user.id))
    assert stored.startswith("e1.") and enrollment.secret not in stored
    hashes = [
        str(scalar(db, f"SELECT code_hash FROM mfa_recovery_codes WHERE id = {i}")) for i in range(1, 11)
    ]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert count_rows(db, "audit_log", "action = 'mfa.enroll'") == 1


def test_login_with_2fa_needs_a_code_and_a_replayed_code_is_refused(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("replay@example.com")
    secret, _ = _enrolled(uow, user, now - timedelta(minutes=1))
    with pytest.raises(SecondFactorRequired):
        _login(uow, user.email, now)
    code = _code(secret, now)
    assert _login(uow, user.email, now, code).user.mfa_enabled
    with pytest.raises(InvalidCode):
        _login(uow, user.email, now + timedelta(seconds=5), code)
    next_code = _code(secret, now + timedelta(seconds=30))
    _login(uow, user.email, now + timedelta(seconds=31), next_code)


def test_a_recovery_code_works_once(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("recover@example.com")
    _, codes = _enrolled(uow, user, now)
    assert _login(uow, user.email, now, codes[3].lower().replace("-", " ")).session_token
    with pytest.raises(InvalidCode):
        _login(uow, user.email, now + timedelta(seconds=1), codes[3])
    assert mfa.status(uow, Actor.player(user.id)).recovery_codes_left == 9
    assert count_rows(db, "audit_log", "action = 'mfa.recovery_code_used'") == 1


def test_five_code_attempts_per_five_minutes_even_when_the_sixth_is_right(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("brute@example.com")
    secret, _ = _enrolled(uow, user, now - timedelta(minutes=10))
    proof = signin.verify_password(uow, user.email, PASSWORD, now, HOME)
    for _ in range(5):
        with pytest.raises(InvalidCode):
            signin.sign_in(uow, proof, now, HOME, code="000000")
    with pytest.raises(TooManyAttempts):
        signin.sign_in(uow, proof, now, HOME, code=_code(secret, now))
    later = now + timedelta(minutes=5, seconds=1)
    _login(uow, user.email, later, _code(secret, later))


def test_step_up_is_needed_to_turn_2fa_off_and_lasts_five_minutes(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("stepup@example.com")
    secret, _ = _enrolled(uow, user, now - timedelta(minutes=10))
    signed = _login(uow, user.email, now - timedelta(minutes=6), _code(secret, now - timedelta(minutes=6)))
    with pytest.raises(StepUpRequired):
        mfa.disable(uow, _me(signed), now)
    mfa.step_up(uow, _me(signed), _code(secret, now), now)
    with pytest.raises(StepUpRequired):
        mfa.disable(uow, _me(signed), now + timedelta(minutes=5, seconds=1))
    mfa.disable(uow, _me(signed), now + timedelta(minutes=4))
    assert not mfa.status(uow, _me(signed)).enabled
    assert count_rows(db, "mfa_recovery_codes") == 0
    assert count_rows(db, "audit_log", "action = 'mfa.disable'") == 1


def test_a_player_without_2fa_steps_up_with_the_password(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("pw-step@example.com")
    signed = _login(uow, user.email, now)
    with pytest.raises(StepUpRequired):
        sessions.require_step_up(uow, _me(signed), now)
    with pytest.raises(InvalidCredentials):
        accounts.step_up_with_password(uow, _me(signed), "wrong-password-123", now)
    retry = now + timedelta(seconds=1)  # a wrong password waits out the login backoff (issue 14.3)
    accounts.step_up_with_password(uow, _me(signed), PASSWORD, retry)
    sessions.require_step_up(uow, _me(signed), retry + timedelta(minutes=4))


def test_a_locked_player_unlocks_with_a_valid_totp_code(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("totp-unlock@example.com")
    secret, _ = _enrolled(uow, user, now - timedelta(minutes=10))
    for i in range(3):
        with pytest.raises((InvalidCredentials, AccountLocked)):
            signin.verify_password(
                uow, user.email, "wrong-password-123", now + timedelta(seconds=5 * i), HOME
            )
    with pytest.raises(InvalidCode):
        accounts.unlock_with_code(uow, user.email, "123456", now + timedelta(minutes=1))
    accounts.unlock_with_code(
        uow, user.email, _code(secret, now + timedelta(minutes=1)), now + timedelta(minutes=1)
    )
    later = now + timedelta(minutes=2)
    assert _login(uow, user.email, later, _code(secret, later)).session_token
    assert count_rows(db, "audit_log", "action = 'auth.unlock'") == 1


def test_an_operator_enrolls_totp_at_the_first_sign_in_and_cannot_turn_it_off(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    op = registration.create_operator(uow, SHELL, "newop@example.com", PASSWORD, "finance", now)
    proof = signin.verify_password(uow, op.email, PASSWORD, now, HOME)
    assert proof.must_enroll and not proof.mfa_enabled
    with pytest.raises(SecondFactorRequired):
        signin.sign_in(uow, proof, now, HOME)
    enrollment = signin.begin_operator_enrollment(uow, proof, now)
    signed = signin.sign_in(uow, proof, now, HOME, code=_code(enrollment.secret, now))
    assert len(signed.recovery_codes) == 10 and signed.user.mfa_enabled
    operator = Actor.operator(op.id, "finance", signed.session_id)
    # The player's self-service (turning TOTP off among it) is refused to an operator, and audited.
    with pytest.raises(PermissionDenied):
        mfa.step_up(uow, operator, _code(enrollment.secret, now + timedelta(seconds=30)), now)
    with pytest.raises(PermissionDenied):
        mfa.disable(uow, operator, now)
    assert count_rows(db, "audit_log", "action = 'authz.denied'") == 2
    assert count_rows(db, "audit_log", "action = 'mfa.disable'") == 0
    with pytest.raises(InvalidCredentials):  # the first-sign-in enrollment needs a fresh password
        signin.begin_operator_enrollment(uow, proof, now + timedelta(minutes=6))


def test_recovery_codes_can_be_replaced_after_a_step_up(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("regen@example.com")
    secret, old = _enrolled(uow, user, now - timedelta(minutes=1))
    signed = _login(uow, user.email, now, _code(secret, now))
    new = mfa.regenerate_recovery_codes(uow, _me(signed), now)
    assert set(new).isdisjoint(old) and len(new) == 10
    with pytest.raises(InvalidCode):
        mfa.check_code(uow, user.id, old[0], now)
