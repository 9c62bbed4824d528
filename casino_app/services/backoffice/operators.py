"""Back-office account work: admins create operators; support looks up, unlocks and signs out players.

Every function takes the acting operator's `Actor` and is declared with the permission it needs
(`authz.guard`: a denial is audited before the body runs).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlmodel import col, select

from casino_app.domain.errors import InvalidInput, NotFound
from casino_app.domain.identity import rules
from casino_app.domain.identity import throttle as limits
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import Role
from casino_app.persistence.tables import User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.dto import OperatorLine, PlayerSecurityView, UserView
from casino_app.services.identity.accounts import tokens, users
from casino_app.services.identity.accounts.self_service import live_session_count
from casino_app.services.identity.credentials import passwords, throttle
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.security import audit


@authz.guard("ops.operators.manage")
def invite_operator(uow: UnitOfWork, actor: Actor, email: str, role: str, now: datetime) -> UserView:
    """Create an operator with an unusable password and email them a link to choose one.

    Raises:
        PermissionDenied. InvalidInput: unknown role. InvalidEmail. EmailTaken.
    """
    if role not in authz.OPERATOR_ROLES:
        raise InvalidInput("Choose one of the operator roles.")
    normalized = rules.normalize_email(email)
    # Nobody knows this password: the invitee sets theirs through the emailed link.
    unusable = passwords.hash_secret(secrets.token_urlsafe(32))
    with uow:
        user = users.insert_user(
            uow, normalized, unusable, role, now, created_by=actor.audit_name, email_verified_at=None
        )
        assert user.id is not None
        tokens.send_link(uow, user.id, normalized, "operator_invite", now, role=role)
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


@authz.guard("ops.operators.manage")
def list_operators(uow: UnitOfWork, actor: Actor) -> tuple[OperatorLine, ...]:
    """Every back-office account, oldest first."""
    with uow.reader() as r:
        rows = r.session.exec(select(User).where(User.role != Role.PLAYER).order_by(col(User.id))).all()
        return tuple(
            OperatorLine(
                u.id or 0,
                users.email_of(r.context.keys, u),
                u.role,
                u.totp_enabled_at is not None,
                u.created_at,
                u.last_login_at,
            )
            for u in rows
        )


@authz.guard("ops.players.view")
def find_player(uow: UnitOfWork, actor: Actor, email: str, now: datetime) -> PlayerSecurityView:
    """A player's access state, found by exact email (through its blind index).

    Raises:
        PermissionDenied. NotFound: no player with this email.
    """
    try:
        normalized = rules.normalize_email(email)
    except InvalidInput:
        raise NotFound("No player has this email address.") from None
    with uow.reader() as r:
        user = users.find_by_email(r, normalized)
        if user is None or user.role != Role.PLAYER or user.id is None:
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


@authz.guard("ops.players.unlock")
def unlock_player(uow: UnitOfWork, actor: Actor, player_id: int, reason: str, now: datetime) -> None:
    """Lift a login lockout (with a reason, for the audit log)."""
    reason = _reason(reason)
    with uow:
        user = _player(uow, player_id)
        throttle.clear(uow.session, throttle.login_key(user.email_index))
        audit.record(
            uow.session,
            actor=actor.audit_name,
            action="auth.unlock",
            subject=f"user:{player_id}",
            details={"via": "operator", "reason": reason},
            now=now,
        )
        uow.commit()


@authz.guard("ops.players.revoke_sessions")
def revoke_player_sessions(uow: UnitOfWork, actor: Actor, player_id: int, reason: str, now: datetime) -> int:
    """Sign a player out everywhere (browser sessions and API token families)."""
    reason = _reason(reason)
    with uow:
        _player(uow, player_id)
        ended = sessions.revoke_all(uow.session, player_id, now, reason="operator")
        audit.record(
            uow.session,
            actor=actor.audit_name,
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
    if user is None or user.role != Role.PLAYER:
        raise NotFound("No such player.")
    return user
