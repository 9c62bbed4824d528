"""Back-office account work: admins create operators; support looks up, unlocks and signs out players.

Every function takes the acting operator and checks the permission itself (a denial is audited).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from casino_app.domain.errors import InvalidInput, NotFound
from casino_app.domain.identity import rules
from casino_app.domain.identity import throttle as limits
from casino_app.persistence.tables import User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.dto import OperatorLine, PlayerSecurityView, UserView
from casino_app.services.identity import passwords, sessions, throttle, tokens
from casino_app.services.identity.accounts import live_session_count
from casino_app.services.identity.signin import find_by_email, insert_user, open_field, user_view
from casino_app.services.security import audit


@dataclass(frozen=True)
class Actor:
    """The signed-in operator doing the work."""

    user_id: int
    role: str

    @property
    def name(self) -> str:
        return f"operator:{self.user_id}"


def _enforce(uow: UnitOfWork, actor: Actor, permission: str, now: datetime) -> None:
    authz.enforce(uow, actor.role, actor.name, permission, now)


def invite_operator(uow: UnitOfWork, actor: Actor, email: str, role: str, now: datetime) -> UserView:
    """Create an operator with an unusable password and email them a link to choose one.

    Raises:
        PermissionDenied. InvalidInput: unknown role. InvalidEmail. EmailTaken.
    """
    _enforce(uow, actor, "ops.operators.manage", now)
    if role not in authz.OPERATOR_ROLES:
        raise InvalidInput("Choose one of the operator roles.")
    normalized = rules.normalize_email(email)
    # Nobody knows this password: the invitee sets theirs through the emailed link.
    unusable = passwords.hash_secret(secrets.token_urlsafe(32))
    with uow:
        user = insert_user(
            uow.session, normalized, unusable, role, now, created_by=actor.name, email_verified_at=None
        )
        assert user.id is not None
        tokens.send_link(uow.session, user.id, normalized, "operator_invite", now, role=role)
        audit.record(
            uow.session,
            actor=actor.name,
            action="auth.operator_created",
            subject=f"user:{user.id}",
            details={"role": role},
            now=now,
        )
        uow.commit()
        return user_view(user)


def list_operators(uow: UnitOfWork, actor: Actor, now: datetime) -> tuple[OperatorLine, ...]:
    """Every back-office account, oldest first."""
    _enforce(uow, actor, "ops.operators.manage", now)
    with uow.reader() as r:
        rows = r.session.exec(select(User).where(User.role != "player").order_by(col(User.id))).all()
        return tuple(
            OperatorLine(
                u.id or 0,
                open_field(u, "email_enc"),
                u.role,
                u.totp_enabled_at is not None,
                u.created_at,
                u.last_login_at,
            )
            for u in rows
        )


def find_player(uow: UnitOfWork, actor: Actor, email: str, now: datetime) -> PlayerSecurityView:
    """A player's access state, found by exact email (through its blind index).

    Raises:
        PermissionDenied. NotFound: no player with this email.
    """
    _enforce(uow, actor, "ops.players.view", now)
    try:
        normalized = rules.normalize_email(email)
    except InvalidInput:
        raise NotFound("No player has this email address.") from None
    with uow.reader() as r:
        user = find_by_email(r.session, normalized)
        if user is None or user.role != "player" or user.id is None:
            raise NotFound("No player has this email address.")
        locked = limits.is_locked(throttle.peek(r.session, throttle.login_key(user.email_index)), now)
        live = live_session_count(r.session, user.id, now)
    return PlayerSecurityView(
        user.id,
        normalized,
        user.status,
        locked,
        user.totp_enabled_at is not None,
        user.email_verified_at is not None,
        live,
        user.last_login_at,
    )


def unlock_player(uow: UnitOfWork, actor: Actor, player_id: int, reason: str, now: datetime) -> None:
    """Lift a login lockout (with a reason, for the audit log)."""
    _enforce(uow, actor, "ops.players.unlock", now)
    reason = _reason(reason)
    with uow:
        user = _player(uow, player_id)
        throttle.clear(uow.session, throttle.login_key(user.email_index))
        audit.record(
            uow.session,
            actor=actor.name,
            action="auth.unlock",
            subject=f"user:{player_id}",
            details={"via": "operator", "reason": reason},
            now=now,
        )
        uow.commit()


def revoke_player_sessions(uow: UnitOfWork, actor: Actor, player_id: int, reason: str, now: datetime) -> int:
    """Sign a player out everywhere (browser sessions and API token families)."""
    _enforce(uow, actor, "ops.players.revoke_sessions", now)
    reason = _reason(reason)
    with uow:
        _player(uow, player_id)
        ended = sessions.revoke_all(uow.session, player_id, now, reason="operator")
        audit.record(
            uow.session,
            actor=actor.name,
            action="auth.session_revoke",
            subject=f"user:{player_id}",
            details={"via": "operator", "reason": reason, "sessions_ended": ended},
            now=now,
        )
        uow.commit()
    return ended


def _reason(text: str) -> str:
    reason = " ".join((text or "").split())
    if not 3 <= len(reason) <= 255:
        raise InvalidInput("Give a reason of 3 to 255 characters; it goes to the audit log.")
    return reason


def _player(uow: UnitOfWork, player_id: int) -> User:
    user = uow.session.get(User, player_id)
    if user is None or user.role != "player":
        raise NotFound("No such player.")
    return user
