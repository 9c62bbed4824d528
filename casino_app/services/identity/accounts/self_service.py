"""A person's own account: email verification, password reset and change, email change, unlock.

Emailed links are single-use tokens valid for 30 minutes, stored hashed. A password change or
reset ends the other sessions. An email change needs a step-up in the last 5 minutes.
The signed-in player's services take the `Actor` (`player.account`); the emailed-link and
unlock flows are public and take no actor.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from casino_app.domain.errors import (
    EmailTaken,
    InvalidCode,
    InvalidInput,
    TooManyAttempts,
)
from casino_app.domain.identity import rules
from casino_app.domain.identity import throttle as limits
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import UserStatus
from casino_app.persistence.tables import User, UserSession
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.dto import AccountView
from casino_app.services.identity.accounts import mail, tokens, users
from casino_app.services.identity.credentials import mfa, passwords, reauth, throttle
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions.server import ClientInfo
from casino_app.services.security import audit, crypto


def _audit(session: Session, user: User, action: str, now: datetime, **details: object) -> None:
    audit.record(
        session,
        actor=users.audit_name(user),
        action=action,
        subject=f"user:{user.id}",
        details=details,
        now=now,
    )


def _unlock(session: Session, user: User) -> bool:
    """Clear the login lock and failures of the user's email; True when it was locked."""
    key = throttle.login_key(user.email_index)
    counter = throttle.peek(session, key)
    if counter.failures or counter.locked_at:
        throttle.clear(session, key)
    return counter.locked_at is not None


@authz.guard("player.account")
def account_view(uow: UnitOfWork, actor: Actor) -> AccountView:
    """Everything the player's account page shows, unsealed."""
    keys = uow.context.keys
    with uow.reader() as r:
        user = users.load(r.session, actor.player_id())
        factor = mfa.status_of(r.session, actor.player_id())
    assert user.id is not None
    return AccountView(
        user.id,
        users.email_of(keys, user),
        crypto.open_column(keys, user, "full_name_enc"),
        crypto.open_column(keys, user, "birth_date_enc"),
        user.country,
        crypto.open_column(keys, user, "phone_enc"),
        user.role,
        user.email_verified_at is not None,
        user.created_at,
        user.last_login_at,
        user.last_login_ip,
        user.previous_login_at,
        user.previous_login_ip,
        factor.enabled,
        factor.recovery_codes_left,
    )


# --- email verification and unlock ----------------------------------------------------------


@authz.guard("player.account")
def resend_verification(uow: UnitOfWork, actor: Actor, now: datetime) -> bool:
    """Send a new verification link unless the email is verified or one went out a minute ago."""
    user_id = actor.player_id()
    with uow:
        user = users.load(uow.session, user_id)
        if user.email_verified_at is not None or tokens.recently_sent(
            uow.session, user_id, "verify_email", now
        ):
            return False
        tokens.revoke_unused(uow.session, user_id, "verify_email", now)
        tokens.send_link(uow, user_id, users.email_of(uow.context.keys, user), "verify_email", now)
        uow.commit()
    return True


def confirm_email_link(uow: UnitOfWork, raw_token: str, now: datetime) -> str:
    """Follow a verify-email, unlock or change-email link; returns what it did, for the page.

    Raises:
        InvalidToken: unknown, expired or used. EmailTaken: the new address was taken meanwhile.
    """
    with uow:
        row = tokens.spend(uow.session, raw_token, ("verify_email", "unlock", "change_email"), now)
        user = users.load(uow.session, row.user_id)
        if row.purpose == "change_email":
            _apply_email_change(uow, user, tokens.payload(uow.context.keys, row), now)
            outcome = "Your new email address is confirmed."
        else:
            outcome = _confirm_email(uow.session, user, row.purpose, now)
        try:
            uow.commit()
        except IntegrityError:
            raise EmailTaken(users.EMAIL_TAKEN) from None
    return outcome


def _confirm_email(session: Session, user: User, via: str, now: datetime) -> str:
    user.email_verified_at = user.email_verified_at or now
    session.add(user)
    unlocked = _unlock(session, user)
    _audit(session, user, "auth.email_verified", now, via=via)
    if unlocked:
        _audit(session, user, "auth.unlock", now, via="email")
    return "Your email is confirmed" + (" and your account is unlocked." if unlocked else ".")


def _locked_account(uow: UnitOfWork, email: str, now: datetime) -> User | None:
    """The locked account at `email` (any role: one lockout policy), in the entered unit of work."""
    try:
        normalized = rules.normalize_email(email)
    except InvalidInput:
        return None
    user = users.find_by_email(uow, normalized)
    if user is None or user.id is None:
        return None
    locked = limits.is_locked(throttle.peek(uow.session, throttle.login_key(user.email_index)), now)
    return user if locked else None


def unlock_with_code(uow: UnitOfWork, email: str, code: str, now: datetime) -> None:
    """Unlock a locked account with a valid TOTP or recovery code (GLI-19 2.5.3).

    Raises:
        InvalidCode: wrong code, or no locked account with a second factor at this email.
        TooManyAttempts: the 5-per-5-minutes code limit.
    """
    with uow.reader() as r:
        user = _locked_account(r, email, now)
    if user is None or user.id is None or user.totp_enabled_at is None:
        raise InvalidCode(mfa.WRONG_CODE)
    mfa.check_code(uow, user.id, code, now)
    with uow:
        user = users.load(uow.session, user.id)
        _unlock(uow.session, user)
        _audit(uow.session, user, "auth.unlock", now, via="totp")
        uow.commit()


def resend_unlock_link(uow: UnitOfWork, email: str, now: datetime) -> None:
    """Send the unlock link again to a locked account (at most once a minute); silent otherwise."""
    with uow:
        user = _locked_account(uow, email, now)
        if user is None or user.id is None or tokens.recently_sent(uow.session, user.id, "unlock", now):
            return
        tokens.revoke_unused(uow.session, user.id, "unlock", now)
        tokens.send_link(uow, user.id, rules.normalize_email(email), "unlock", now)
        uow.commit()


# --- passwords -------------------------------------------------------------------------------


def request_password_reset(
    uow: UnitOfWork, email: str, now: datetime, client: ClientInfo | None = None
) -> None:
    """Email a reset link to an active account; the answer and the work are the same for any address.

    Known and unknown addresses take one code path: the same lookups and counters, a link
    token made and hashed, one mail (the link, or a notice that no account uses the address),
    one audit record (subject: the account, or the address's blind index), one commit. Once a
    minute per address; at most `RESET_LIMIT` requests per client address.

    Raises:
        TooManyAttempts: too many requests from this client address.
    """
    client = (client or ClientInfo()).clipped()
    try:
        normalized = rules.normalize_email(email)
    except InvalidInput:
        return
    index = users.email_index(uow.context.keys, normalized)
    with uow:
        _count_reset_request(uow.session, client, now)
        send = _first_this_minute(uow.session, throttle.reset_key(index), now)
        owner = _active_owner(uow, normalized)
        raw = tokens.new_link_token()  # for every address: the same work whether it exists or not
        if send:
            _send_reset(uow, owner, normalized, raw, now)
        audit.record(
            uow.session,
            actor=Actor.anonymous().audit_name,
            action="auth.password_reset_requested",
            subject=f"user:{owner.id}" if owner is not None else f"email:{index[:16]}",
            details={"ip": client.ip, "sent": send},
            now=now,
        )
        uow.commit()


def _count_reset_request(session: Session, client: ClientInfo, now: datetime) -> None:
    key = throttle.reset_ip_key(client.ip)
    counter = throttle.lock(session, key)
    wait = limits.limit_wait(counter, limits.RESET_LIMIT, now)
    if wait:
        raise TooManyAttempts(f"Too many reset requests. {limits.retry_text(wait)}", retry_after=wait)
    throttle.store(session, key, limits.add_failure(counter, limits.RESET_LIMIT.window, now))


def _first_this_minute(session: Session, key: str, now: datetime) -> bool:
    """True (and noted) unless a reset for this address went out in the last minute."""
    counter = throttle.lock(session, key)
    if counter.last_failure_at is not None and now - counter.last_failure_at < tokens.RESEND_AFTER:
        return False
    throttle.store(session, key, limits.Counter(1, now, now))
    return True


def _active_owner(uow: UnitOfWork, normalized_email: str) -> User | None:
    user = users.find_by_email(uow, normalized_email)
    return user if user is not None and user.id is not None and user.status == UserStatus.ACTIVE else None


def _send_reset(uow: UnitOfWork, owner: User | None, email: str, raw: str, now: datetime) -> None:
    """The link to an account's owner; to an address without one, the notice that says so.

    Both revoke the earlier links (none for an unknown address) and queue one mail; only the
    owner's token row is extra (one insert).
    """
    owner_id = owner.id if owner is not None and owner.id is not None else 0
    tokens.revoke_unused(uow.session, owner_id, "reset_password", now)
    if not owner_id:
        signup = uow.context.settings.identity.public_url.rstrip("/") + "/register"
        mail.enqueue(uow, kind="reset_unknown", to=email, user_id=None, now=now, link=signup)
        return
    tokens.send_link(uow, owner_id, email, "reset_password", now, raw=raw)


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
        email = users.email_of(uow.context.keys, users.load(r.session, row.user_id))
    rules.check_password(new_password, email)
    new_hash = passwords.hash_secret(new_password)
    with uow:
        row = tokens.spend(uow.session, raw_token, ("reset_password",), now)
        user = users.load(uow.session, row.user_id)
        user.password_hash = new_hash
        user.password_changed_at = now
        user.email_verified_at = user.email_verified_at or now
        uow.session.add(user)
        ended = sessions.revoke_all(uow.session, row.user_id, now, reason="password_reset")
        _unlock(uow.session, user)
        _audit(uow.session, user, "auth.password_reset", now, sessions_ended=ended)
        uow.commit()
        return user.role


@authz.guard("player.account")
def change_password(uow: UnitOfWork, actor: Actor, current: str, new_password: str, now: datetime) -> int:
    """Change the password (the current one is required); ends the other sessions, returns how many.

    Raises:
        PermissionDenied: the session is not the actor's.
        InvalidCredentials: the current password is wrong. WeakPassword: the policy refused the new one.
        TooManyAttempts, SessionExpired: the re-entered password's limits (`reauth`).
    """
    with uow.reader() as r:
        session_id = sessions.own_session(r.session, actor).id
        user = users.load(r.session, actor.player_id())
    reauth.confirm_password(
        uow,
        actor,
        current,
        "Your current password is not right.",
        failed_action="auth.password_change_failed",
        now=now,
    )
    rules.check_password(new_password, users.email_of(uow.context.keys, user))
    new_hash = passwords.hash_secret(new_password)
    with uow:
        user = users.load(uow.session, actor.player_id())
        user.password_hash, user.password_changed_at = new_hash, now
        uow.session.add(user)
        ended = sessions.revoke_all(
            uow.session, actor.player_id(), now, reason="password_change", keep=session_id
        )
        _audit(uow.session, user, "auth.password_change", now, sessions_ended=ended)
        uow.commit()
    return ended


@authz.guard("player.account")
def step_up_with_password(uow: UnitOfWork, actor: Actor, password: str, now: datetime) -> None:
    """The step-up for accounts without TOTP: the password again (with TOTP on, a code is required).

    Raises:
        PermissionDenied: the session is not the actor's.
        InvalidCode: TOTP is on. InvalidCredentials: wrong password.
        TooManyAttempts, SessionExpired: the re-entered password's limits (`reauth`).
    """
    with uow.reader() as r:
        session_id = sessions.own_session(r.session, actor).id
        user = users.load(r.session, actor.player_id())
    assert session_id is not None
    if user.totp_enabled_at is not None:
        raise InvalidCode("Enter a code from your authenticator app.")
    reauth.confirm_password(
        uow, actor, password, "That password is not right.", failed_action="auth.step_up_failed", now=now
    )
    with uow:
        sessions.record_step_up(uow.session, session_id, now)
        uow.commit()


# --- email change ----------------------------------------------------------------------------


@authz.guard("player.account")
def request_email_change(uow: UnitOfWork, actor: Actor, new_email: str, now: datetime) -> None:
    """Send a confirmation link to the new address (needs a step-up in the last 5 minutes).

    Raises:
        PermissionDenied: the session is not the actor's.
        StepUpRequired. InvalidEmail. EmailTaken: the address belongs to another account.
    """
    sessions.require_step_up(uow, actor, now)
    email = rules.normalize_email(new_email)
    user_id = actor.player_id()
    with uow:
        user = users.load(uow.session, user_id)
        if users.find_by_email(uow, email) is not None:
            raise EmailTaken(users.EMAIL_TAKEN)
        tokens.revoke_unused(uow.session, user_id, "change_email", now)
        tokens.send_link(uow, user_id, email, "change_email", now, payload=email)
        _audit(uow.session, user, "auth.email_change_requested", now)
        uow.commit()


def _apply_email_change(uow: UnitOfWork, user: User, new_email: str, now: datetime) -> None:
    assert user.id is not None
    keys = uow.context.keys
    old_email = users.email_of(keys, user)
    if users.find_by_email(uow, new_email) is not None:
        raise EmailTaken(users.EMAIL_TAKEN)
    users.set_email(keys, user, new_email)
    user.email_verified_at = now
    uow.session.add(user)
    mail.enqueue(uow, kind="email_changed", to=old_email, user_id=user.id, now=now, new_email=new_email)
    _audit(uow.session, user, "auth.email_changed", now)


def live_session_count(session: Session, user_id: int, now: datetime) -> int:
    """How many of the user's sessions are live (for the back office's player view)."""
    rows = session.exec(
        select(UserSession).where(UserSession.user_id == user_id, col(UserSession.revoked_at).is_(None))
    ).all()
    return sum(1 for row in rows if row.expires_at > now)
