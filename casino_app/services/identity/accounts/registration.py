"""New accounts: player self-registration and operator accounts made by an administrator.

Self-registration is throttled per client address (`REGISTRATION_LIMIT`) and never reveals
whether an address is registered: the owner of a taken address gets a mail instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from casino_app.domain.errors import EmailTaken, InvalidInput, TooManyAttempts
from casino_app.domain.identity import rules
from casino_app.domain.identity import throttle as limits
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import OPERATOR_ROLES, Role
from casino_app.domain.money.amounts import check_currency
from casino_app.domain.money.vocabulary import AccountKind
from casino_app.persistence.tables import User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.compliance.rg import checks as rg_checks
from casino_app.services.dto import UserView
from casino_app.services.identity.accounts import mail, tokens, users
from casino_app.services.identity.credentials import passwords, throttle
from casino_app.services.identity.sessions.server import ClientInfo
from casino_app.services.money import ledger
from casino_app.services.security import audit


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


@dataclass(frozen=True)
class _Checked:
    """A registration that passed every rule, normalized."""

    email: str
    full_name: str
    country: str
    phone: str


def parse_birth_date(text: str) -> date:
    """Parse an ISO date (YYYY-MM-DD) from a form, or raise `InvalidInput`."""
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        raise InvalidInput("Enter your date of birth as YYYY-MM-DD.") from None


def _check(cmd: RegisterPlayer, today: date) -> _Checked:
    email = rules.normalize_email(cmd.email)
    rules.check_password(cmd.password, email)
    full_name = rules.clean_full_name(cmd.full_name)
    rules.check_age(cmd.birth_date, today)
    country = rules.check_country(cmd.country)
    phone = rules.normalize_phone(cmd.phone)
    rules.check_consent(cmd.terms_version, cmd.privacy_version)
    check_currency(cmd.currency)
    return _Checked(email, full_name, country, phone)


def register_player(
    uow: UnitOfWork, cmd: RegisterPlayer, now: datetime, client: ClientInfo | None = None
) -> UserView | None:
    """Create a player, their cash account and an email-verification mail in one transaction.

    An address that already has an account gets a mail telling its owner instead, and
    nothing is created. Both cost the same (one reserved attempt, one argon2 hash, one mail),
    and entry points answer both alike ("check your email"), so registration does not tell
    whether an address is registered.

    Returns:
        The new player, or None when the address was taken (never shown to the caller).

    Raises:
        InvalidEmail, WeakPassword, Underage, TermsNotAccepted, InvalidInput: bad input; nothing is written.
        TooManyAttempts: too many registrations from this address this hour.
        SelfExcluded: the email or phone belongs to a time-out or exclusion in force.
    """
    checked = _check(cmd, now.date())
    client = (client or ClientInfo()).clipped()
    _reserve_registration(uow, client, now)
    password_hash = passwords.hash_secret(cmd.password)
    try:
        with uow:
            rg_checks.refuse_excluded_registration(uow, checked.email, checked.phone, checked.country, now)
            if users.find_by_email(uow, checked.email) is not None:
                raise EmailTaken(users.EMAIL_TAKEN)
            user = _create_player(uow, cmd, checked, password_hash, now, client)
            uow.commit()
            return users.user_view(uow.context.keys, user)
    except EmailTaken:  # taken before, or by a parallel registration of the same address
        _tell_the_owner(uow, checked.email, now, client)
        return None


def _reserve_registration(uow: UnitOfWork, client: ClientInfo, now: datetime) -> None:
    """Count one registration for the client's address, or refuse it (the deployment's limit)."""
    key = throttle.registration_key(client.ip)
    allowed = uow.context.settings.identity.registrations_per_ip_hour
    policy = replace(limits.REGISTRATION_LIMIT, attempts=allowed)
    with uow:
        counter = throttle.lock(uow.session, key)
        wait = limits.limit_wait(counter, policy, now)
        if not wait:
            window = policy.window
            throttle.store(uow.session, key, limits.add_failure(counter, window, now))
            uow.commit()
    if wait:
        raise TooManyAttempts(
            f"Too many new accounts from your network. {limits.retry_text(wait)}", retry_after=wait
        )


def _create_player(
    uow: UnitOfWork,
    cmd: RegisterPlayer,
    checked: _Checked,
    password_hash: str,
    now: datetime,
    client: ClientInfo,
) -> User:
    user = _insert_player(uow, cmd, checked, password_hash, now)
    assert user.id is not None
    ledger.ensure_account(uow.session, kind=AccountKind.PLAYER_CASH, currency=cmd.currency, owner=user.id)
    tokens.send_link(uow, user.id, checked.email, "verify_email", now)
    audit.record(
        uow.session,
        actor=users.audit_name(user),
        action="auth.register",
        subject=f"user:{user.id}",
        details={"ip": client.ip, "country": checked.country, "terms": cmd.terms_version},
        now=now,
    )
    return user


def _tell_the_owner(uow: UnitOfWork, email: str, now: datetime, client: ClientInfo) -> None:
    """Mail the owner of a taken address that someone tried to register it (audited); nothing else."""
    with uow:
        owner = users.find_by_email(uow, email)
        if owner is None or owner.id is None:
            return
        if not mail.recently_sent(uow.session, owner.id, "account_exists", now):
            login = uow.context.settings.identity.public_url.rstrip("/") + "/login"
            mail.enqueue(uow, kind="account_exists", to=email, user_id=owner.id, now=now, link=login)
        audit.record(
            uow.session,
            actor=Actor.anonymous().audit_name,
            action="auth.register_existing",
            subject=f"user:{owner.id}",
            details={"ip": client.ip},
            now=now,
        )
        uow.commit()


def _insert_player(
    uow: UnitOfWork,
    cmd: RegisterPlayer,
    checked: _Checked,
    password_hash: str,
    now: datetime,
) -> User:
    user = users.insert_user(
        uow,
        checked.email,
        password_hash,
        Role.PLAYER,
        now,
        currency=cmd.currency,
        country=checked.country,
        terms_version=cmd.terms_version,
        privacy_version=cmd.privacy_version,
        consent_at=now,
    )
    keys = uow.context.keys
    users.seal_profile(
        keys, user, full_name=checked.full_name, birth_date=cmd.birth_date, phone=checked.phone
    )
    uow.session.add(user)
    return user


@authz.guard("ops.operators.manage")
def create_operator(
    uow: UnitOfWork, actor: Actor, email: str, password: str, role: str, now: datetime
) -> UserView:
    """Create an operator account (never through self-registration); TOTP is set up at first sign-in.

    Raises:
        PermissionDenied: the actor may not manage operators (audited).
        InvalidInput: unknown role. InvalidEmail, WeakPassword: bad input. EmailTaken.
    """
    if role not in OPERATOR_ROLES:
        raise InvalidInput(f"Unknown operator role {role!r}.")
    email = rules.normalize_email(email)
    rules.check_password(password, email)
    password_hash = passwords.hash_secret(password)
    with uow:
        user = users.insert_user(
            uow, email, password_hash, role, now, created_by=actor.audit_name[:64], email_verified_at=now
        )
        audit.record(
            uow.session,
            actor=actor.audit_name,
            action="auth.operator_created",
            subject=f"user:{user.id}",
            details={"role": role},
            now=now,
        )
        uow.commit()
        return users.user_view(uow.context.keys, user)
