"""The user store: lookup by blind index, inserts with a sealed email, DTOs, personal data.

Emails are found through a keyed blind index and stored sealed; every personal-data field of
`users` goes through `crypto.seal_column` / `crypto.open_column` with the wiring's key
provider (`uow.context.keys`). Helpers that take a `uow` expect it entered (`with uow:`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from casino_app.adapters.keys import KeyProvider
from casino_app.domain.errors import EmailTaken, NotFound
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import Role
from casino_app.persistence.tables import User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.dto import UserView
from casino_app.services.security import crypto

EMAIL_TAKEN = "An account with this email already exists."


def email_index(keys: KeyProvider, normalized_email: str) -> str:
    """The blind index that finds an account by its (normalized) email."""
    return crypto.blind_index(normalized_email, purpose="email", keys=keys)


def phone_index(keys: KeyProvider, phone: str) -> str | None:
    """The blind index of a normalized phone number (None for no number)."""
    return crypto.blind_index(phone, purpose="phone", keys=keys) if phone else None


def find_by_email(uow: UnitOfWork, normalized_email: str) -> User | None:
    """The user with this (normalized) email, read in the entered unit of work."""
    index = email_index(uow.context.keys, normalized_email)
    return uow.session.exec(select(User).where(User.email_index == index)).first()


def load(session: Session, user_id: int) -> User:
    """The user row.

    Raises:
        NotFound: no such user.
    """
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Unknown user.")
    return user


def insert_user(
    uow: UnitOfWork, email: str, password_hash: str, role: str, now: datetime, **fields: Any
) -> User:
    """Insert a user with a sealed email; the unique blind index refuses a taken address.

    Raises:
        EmailTaken: the address is already registered.
    """
    keys = uow.context.keys
    user = User(
        email_index=email_index(keys, email), password_hash=password_hash, role=role, created_at=now, **fields
    )
    uow.session.add(user)
    try:
        uow.session.flush()
    except IntegrityError:
        raise EmailTaken(EMAIL_TAKEN) from None
    crypto.seal_column(keys, user, "email_enc", email)
    return user


def email_of(keys: KeyProvider, user: User) -> str:
    """The user's email, unsealed ("" once erased)."""
    return crypto.open_column(keys, user, "email_enc")


def set_email(keys: KeyProvider, user: User, normalized_email: str) -> None:
    """Point the account at a new address: its blind index and its sealed copy."""
    user.email_index = email_index(keys, normalized_email)
    crypto.seal_column(keys, user, "email_enc", normalized_email)


def seal_profile(keys: KeyProvider, user: User, *, full_name: str, birth_date: date, phone: str) -> None:
    """Seal a new player's personal data into their (flushed) row."""
    crypto.seal_column(keys, user, "full_name_enc", full_name)
    crypto.seal_column(keys, user, "birth_date_enc", birth_date.isoformat())
    crypto.seal_column(keys, user, "phone_enc", phone)
    user.phone_index = phone_index(keys, phone)


def audit_name(user: User) -> str:
    """How the audit log names this user acting for themselves ("player:12", "operator:3")."""
    assert user.id is not None
    if user.role == Role.PLAYER:
        return Actor.player(user.id).audit_name
    return Actor.operator(user.id, user.role).audit_name


def user_view(keys: KeyProvider, user: User) -> UserView:
    """The DTO of a user (unseals the email)."""
    assert user.id is not None
    return UserView(
        user.id,
        email_of(keys, user),
        user.role,
        user.currency,
        user.previous_login_at,
        user.previous_login_ip,
        user.totp_enabled_at is not None,
        user.email_verified_at is not None,
    )


@authz.guard("player.account")
def get_user(uow: UnitOfWork, actor: Actor) -> UserView:
    """The signed-in player's own user view.

    Raises:
        PermissionDenied: the actor is not a player (audited).
    """
    with uow.reader() as r:
        return user_view(uow.context.keys, load(r.session, actor.player_id()))
