"""Mobile API sessions: a token family per device, 30-minute access tokens, rotating refresh tokens.

A family is a `user_sessions` row of kind "api". Each refresh spends the refresh token and
issues a new pair in the same family; presenting a used refresh token again revokes the whole
family, because one of its two holders must be a thief. Only tokens' SHA-256 is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.domain.errors import InvalidToken
from casino_app.domain.identity import sessions as rules
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import SessionKind, UserStatus
from casino_app.persistence.tables import ApiToken, User, UserSession
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions.server import ClientInfo, Principal
from casino_app.services.security import audit

ACCESS, REFRESH = "access", "refresh"
_SESSIONS = UserSession.__table__  # type: ignore[attr-defined]
_TOKENS = ApiToken.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    access_expires_in: int
    refresh_expires_in: int
    session_id: int


def open_api_session(
    uow: UnitOfWork, user_id: int, client: ClientInfo, now: datetime, *, step_up: bool = False
) -> TokenPair:
    """Start a token family (an "api" session) and issue its first tokens, in the entered `uow`."""
    policy = sessions.policy_of(uow)
    session_id = sessions.insert_session(
        uow.session, user_id, SessionKind.API, None, client, now, step_up, policy
    )
    return _issue_pair(uow.session, session_id, now, policy)


def _issue_pair(session: Session, session_id: int, now: datetime, policy: rules.SessionPolicy) -> TokenPair:
    access, refresh = sessions.new_token(), sessions.new_token()
    for kind, raw, life in (
        (ACCESS, access, policy.access_token),
        (REFRESH, refresh, policy.refresh_token),
    ):
        session.add(
            ApiToken(
                session_id=session_id,
                kind=kind,
                token_hash=sessions.token_hash(raw),
                created_at=now,
                expires_at=now + life,
            )
        )
    session.flush()
    return TokenPair(
        access,
        refresh,
        int(policy.access_token.total_seconds()),
        int(policy.refresh_token.total_seconds()),
        session_id,
    )


def refresh_tokens(uow: UnitOfWork, refresh_token: str, now: datetime) -> TokenPair:
    """Rotate: spend `refresh_token` and issue a new pair in the same family.

    Raises:
        InvalidToken: unknown, expired or revoked; or already used, which revokes the family.
    """
    with uow:
        found = uow.session.exec(
            select(ApiToken, UserSession)
            .join(UserSession, col(UserSession.id) == ApiToken.session_id)
            .where(ApiToken.token_hash == sessions.token_hash(refresh_token), ApiToken.kind == REFRESH)
        ).first()
        if found is None:
            raise InvalidToken("The refresh token is not valid. Sign in again.")
        token, family = found
        if token.used_at is not None or not _spend(uow.session, token, now):
            _revoke_family(uow, family, now)
            raise InvalidToken("The refresh token was already used. Sign in again.")
        if token.expires_at <= now or sessions.end_reason(family, now):
            raise InvalidToken("The refresh token is not valid. Sign in again.")
        assert family.id is not None
        uow.session.execute(sa.update(_SESSIONS).where(_SESSIONS.c.id == family.id).values(last_seen_at=now))
        pair = _issue_pair(uow.session, family.id, now, sessions.policy_of(uow))
        uow.commit()
        return pair


def _spend(session: Session, token: ApiToken, now: datetime) -> bool:
    """Mark a refresh token used; False when a concurrent request spent it first."""
    result = session.execute(
        sa.update(_TOKENS).where(_TOKENS.c.id == token.id, _TOKENS.c.used_at.is_(None)).values(used_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def _revoke_family(uow: UnitOfWork, family: UserSession, now: datetime) -> None:
    """Reuse of a refresh token: end the whole family and audit it (committed before raising)."""
    uow.session.rollback()
    sessions.revoke_where(uow.session, _SESSIONS.c.id == family.id, now, "refresh_reuse")
    audit.record(
        uow.session,
        actor=Actor.system().audit_name,
        action="auth.refresh_reuse",
        subject=f"user:{family.user_id}",
        details={"session_id": family.id},
        now=now,
    )
    uow.commit()


def validate_access(uow: UnitOfWork, access_token: str, now: datetime) -> Principal:
    """The principal behind a live access token.

    Raises:
        InvalidToken: unknown, expired, or its family was revoked or ended.
    """
    with uow.reader() as r:
        found = r.session.exec(
            select(ApiToken, UserSession, User.role, User.status)
            .join(UserSession, col(UserSession.id) == ApiToken.session_id)
            .join(User, col(User.id) == UserSession.user_id)
            .where(ApiToken.token_hash == sessions.token_hash(access_token), ApiToken.kind == ACCESS)
        ).first()
    if found is None:
        raise InvalidToken("The access token is not valid.")
    token, family, role, status = found
    if token.expires_at <= now or sessions.end_reason(family, now) or status != UserStatus.ACTIVE:
        raise InvalidToken("The access token has expired. Refresh it or sign in again.")
    assert family.id is not None
    return Principal(family.user_id, role, family.id, SessionKind.API, family.step_up_at)
