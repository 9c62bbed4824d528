"""Login for players and operators, the sessions it opens, and logout.

Login has two steps: `verify_password` (throttled before any hashing, no user enumeration)
and `sign_in` (the second factor when required, then a server-side session). Every failure
is audited in its own transaction, so it is kept although the login fails. These are public
flows: there is no signed-in actor yet, only the `ClientInfo` of the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from casino_app.domain.errors import (
    AccountLocked,
    DomainError,
    InvalidCredentials,
    InvalidInput,
    PermissionDenied,
    PlayBlocked,
    SecondFactorRequired,
    TooManyAttempts,
)
from casino_app.domain.identity import demo, rules
from casino_app.domain.identity import throttle as limits
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import Role, SessionKind, UserStatus
from casino_app.persistence.tables import User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.compliance.rg import checks as rg_checks
from casino_app.services.dto import PasswordProof, SignedIn, UserView
from casino_app.services.identity.accounts import tokens, users
from casino_app.services.identity.credentials import mfa, passwords, throttle
from casino_app.services.identity.sessions import api_tokens
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions.server import ClientInfo
from casino_app.services.security import audit

WRONG_LOGIN = "Wrong email or password."
PROOF_LIFETIME = timedelta(minutes=5)
# One message for every account: the lockout must not tell players, operators and unknown emails apart.
LOCKED = (
    "Too many failed sign-in attempts: this account is locked. Unlock it with the link we emailed "
    "to its address, or with a code from your authenticator app."
)


# --- login, step one: the password ----------------------------------------------------------


@dataclass(frozen=True)
class _Attempt:
    ip_key: str
    login_key: str
    subject: str
    client: ClientInfo
    user: User | None


def _start_attempt(uow: UnitOfWork, email: str, client: ClientInfo) -> tuple[_Attempt, str]:
    try:
        normalized = rules.normalize_email(email)
    except InvalidInput:
        normalized = ""
    index = users.email_index(uow.context.keys, normalized) if normalized else "invalid"
    with uow.reader() as r:
        user = users.find_by_email(r, normalized) if normalized else None
    subject = f"user:{user.id}" if user is not None else f"email:{index[:16]}"
    attempt = _Attempt(throttle.ip_key(client.ip), throttle.login_key(index), subject, client, user)
    return attempt, normalized


def verify_password(
    uow: UnitOfWork, email: str, password: str, now: datetime, client: ClientInfo | None = None
) -> PasswordProof:
    """Step one of a login: reserve the attempt, then argon2; the same answer for unknown emails.

    The attempt is counted (per IP and per account) in one transaction before any hashing, so
    parallel attempts each count; a right password gives its reservation back.

    Raises:
        TooManyAttempts: this IP or account must wait (exponential backoff); nothing was hashed.
        AccountLocked: the account is locked (also said of unknown emails, so it reveals nothing).
        InvalidCredentials: wrong email or password (a password over the maximum length is wrong;
            so is a published demo login outside demo mode).
    """
    client = (client or ClientInfo()).clipped()
    attempt, normalized = _start_attempt(uow, email, client)
    ip_before = _reserve_attempt(uow, attempt, now)
    user = attempt.user
    if user is None or user.status != UserStatus.ACTIVE or not _may_sign_in(uow, normalized):
        passwords.burn_time(password or "")
        ok, new_hash = False, None
    else:
        ok, new_hash = passwords.verify_and_update(password or "", user.password_hash)
    if not ok:
        if _wrong_password(uow, attempt, now):
            raise AccountLocked(LOCKED)
        raise InvalidCredentials(WRONG_LOGIN)
    assert user is not None and user.id is not None
    _password_ok(uow, attempt, user.id, new_hash, ip_before, now)
    enrolled = user.totp_enabled_at is not None
    return PasswordProof(
        user.id, user.role, normalized, enrolled, user.role != Role.PLAYER and not enrolled, now
    )


def _may_sign_in(uow: UnitOfWork, normalized_email: str) -> bool:
    """The published demo logins work only in demo mode (their passwords are in the README)."""
    return demo.signs_in(normalized_email, demo_mode=uow.context.settings.demo_mode)


def _refusal(ip: limits.Counter, login: limits.Counter, now: datetime) -> DomainError | None:
    """Why an attempt may not be hashed now (None: it may), from the locked counters."""
    if limits.is_locked(login, now):
        return AccountLocked(LOCKED)
    wait = max(
        limits.wait_seconds(ip, limits.IP_BACKOFF, now),
        limits.wait_seconds(login, limits.LOGIN_BACKOFF, now),
        # The last attempts before the lock are still being checked: wait for their outcome.
        1 if limits.at_threshold(login, limits.LOGIN_LOCKOUT, now) else 0,
    )
    if wait:
        return TooManyAttempts(f"Too many attempts. {limits.retry_text(wait)}", retry_after=wait)
    return None


def _reserve_attempt(uow: UnitOfWork, attempt: _Attempt, now: datetime) -> limits.Counter:
    """Count the attempt per IP and per account before hashing, or refuse it (audited), atomically.

    Returns:
        The IP's counter as the reservation found it (to give the attempt back if it is right).
    """
    with uow:
        ip = limits.current(throttle.lock(uow.session, attempt.ip_key), limits.IP_BACKOFF.window, now)
        login = throttle.lock(uow.session, attempt.login_key)
        refusal = _refusal(ip, login, now)
        if refusal is None:
            throttle.store(uow.session, attempt.ip_key, limits.add_failure(ip, limits.IP_BACKOFF.window, now))
            reserved = limits.add_failure(login, limits.LOGIN_LOCKOUT.window, now)
            throttle.store(uow.session, attempt.login_key, reserved)
        else:
            reason = "locked" if isinstance(refusal, AccountLocked) else "throttled"
            _audit_failure(uow.session, attempt, reason, now)
        uow.commit()
    if refusal is not None:
        raise refusal
    return ip


def _password_ok(
    uow: UnitOfWork,
    attempt: _Attempt,
    user_id: int,
    new_hash: str | None,
    ip_before: limits.Counter,
    reserved_at: datetime,
) -> None:
    """Clear the account's failures, give the IP its reservation back, store a rehash.

    The password proves the person, so the count of passwords re-entered in a session
    (`reauth`) starts over too.
    """
    with uow:
        ip = throttle.lock(uow.session, attempt.ip_key)  # rows in the reservation's order
        throttle.store(uow.session, attempt.ip_key, limits.release(ip, ip_before, reserved_at))
        throttle.clear(uow.session, attempt.login_key)
        throttle.clear(uow.session, throttle.reauth_key(user_id))
        if new_hash:
            user = users.load(uow.session, user_id)
            user.password_hash = new_hash
            uow.session.add(user)
        uow.commit()


def _wrong_password(uow: UnitOfWork, attempt: _Attempt, now: datetime) -> bool:
    """Audit a wrong password (already counted) and lock when it was the last; True when it locked."""
    with uow:
        # The throttle row before the audit chain's lock, in the order the reservation takes them.
        locked = _lock_if_due(uow.session, attempt, now)
        _audit_failure(uow.session, attempt, "wrong_password", now)
        if locked is not None:
            _locked_out(uow, attempt, locked, now)
        uow.commit()
    return locked is not None


def _audit_failure(session: Session, attempt: _Attempt, reason: str, now: datetime) -> None:
    audit.record(
        session,
        actor=Actor.anonymous().audit_name,
        action="auth.login_failed",
        subject=attempt.subject,
        details={"reason": reason, "ip": attempt.client.ip, "user_agent": attempt.client.user_agent},
        now=now,
    )


def _lock_if_due(session: Session, attempt: _Attempt, now: datetime) -> limits.Counter | None:
    """Lock the account when its failures reached the threshold; the new counter, or None."""
    before = throttle.lock(session, attempt.login_key)
    after = limits.lock_if_due(before, limits.LOGIN_LOCKOUT, now)
    if after.locked_at is None or before.locked_at == after.locked_at:
        return None
    throttle.store(session, attempt.login_key, after)
    return after


def _locked_out(uow: UnitOfWork, attempt: _Attempt, counter: limits.Counter, now: datetime) -> None:
    """Audit a new lockout and email the owner (any role) the link that unlocks it."""
    audit.record(
        uow.session,
        actor=Actor.system().audit_name,
        action="auth.lockout",
        subject=attempt.subject,
        details={"failures": counter.failures, "ip": attempt.client.ip, "until": counter.locked_until},
        now=now,
    )
    user = attempt.user
    if user is not None and user.id is not None:
        tokens.send_link(uow, user.id, users.email_of(uow.context.keys, user), "unlock", now)


# --- login, step two: the second factor and the session ---------------------------------------


def _check_proof(proof: PasswordProof, now: datetime) -> None:
    if now - proof.verified_at > PROOF_LIFETIME or now < proof.verified_at:
        raise InvalidCredentials("Your sign-in took too long. Please start again.")


def begin_operator_enrollment(uow: UnitOfWork, proof: PasswordProof, now: datetime) -> mfa.Enrollment:
    """At an operator's first sign-in, the TOTP secret to enroll (confirmed by `sign_in`'s code).

    Raises:
        InvalidCredentials: the proof is older than 5 minutes. InvalidInput: TOTP is already on.
    """
    _check_proof(proof, now)
    if not proof.must_enroll:
        raise InvalidInput("Two-step verification is already on.")
    return mfa.new_pending_secret(uow, proof.user_id, now)


def sign_in(
    uow: UnitOfWork,
    proof: PasswordProof,
    now: datetime,
    client: ClientInfo | None = None,
    *,
    code: str = "",
) -> SignedIn:
    """Complete a browser login: the second factor when needed, the login record, a session.

    An operator without TOTP confirms their enrollment here with the first code.

    Raises:
        InvalidCredentials: the proof is older than 5 minutes.
        SecondFactorRequired: a code is needed. InvalidCode, TooManyAttempts: from the code check.
        TimedOut, SelfExcluded: a player on a time-out or exclusion (with the dates and helplines).
    """
    client = (client or ClientInfo()).clipped()
    recovery = _second_factor(uow, proof, code, now)
    with uow:
        user = _active_user(uow.session, proof.user_id)
        _admit(uow, user, client, SessionKind.BROWSER, now)
        _record_login(uow.session, user, client, now)
        token, session_id = sessions.open_browser_session(
            uow, proof.user_id, client, now, step_up=bool(code.strip())
        )
        _audit_login(uow.session, user, client, session_id, SessionKind.BROWSER, now)
        uow.commit()
        return SignedIn(users.user_view(uow.context.keys, user), session_id, token, recovery)


def sign_in_api(
    uow: UnitOfWork, proof: PasswordProof, now: datetime, client: ClientInfo | None = None, *, code: str = ""
) -> api_tokens.TokenPair:
    """Complete a mobile login: players only; returns the first access and refresh token.

    Raises:
        PermissionDenied: operators use the back office. Otherwise as `sign_in`.
    """
    if proof.role != Role.PLAYER:
        raise PermissionDenied("Back-office accounts sign in at the back office.")
    client = (client or ClientInfo()).clipped()
    _second_factor(uow, proof, code, now)
    with uow:
        user = _active_user(uow.session, proof.user_id)
        _admit(uow, user, client, SessionKind.API, now)
        _record_login(uow.session, user, client, now)
        pair = api_tokens.open_api_session(uow, proof.user_id, client, now, step_up=bool(code.strip()))
        _audit_login(uow.session, user, client, pair.session_id, SessionKind.API, now)
        uow.commit()
        return pair


def _second_factor(uow: UnitOfWork, proof: PasswordProof, code: str, now: datetime) -> tuple[str, ...]:
    _check_proof(proof, now)
    if not (proof.mfa_enabled or proof.must_enroll):
        return ()
    if not code.strip():
        raise SecondFactorRequired("Enter the 6-digit code from your authenticator app.")
    if proof.must_enroll:
        return mfa.confirm_first_code(uow, proof.user_id, code, now)
    mfa.check_code(uow, proof.user_id, code, now)
    return ()


def _active_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.status != UserStatus.ACTIVE:
        raise InvalidCredentials(WRONG_LOGIN)
    return user


def _record_login(session: Session, user: User, client: ClientInfo, now: datetime) -> None:
    user.previous_login_at, user.previous_login_ip = user.last_login_at, user.last_login_ip
    user.last_login_at, user.last_login_ip = now, client.ip
    session.add(user)


def _admit(uow: UnitOfWork, user: User, client: ClientInfo, kind: str, now: datetime) -> None:
    """Responsible gaming's say on a sign-in (blocks, the play session); a refusal is audited."""
    try:
        rg_checks.admit_sign_in(uow.session, user, now, uow.context.settings)
    except PlayBlocked as refused:
        uow.rollback()  # nothing of the refused login stays, only the record that it was refused
        audit.record(
            uow.session,
            actor=users.audit_name(user),
            action="auth.login_refused",
            subject=f"user:{user.id}",
            details={"ip": client.ip, "kind": kind, "reason": refused.code},
            now=now,
        )
        uow.commit()
        raise


def _audit_login(
    session: Session, user: User, client: ClientInfo, session_id: int, kind: str, now: datetime
) -> None:
    audit.record(
        session,
        actor=users.audit_name(user),
        action="auth.login",
        subject=f"user:{user.id}",
        details={"ip": client.ip, "session_id": session_id, "kind": kind},
        now=now,
    )


def authenticate(
    uow: UnitOfWork, email: str, password: str, now: datetime, client: ClientInfo | None = None
) -> UserView:
    """Password-only login in one call (accounts without a second factor); opens a session.

    Raises:
        SecondFactorRequired: the account needs a code: use `verify_password` and `sign_in`.
    """
    proof = verify_password(uow, email, password, now, client)
    return sign_in(uow, proof, now, client).user


def sign_out(uow: UnitOfWork, actor: Actor, now: datetime) -> None:
    """End the session the actor is signed in with (logout; any signed-in person, their own only).

    Raises:
        PermissionDenied: nobody is signed in. NotFound: the session is not the actor's.
    """
    if actor.session_id is None:
        actor.person_id()
        return
    sessions.end_session(uow, actor, actor.session_id, now, reason="logout")
