"""New accounts: player self-registration and operator accounts made by an administrator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from casino_app.domain.errors import InvalidInput
from casino_app.domain.identity import rules
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import OPERATOR_ROLES, Role
from casino_app.domain.money.amounts import check_currency
from casino_app.domain.money.vocabulary import AccountKind
from casino_app.persistence.tables import User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.dto import UserView
from casino_app.services.identity import passwords, tokens, users
from casino_app.services.identity.sessions import ClientInfo
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
) -> UserView:
    """Create a player, their cash account and an email-verification mail in one transaction.

    Raises:
        InvalidEmail, WeakPassword, Underage, TermsNotAccepted, InvalidInput: bad input; nothing is written.
        EmailTaken: the address is already registered.
    """
    checked = _check(cmd, now.date())
    password_hash = passwords.hash_secret(cmd.password)
    client = (client or ClientInfo()).clipped()
    with uow:
        user = _insert_player(uow, cmd, checked, password_hash, now, client)
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
        uow.commit()
        return users.user_view(uow.context.keys, user)


def _insert_player(
    uow: UnitOfWork,
    cmd: RegisterPlayer,
    checked: _Checked,
    password_hash: str,
    now: datetime,
    client: ClientInfo,
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
        # A new player is signed in straight away, so registration counts as a login.
        last_login_at=now,
        last_login_ip=client.ip,
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
