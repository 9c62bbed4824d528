"""Registration and login for players and operators.

Login has two steps: `verify_password` (throttled before any hashing, no user enumeration)
and `sign_in` (the second factor when required, then a server-side session). Every failure
is audited in its own transaction, so it is kept although the login fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from casino_app.domain.errors import (
    AccountLocked,
    EmailTaken,
    InvalidCredentials,
    InvalidInput,
    NotFound,
    PermissionDenied,
    SecondFactorRequired,
    TooManyAttempts,
)
from casino_app.domain.identity import rules
from casino_app.domain.identity import throttle as limits
from casino_app.domain.money.amounts import check_currency
from casino_app.persistence.tables import User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import PasswordProof, SignedIn, UserView
from casino_app.services.identity import mfa, passwords, sessions, throttle, tokens
from casino_app.services.identity.sessions import ClientInfo
from casino_app.services.money import ledger
from casino_app.services.security import audit, crypto

WRONG_LOGIN = "Wrong email or password."
PROOF_LIFETIME = timedelta(minutes=5)
LOCKED_PLAYER = (
    "Too many failed sign-in attempts: this account is locked. Unlock it with the link we emailed "
    "to its address, or with a code from your authenticator app."
)
LOCKED_OPERATOR = "Too many failed sign-in attempts: this account is locked for 30 minutes."


@dataclass(frozen=True)
class RegisterPlayer:
    """A registration form. The consent fields carry the versions the person accepted."""

    email: str
    password: str
    birth_date: date
    currency: str = "EUR"
    full_name: str = ""
    country: str = ""
    phone: str = ""
    terms_version: str = ""
    privacy_version: str = ""


def email_index(normalized_email: str) -> str:
    """The blind index that finds an account by its (normalized) email."""
    return crypto.blind_index(normalized_email, purpose="email")


def seal_field(user_id: int, column: str, value: str) -> str | None:
    """Seal one personal-data field of `users` ("" stays empty)."""
    return crypto.seal(value, table="users", column=column, row_id=user_id) if value else None


def open_field(user: User, column: str) -> str:
    """Unseal one personal-data field of `users` ("" when empty)."""
    token = getattr(user, column)
    if not token:
        return ""
    assert user.id is not None
    return crypto.unseal(token, table="users", column=column, row_id=user.id)


def user_view(user: User) -> UserView:
    """The DTO of a user (unseals the email)."""
    assert user.id is not None
    return UserView(
        user.id,
        open_field(user, "email_enc"),
        user.role,
        user.currency,
        user.previous_login_at,
        user.previous_login_ip,
        user.totp_enabled_at is not None,
        user.email_verified_at is not None,
    )


def actor_of(user: User) -> str:
    return mfa.actor_of(user)


def parse_birth_date(text: str) -> date:
    """Parse an ISO date (YYYY-MM-DD) from a form, or raise `InvalidInput`."""
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        raise InvalidInput("Enter your date of birth as YYYY-MM-DD.") from None


def find_by_email(session: Session, normalized_email: str) -> User | None:
    return session.exec(select(User).where(User.email_index == email_index(normalized_email))).first()


# --- registration -------------------------------------------------------------------------


def register_player(
    uow: UnitOfWork, cmd: RegisterPlayer, now: datetime, client: ClientInfo | None = None
) -> UserView:
    """Create a player, their cash account and an email-verification mail in one transaction.

    Raises:
        InvalidEmail, WeakPassword, Underage, TermsNotAccepted, InvalidInput: bad input; nothing is written.
        EmailTaken: the address is already registered.
    """
    email = rules.normalize_email(cmd.email)
    rules.check_password(cmd.password, email)
    full_name = rules.clean_full_name(cmd.full_name)
    rules.check_age(cmd.birth_date, now.date())
    country = rules.check_country(cmd.country)
    phone = rules.normalize_phone(cmd.phone)
    rules.check_consent(cmd.terms_version, cmd.privacy_version)
    check_currency(cmd.currency)
    password_hash = passwords.hash_secret(cmd.password)
    client = (client or ClientInfo()).clipped()
    with uow:
        user = insert_user(
            uow.session,
            email,
            password_hash,
            "player",
            now,
            currency=cmd.currency,
            country=country,
            terms_version=cmd.terms_version,
            privacy_version=cmd.privacy_version,
            consent_at=now,
            # A new player is signed in straight away, so registration counts as a login.
            last_login_at=now,
            last_login_ip=client.ip,
        )
        assert user.id is not None
        user.full_name_enc = seal_field(user.id, "full_name_enc", full_name)
        user.birth_date_enc = seal_field(user.id, "birth_date_enc", cmd.birth_date.isoformat())
        user.phone_enc = seal_field(user.id, "phone_enc", phone)
        user.phone_index = crypto.blind_index(phone, purpose="phone") if phone else None
        uow.session.add(user)
        ledger.ensure_account(uow.session, kind="player_cash", currency=cmd.currency, owner=user.id)
        tokens.send_link(uow.session, user.id, email, "verify_email", now)
        audit.record(
            uow.session,
            actor=actor_of(user),
            action="auth.register",
            subject=f"user:{user.id}",
            details={"ip": client.ip, "country": country, "terms": cmd.terms_version},
            now=now,
        )
        uow.commit()
        return user_view(user)


def insert_user(
    session: Session, email: str, password_hash: str, role: str, now: datetime, **fields: Any
) -> User:
    """Insert a user with a sealed email; the unique blind index refuses a taken address."""
    user = User(
        email_index=email_index(email), password_hash=password_hash, role=role, created_at=now, **fields
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise EmailTaken("An account with this email already exists.") from None
    assert user.id is not None
    user.email_enc = seal_field(user.id, "email_enc", email)
    return user


def create_operator(
    uow: UnitOfWork, email: str, password: str, role: str, now: datetime, *, actor: str = "cli"
) -> UserView:
    """Create an operator account (never through self-registration); TOTP is set up at first sign-in.

    Raises:
        InvalidInput: unknown role. InvalidEmail, WeakPassword: bad input. EmailTaken.
    """
    from casino_app.services.authz import OPERATOR_ROLES

    if role not in OPERATOR_ROLES:
        raise InvalidInput(f"Unknown operator role {role!r}.")
    email = rules.normalize_email(email)
    rules.check_password(password, email)
    password_hash = passwords.hash_secret(password)
    with uow:
        user = insert_user(
            uow.session, email, password_hash, role, now, created_by=actor[:64], email_verified_at=now
        )
        audit.record(
            uow.session,
            actor=actor,
            action="auth.operator_created",
            subject=f"user:{user.id}",
            details={"role": role},
            now=now,
        )
        uow.commit()
        return user_view(user)


# --- login, step one: the password ----------------------------------------------------------


@dataclass(frozen=True)
class _Attempt:
    ip_key: str
    login_key: str
    subject: str
    client: ClientInfo
    user: User | None

    @property
    def operator(self) -> bool:
        return self.user is not None and self.user.role != "player"


def _lockout(attempt: _Attempt) -> limits.LockoutPolicy:
    return limits.OPERATOR_LOCKOUT if attempt.operator else limits.PLAYER_LOCKOUT


def _backoff(attempt: _Attempt) -> limits.Backoff:
    return limits.OPERATOR_BACKOFF if attempt.operator else limits.PLAYER_BACKOFF


def _locked_error(attempt: _Attempt) -> AccountLocked:
    return AccountLocked(LOCKED_OPERATOR if attempt.operator else LOCKED_PLAYER)


def _start_attempt(uow: UnitOfWork, email: str, client: ClientInfo) -> tuple[_Attempt, str]:
    try:
        normalized = rules.normalize_email(email)
    except InvalidInput:
        normalized = ""
    index = email_index(normalized) if normalized else "invalid"
    with uow.reader() as r:
        user = find_by_email(r.session, normalized) if normalized else None
    subject = f"user:{user.id}" if user is not None else f"email:{index[:16]}"
    attempt = _Attempt(throttle.ip_key(client.ip), throttle.login_key(index), subject, client, user)
    return attempt, normalized


def verify_password(
    uow: UnitOfWork, email: str, password: str, now: datetime, client: ClientInfo | None = None
) -> PasswordProof:
    """Step one of a login: throttles first, then argon2; the same answer for unknown emails.

    Raises:
        TooManyAttempts: this IP or account must wait (exponential backoff); nothing was hashed.
        AccountLocked: the account is locked (also said of unknown emails, so it reveals nothing).
        InvalidCredentials: wrong email or password.
    """
    client = (client or ClientInfo()).clipped()
    attempt, normalized = _start_attempt(uow, email, client)
    with uow.reader() as r:
        ip_counter = throttle.peek(r.session, attempt.ip_key)
        login_counter = throttle.peek(r.session, attempt.login_key)
    if limits.is_locked(login_counter, now):
        _record_failure(uow, attempt, "locked", now)
        raise _locked_error(attempt)
    wait = max(
        limits.wait_seconds(ip_counter, limits.IP_BACKOFF, now),
        limits.wait_seconds(login_counter, _backoff(attempt), now),
    )
    if wait:
        _record_failure(uow, attempt, "throttled", now)
        raise TooManyAttempts(f"Too many attempts. {limits.retry_text(wait)}", retry_after=wait)
    user = attempt.user
    if user is None or user.status != "active":
        passwords.burn_time(password or "")
        ok, new_hash = False, None
    else:
        ok, new_hash = passwords.verify_and_update(password or "", user.password_hash)
    if not ok:
        if _record_failure(uow, attempt, "wrong_password", now):
            raise _locked_error(attempt)
        raise InvalidCredentials(WRONG_LOGIN)
    assert user is not None and user.id is not None
    _password_ok(uow, attempt, user.id, new_hash)
    return PasswordProof(
        user.id,
        user.role,
        normalized,
        user.totp_enabled_at is not None,
        user.role != "player" and user.totp_enabled_at is None,
        now,
    )


def _password_ok(uow: UnitOfWork, attempt: _Attempt, user_id: int, new_hash: str | None) -> None:
    """Reset the account's failure count; store a rehash made with current parameters."""
    with uow:
        if throttle.peek(uow.session, attempt.login_key).failures:
            throttle.clear(uow.session, attempt.login_key)
        if new_hash:
            user = uow.session.get(User, user_id)
            assert user is not None
            user.password_hash = new_hash
            uow.session.add(user)
        uow.commit()


def _record_failure(uow: UnitOfWork, attempt: _Attempt, reason: str, now: datetime) -> bool:
    """Count (wrong passwords only) and audit one failed login; True when it locked the account."""
    newly_locked = False
    with uow:
        if reason == "wrong_password":
            ip_counter = throttle.lock(uow.session, attempt.ip_key)
            throttle.store(
                uow.session, attempt.ip_key, limits.add_failure(ip_counter, limits.IP_BACKOFF.window, now)
            )
            newly_locked = _count_account_failure(uow.session, attempt, now)
        audit.record(
            uow.session,
            actor="anonymous",
            action="auth.login_failed",
            subject=attempt.subject,
            details={"reason": reason, "ip": attempt.client.ip, "user_agent": attempt.client.user_agent},
            now=now,
        )
        uow.commit()
    return newly_locked


def _count_account_failure(session: Session, attempt: _Attempt, now: datetime) -> bool:
    policy = _lockout(attempt)
    before = throttle.lock(session, attempt.login_key)
    after = limits.lock_if_due(limits.add_failure(before, policy.window, now), policy, now)
    throttle.store(session, attempt.login_key, after)
    if after.locked_at is None or before.locked_at == after.locked_at:
        return False
    audit.record(
        session,
        actor="system",
        action="auth.lockout",
        subject=attempt.subject,
        details={"failures": after.failures, "ip": attempt.client.ip, "until": after.locked_until},
        now=now,
    )
    user = attempt.user
    if user is not None and user.id is not None and user.role == "player":
        tokens.send_link(session, user.id, open_field(user, "email_enc"), "unlock", now)
    return True


# --- login, step two: the second factor and the session ---------------------------------------


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
    """
    client = (client or ClientInfo()).clipped()
    recovery = _second_factor(uow, proof, code, now)
    with uow:
        user = _active_user(uow.session, proof.user_id)
        _record_login(uow.session, user, client, now)
        token, session_id = sessions.open_browser_session(
            uow.session, proof.user_id, client, now, step_up=bool(code.strip())
        )
        _audit_login(uow.session, user, client, session_id, "browser", now)
        uow.commit()
        return SignedIn(user_view(user), session_id, token, recovery)


def sign_in_api(
    uow: UnitOfWork, proof: PasswordProof, now: datetime, client: ClientInfo | None = None, *, code: str = ""
) -> sessions.TokenPair:
    """Complete a mobile login: players only; returns the first access and refresh token.

    Raises:
        PermissionDenied: operators use the back office. Otherwise as `sign_in`.
    """
    if proof.role != "player":
        raise PermissionDenied("Back-office accounts sign in at the back office.")
    client = (client or ClientInfo()).clipped()
    _second_factor(uow, proof, code, now)
    with uow:
        user = _active_user(uow.session, proof.user_id)
        _record_login(uow.session, user, client, now)
        pair = sessions.open_api_session(uow.session, proof.user_id, client, now, step_up=bool(code.strip()))
        _audit_login(uow.session, user, client, pair.session_id, "api", now)
        uow.commit()
        return pair


def _second_factor(uow: UnitOfWork, proof: PasswordProof, code: str, now: datetime) -> tuple[str, ...]:
    if now - proof.verified_at > PROOF_LIFETIME or now < proof.verified_at:
        raise InvalidCredentials("Your sign-in took too long. Please start again.")
    if not (proof.mfa_enabled or proof.must_enroll):
        return ()
    if not code.strip():
        raise SecondFactorRequired("Enter the 6-digit code from your authenticator app.")
    if proof.must_enroll:
        return mfa.confirm_enrollment(uow, proof.user_id, code, now)
    mfa.check_code(uow, proof.user_id, code, now)
    return ()


def _active_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.status != "active":
        raise InvalidCredentials(WRONG_LOGIN)
    return user


def _record_login(session: Session, user: User, client: ClientInfo, now: datetime) -> None:
    user.previous_login_at, user.previous_login_ip = user.last_login_at, user.last_login_ip
    user.last_login_at, user.last_login_ip = now, client.ip
    session.add(user)


def _audit_login(
    session: Session, user: User, client: ClientInfo, session_id: int, kind: str, now: datetime
) -> None:
    audit.record(
        session,
        actor=actor_of(user),
        action="auth.login",
        subject=f"user:{user.id}",
        details={"ip": client.ip, "session_id": session_id, "kind": kind},
        now=now,
    )


def start_session_after_registration(
    uow: UnitOfWork, user_id: int, now: datetime, client: ClientInfo | None = None
) -> SignedIn:
    """The browser session of a player who just registered (registration already counted as login)."""
    client = (client or ClientInfo()).clipped()
    with uow:
        user = uow.session.get(User, user_id)
        if user is None:
            raise NotFound("Unknown user.")
        token, session_id = sessions.open_browser_session(uow.session, user_id, client, now)
        uow.commit()
        return SignedIn(user_view(user), session_id, token)


def start_api_session_after_registration(
    uow: UnitOfWork, user_id: int, now: datetime, client: ClientInfo | None = None
) -> sessions.TokenPair:
    """The first tokens of a player who just registered through the mobile API."""
    client = (client or ClientInfo()).clipped()
    with uow:
        pair = sessions.open_api_session(uow.session, user_id, client, now)
        uow.commit()
        return pair


def authenticate(
    uow: UnitOfWork, email: str, password: str, now: datetime, client: ClientInfo | None = None
) -> UserView:
    """Password-only login in one call (accounts without a second factor); opens a session.

    Raises:
        SecondFactorRequired: the account needs a code: use `verify_password` and `sign_in`.
    """
    proof = verify_password(uow, email, password, now, client)
    return sign_in(uow, proof, now, client).user


def sign_out(uow: UnitOfWork, session_id: int, user_id: int, now: datetime, actor: str) -> None:
    """Revoke the session at logout."""
    sessions.revoke(uow, user_id, session_id, now, actor=actor, reason="logout")


def get_user(uow: UnitOfWork, user_id: int) -> UserView:
    with uow.reader() as r:
        user = r.session.get(User, user_id)
        if user is None:
            raise NotFound("Unknown user.")
        return user_view(user)
