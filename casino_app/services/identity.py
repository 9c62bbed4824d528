"""Registration and login for players and operators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from passlib.context import CryptContext
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from casino_app.domain import identity as rules
from casino_app.domain.errors import EmailTaken, InvalidCredentials, InvalidInput, NotFound
from casino_app.domain.money import check_currency
from casino_app.persistence.models import User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import ledger
from casino_app.services.dto import UserView

# OWASP argon2id parameters: m=19456 KiB, t=2, p=1.
PASSWORDS = CryptContext(
    schemes=["argon2"],
    argon2__type="ID",
    argon2__memory_cost=19456,
    argon2__time_cost=2,
    argon2__parallelism=1,
)
_DUMMY_HASH = PASSWORDS.hash("dummy-password-for-timing")


@dataclass(frozen=True)
class RegisterPlayer:
    email: str
    password: str
    birth_date: date
    currency: str = "EUR"


def _view(user: User) -> UserView:
    assert user.id is not None
    return UserView(user.id, user.email, user.role, user.currency, user.previous_login_at)


def parse_birth_date(text: str) -> date:
    """Parse an ISO date (YYYY-MM-DD) from a form, or raise `InvalidInput`."""
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise InvalidInput("Enter your date of birth as YYYY-MM-DD.") from None


def register_player(uow: UnitOfWork, cmd: RegisterPlayer, now: datetime) -> UserView:
    """Create a player and their cash account in one transaction.

    Raises:
        InvalidEmail, WeakPassword, Underage: bad input; nothing is written.
        EmailTaken: the address is already registered.
    """
    email = rules.normalize_email(cmd.email)
    rules.check_password(cmd.password)
    rules.check_age(cmd.birth_date, now.date())
    check_currency(cmd.currency)
    password_hash = PASSWORDS.hash(cmd.password)
    return _create_user(uow, email, password_hash, cmd.birth_date, cmd.currency, "player", now)


def create_operator(uow: UnitOfWork, email: str, password: str, role: str, now: datetime) -> UserView:
    """Create an operator account (never through self-registration)."""
    from casino_app.services.authz import OPERATOR_ROLES

    if role not in OPERATOR_ROLES:
        raise InvalidInput(f"Unknown operator role {role!r}.")
    email = rules.normalize_email(email)
    rules.check_password(password)
    password_hash = PASSWORDS.hash(password)
    return _create_user(uow, email, password_hash, date(1970, 1, 1), "EUR", role, now)


def _create_user(
    uow: UnitOfWork,
    email: str,
    password_hash: str,
    birth: date,
    currency: str,
    role: str,
    now: datetime,
) -> UserView:
    with uow:
        # A new player is signed in straight away, so registration counts as a login.
        user = User(
            email=email,
            password_hash=password_hash,
            role=role,
            birth_date=birth,
            currency=currency,
            created_at=now,
            last_login_at=now if role == "player" else None,
        )
        uow.session.add(user)
        try:
            uow.session.flush()
        except IntegrityError:
            raise EmailTaken("An account with this email already exists.") from None
        assert user.id is not None
        if role == "player":
            ledger.ensure_account(uow.session, kind="player_cash", currency=currency, owner=user.id)
        uow.commit()
        return _view(user)


def authenticate(uow: UnitOfWork, email: str, password: str, now: datetime) -> UserView:
    """Check the password and record the login; the same error for any failure.

    An unknown email is verified against a dummy hash so that timing does not tell.
    """
    try:
        normalized = rules.normalize_email(email)
    except InvalidInput:
        normalized = ""
    with uow:
        user = uow.session.exec(select(User).where(User.email == normalized)).first()
        if user is None:
            PASSWORDS.verify(password or "", _DUMMY_HASH)
            raise InvalidCredentials("Wrong email or password.")
        ok, new_hash = PASSWORDS.verify_and_update(password or "", user.password_hash)
        if not ok:
            raise InvalidCredentials("Wrong email or password.")
        if new_hash:
            user.password_hash = new_hash
        user.previous_login_at = user.last_login_at
        user.last_login_at = now
        uow.session.add(user)
        uow.commit()
        return _view(user)


def get_user(uow: UnitOfWork, user_id: int) -> UserView:
    with uow:
        user = uow.session.get(User, user_id)
        if user is None:
            raise NotFound("Unknown user.")
        return _view(user)
