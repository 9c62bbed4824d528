"""The password re-entered while signed in (step-up, password change), limited like a login.

Each attempt is reserved on the account's "reauth:<user id>" counter before argon2, in one
transaction, so parallel attempts each count; attempts wait out a backoff; a right
password clears the count (so does a new sign-in with the password). The fifth wrong one
within 30 minutes ends the session it came from, so a stolen session cannot be used to guess
the password. Every wrong or refused attempt is audited under the caller's action.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from casino_app.domain.errors import DomainError, InvalidCredentials, SessionExpired, TooManyAttempts
from casino_app.domain.identity import throttle as limits
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import User, UserSession
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.identity.accounts import users
from casino_app.services.identity.credentials import passwords, throttle
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.security import audit

_SESSIONS = UserSession.__table__  # type: ignore[attr-defined]
SIGNED_OUT = "Too many wrong passwords: you have been signed out. Sign in again."
END_REASON = "reauth_failures"


def confirm_password(
    uow: UnitOfWork, actor: Actor, password: str, wrong: str, *, failed_action: str, now: datetime
) -> None:
    """Check the actor's password again, inside their own live session.

    Args:
        wrong: the message of a wrong password.
        failed_action: the audit action of a failure ("auth.step_up_failed" ...).

    Raises:
        PermissionDenied: the session is not the actor's. SessionExpired: it was revoked, or
            this attempt ended it. TooManyAttempts: inside the backoff (nothing was hashed).
        InvalidCredentials: the password is wrong.
    """
    user = _reserve(uow, actor, failed_action, now)
    if passwords.verify(password or "", user.password_hash):
        with uow:
            throttle.clear(uow.session, throttle.reauth_key(actor.person_id()))
            uow.commit()
        return
    with uow:
        counter = throttle.lock(uow.session, throttle.reauth_key(actor.person_id()))
        _audit(uow.session, actor, failed_action, now, reason="wrong_password")
        ended = _end_session_if_spent(uow.session, actor, counter, now)
        uow.commit()
    raise SessionExpired(SIGNED_OUT) if ended else InvalidCredentials(wrong)


def _reserve(uow: UnitOfWork, actor: Actor, failed_action: str, now: datetime) -> User:
    """Count the attempt before hashing, or refuse it (audited); the user to check against."""
    key = throttle.reauth_key(actor.person_id())
    with uow:
        sessions.own_session(uow.session, actor)
        user = users.load(uow.session, actor.person_id())
        counter = throttle.lock(uow.session, key)
        refusal = _refusal(counter, now)
        if refusal is None:
            throttle.store(uow.session, key, limits.add_failure(counter, limits.REAUTH_LIMIT.window, now))
        else:
            _audit(uow.session, actor, failed_action, now, reason=refusal.code)
            _end_session_if_spent(uow.session, actor, counter, now)
        uow.commit()
    if refusal is not None:
        raise refusal
    return user


def _refusal(counter: limits.Counter, now: datetime) -> DomainError | None:
    if limits.attempts_left(counter, limits.REAUTH_LIMIT, now) == 0:
        return SessionExpired(SIGNED_OUT)
    wait = limits.wait_seconds(counter, limits.REAUTH_BACKOFF, now)
    if wait:
        return TooManyAttempts(f"Too many attempts. {limits.retry_text(wait)}", retry_after=wait)
    return None


def _end_session_if_spent(session: Session, actor: Actor, counter: limits.Counter, now: datetime) -> bool:
    """End the actor's session when the attempts of the window are used up; True when it did."""
    if limits.attempts_left(counter, limits.REAUTH_LIMIT, now) > 0:
        return False
    sessions.revoke_where(session, _SESSIONS.c.id == actor.session_id, now, END_REASON)
    audit.record(
        session,
        actor=actor.audit_name,
        action="auth.session_revoke",
        subject=f"user:{actor.person_id()}",
        details={"session_id": actor.session_id, "reason": END_REASON},
        now=now,
    )
    return True


def _audit(session: Session, actor: Actor, action: str, now: datetime, *, reason: str) -> None:
    audit.record(
        session,
        actor=actor.audit_name,
        action=action,
        subject=f"user:{actor.person_id()}",
        details={"reason": reason},
        now=now,
    )
