"""A person's own account: email verification, password reset and change, email change, unlock.

Emailed links are single-use tokens valid for 30 minutes, stored hashed. A password change or
reset ends the other sessions. An email change needs a step-up in the last 5 minutes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from casino_app.domain.errors import (
    EmailTaken,
    InvalidCode,
    InvalidCredentials,
    InvalidInput,
    NotFound,
)
from casino_app.domain.identity import rules
from casino_app.domain.identity import throttle as limits
from casino_app.persistence.tables import User, UserSession
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import AccountView
from casino_app.services.identity import mfa, passwords, sessions, throttle, tokens
from casino_app.services.identity.sessions import ClientInfo
from casino_app.services.identity.signin import actor_of, email_index, find_by_email, open_field, seal_field
from casino_app.services.security import audit


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Unknown user.")
    return user


def _audit(session: Session, user: User, action: str, now: datetime, **details: object) -> None:
    audit.record(
        session, actor=actor_of(user), action=action, subject=f"user:{user.id}", details=details, now=now
    )


def _unlock(session: Session, user: User) -> bool:
    """Clear the login lock and failures of the user's email; True when it was locked."""
    key = throttle.login_key(user.email_index)
    counter = throttle.peek(session, key)
    if counter.failures or counter.locked_at:
        throttle.clear(session, key)
    return counter.locked_at is not None


def account_view(uow: UnitOfWork, user_id: int) -> AccountView:
    """Everything the account page shows, unsealed."""
    with uow.reader() as r:
        user = _user(r.session, user_id)
    status = mfa.status(uow, user_id)
    assert user.id is not None
    return AccountView(
        user.id,
        open_field(user, "email_enc"),
        open_field(user, "full_name_enc"),
        open_field(user, "birth_date_enc"),
        user.country,
        open_field(user, "phone_enc"),
        user.role,
        user.email_verified_at is not None,
        user.created_at,
        user.last_login_at,
        user.last_login_ip,
        user.previous_login_at,
        user.previous_login_ip,
        status.enabled,
        status.recovery_codes_left,
    )


# --- email verification and unlock ----------------------------------------------------------


def resend_verification(uow: UnitOfWork, user_id: int, now: datetime) -> bool:
    """Send a new verification link unless the email is verified or one went out a minute ago."""
    with uow:
        user = _user(uow.session, user_id)
        if user.email_verified_at is not None or tokens.recently_sent(
            uow.session, user_id, "verify_email", now
        ):
            return False
        tokens.revoke_unused(uow.session, user_id, "verify_email", now)
        tokens.send_link(uow.session, user_id, open_field(user, "email_enc"), "verify_email", now)
        uow.commit()
    return True


def confirm_email_link(uow: UnitOfWork, raw_token: str, now: datetime) -> str:
    """Follow a verify-email, unlock or change-email link; returns what it did, for the page.

    Raises:
        InvalidToken: unknown, expired or used. EmailTaken: the new address was taken meanwhile.
    """
    with uow:
        row = tokens.spend(uow.session, raw_token, ("verify_email", "unlock", "change_email"), now)
        user = _user(uow.session, row.user_id)
        if row.purpose == "change_email":
            _apply_email_change(uow.session, user, tokens.payload(row), now)
            outcome = "Your new email address is confirmed."
        else:
            user.email_verified_at = user.email_verified_at or now
            uow.session.add(user)
            unlocked = _unlock(uow.session, user)
            _audit(uow.session, user, "auth.email_verified", now, via=row.purpose)
            if unlocked:
                _audit(uow.session, user, "auth.unlock", now, via="email")
            outcome = "Your email is confirmed" + (" and your account is unlocked." if unlocked else ".")
        try:
            uow.commit()
        except IntegrityError:
            raise EmailTaken("An account with this email already exists.") from None
    return outcome


def unlock_with_code(uow: UnitOfWork, email: str, code: str, now: datetime) -> None:
    """Unlock a locked player account with a valid TOTP or recovery code (GLI-19 2.5.3).

    Raises:
        InvalidCode: wrong code, or no locked account with a second factor at this email.
        TooManyAttempts: the 5-per-5-minutes code limit.
    """
    try:
        normalized = rules.normalize_email(email)
    except InvalidInput:
        raise InvalidCode(mfa.WRONG_CODE) from None
    with uow.reader() as r:
        user = find_by_email(r.session, normalized)
        locked = user is not None and limits.is_locked(
            throttle.peek(r.session, throttle.login_key(user.email_index)), now
        )
    if user is None or user.id is None or user.role != "player" or not locked or user.totp_enabled_at is None:
        raise InvalidCode(mfa.WRONG_CODE)
    mfa.check_code(uow, user.id, code, now)
    with uow:
        user = _user(uow.session, user.id)
        _unlock(uow.session, user)
        _audit(uow.session, user, "auth.unlock", now, via="totp")
        uow.commit()


def resend_unlock_link(uow: UnitOfWork, email: str, now: datetime) -> None:
    """Send the unlock link again to a locked player (at most once a minute); silent otherwise."""
    try:
        normalized = rules.normalize_email(email)
    except InvalidInput:
        return
    with uow:
        user = find_by_email(uow.session, normalized)
        if user is None or user.id is None or user.role != "player":
            return
        counter = throttle.peek(uow.session, throttle.login_key(user.email_index))
        if not limits.is_locked(counter, now) or tokens.recently_sent(uow.session, user.id, "unlock", now):
            return
        tokens.revoke_unused(uow.session, user.id, "unlock", now)
        tokens.send_link(uow.session, user.id, normalized, "unlock", now)
        uow.commit()


# --- passwords -------------------------------------------------------------------------------


def request_password_reset(
    uow: UnitOfWork, email: str, now: datetime, client: ClientInfo | None = None
) -> None:
    """Email a reset link when the account exists; the answer is the same either way."""
    client = (client or ClientInfo()).clipped()
    try:
        normalized = rules.normalize_email(email)
    except InvalidInput:
        return
    with uow:
        user = find_by_email(uow.session, normalized)
        if user is None or user.id is None or user.status != "active":
            return
        if tokens.recently_sent(uow.session, user.id, "reset_password", now):
            return
        tokens.revoke_unused(uow.session, user.id, "reset_password", now)
        tokens.send_link(uow.session, user.id, normalized, "reset_password", now)
        _audit(uow.session, user, "auth.password_reset_requested", now, ip=client.ip)
        uow.commit()


def reset_password(uow: UnitOfWork, raw_token: str, new_password: str, now: datetime) -> str:
    """Set a new password through an emailed link; ends every session and unlocks the account.

    Returns:
        The account's role (the page sends operators to the back-office sign-in).

    Raises:
        InvalidToken: unknown, expired or used link.
        WeakPassword: the policy refused the password (the link stays valid).
    """
    with uow.reader() as r:
        row = tokens.peek(r.session, raw_token, ("reset_password",), now)
        email = open_field(_user(r.session, row.user_id), "email_enc")
    rules.check_password(new_password, email)
    new_hash = passwords.hash_secret(new_password)
    with uow:
        row = tokens.spend(uow.session, raw_token, ("reset_password",), now)
        user = _user(uow.session, row.user_id)
        user.password_hash = new_hash
        user.password_changed_at = now
        user.email_verified_at = user.email_verified_at or now
        uow.session.add(user)
        ended = sessions.revoke_all(uow.session, row.user_id, now, reason="password_reset")
        _unlock(uow.session, user)
        _audit(uow.session, user, "auth.password_reset", now, sessions_ended=ended)
        uow.commit()
        return user.role


def change_password(
    uow: UnitOfWork, user_id: int, session_id: int, current: str, new_password: str, now: datetime
) -> int:
    """Change the password (the current one is required); ends the other sessions, returns how many.

    Raises:
        InvalidCredentials: the current password is wrong. WeakPassword: the policy refused the new one.
    """
    with uow.reader() as r:
        user = _user(r.session, user_id)
    if not passwords.verify(current or "", user.password_hash):
        with uow:
            _audit(uow.session, _user(uow.session, user_id), "auth.password_change_failed", now)
            uow.commit()
        raise InvalidCredentials("Your current password is not right.")
    rules.check_password(new_password, open_field(user, "email_enc"))
    new_hash = passwords.hash_secret(new_password)
    with uow:
        user = _user(uow.session, user_id)
        user.password_hash, user.password_changed_at = new_hash, now
        uow.session.add(user)
        ended = sessions.revoke_all(uow.session, user_id, now, reason="password_change", keep=session_id)
        _audit(uow.session, user, "auth.password_change", now, sessions_ended=ended)
        uow.commit()
    return ended


def step_up_with_password(
    uow: UnitOfWork, user_id: int, session_id: int, password: str, now: datetime
) -> None:
    """The step-up for accounts without TOTP: the password again (with TOTP on, a code is required).

    Raises:
        InvalidCode: TOTP is on. InvalidCredentials: wrong password.
    """
    with uow.reader() as r:
        user = _user(r.session, user_id)
    if user.totp_enabled_at is not None:
        raise InvalidCode("Enter a code from your authenticator app.")
    if not passwords.verify(password or "", user.password_hash):
        with uow:
            _audit(uow.session, _user(uow.session, user_id), "auth.step_up_failed", now)
            uow.commit()
        raise InvalidCredentials("That password is not right.")
    with uow:
        sessions.record_step_up(uow.session, session_id, now)
        uow.commit()


# --- email change ----------------------------------------------------------------------------


def request_email_change(
    uow: UnitOfWork, user_id: int, session_id: int, new_email: str, now: datetime
) -> None:
    """Send a confirmation link to the new address (needs a step-up in the last 5 minutes).

    Raises:
        StepUpRequired. InvalidEmail. EmailTaken: the address belongs to another account.
    """
    sessions.require_step_up(uow, session_id, now)
    email = rules.normalize_email(new_email)
    with uow:
        user = _user(uow.session, user_id)
        if find_by_email(uow.session, email) is not None:
            raise EmailTaken("An account with this email already exists.")
        tokens.revoke_unused(uow.session, user_id, "change_email", now)
        tokens.send_link(uow.session, user_id, email, "change_email", now, payload=email)
        _audit(uow.session, user, "auth.email_change_requested", now)
        uow.commit()


def _apply_email_change(session: Session, user: User, new_email: str, now: datetime) -> None:
    assert user.id is not None
    old_email = open_field(user, "email_enc")
    if find_by_email(session, new_email) is not None:
        raise EmailTaken("An account with this email already exists.")
    user.email_index = email_index(new_email)
    user.email_enc = seal_field(user.id, "email_enc", new_email)
    user.email_verified_at = now
    session.add(user)
    from casino_app.services.identity import mail

    mail.enqueue(session, kind="email_changed", to=old_email, user_id=user.id, now=now, new_email=new_email)
    _audit(session, user, "auth.email_changed", now)


def live_session_count(session: Session, user_id: int, now: datetime) -> int:
    rows = session.exec(
        select(UserSession).where(UserSession.user_id == user_id, col(UserSession.revoked_at).is_(None))
    ).all()
    return sum(1 for row in rows if row.expires_at > now)
