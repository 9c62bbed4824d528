"""Server-side sessions: browser sessions and mobile API token families.

Tokens are 256-bit random values; only their SHA-256 is stored. A browser session ends after
15 minutes without activity or 12 hours after sign-in; it is revoked at logout, password
change, self-exclusion and by operators. Mobile clients get 30-minute access tokens and
refresh tokens that rotate on every use; presenting a used refresh token again revokes the
whole family (the session), because one of the two holders must be a thief.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.config import load_identity_settings
from casino_app.domain.errors import InvalidToken, NotFound, SessionExpired, StepUpRequired
from casino_app.domain.identity import sessions as rules
from casino_app.persistence.tables import ApiToken, User, UserSession
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.security import audit

TOKEN_BYTES = 32
_SESSIONS = UserSession.__table__  # type: ignore[attr-defined]
_TOKENS = ApiToken.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ClientInfo:
    """Where a request comes from, as the edge saw it."""

    ip: str = ""
    user_agent: str = ""

    def clipped(self) -> ClientInfo:
        return ClientInfo((self.ip or "")[:64], (self.user_agent or "")[:255])


@dataclass(frozen=True)
class Principal:
    """Who is acting: the result of validating a session or an access token."""

    user_id: int
    role: str
    session_id: int
    kind: str
    step_up_at: datetime | None


@dataclass(frozen=True)
class SessionLine:
    id: int
    kind: str
    ip: str
    user_agent: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    access_expires_in: int
    refresh_expires_in: int
    session_id: int


def configured_policy() -> rules.SessionPolicy:
    """The session lifetimes of this deployment (profile values from the settings)."""
    settings = load_identity_settings()
    return rules.SessionPolicy(
        idle=timedelta(seconds=settings.session_idle_seconds),
        absolute=timedelta(seconds=settings.session_absolute_seconds),
    )


def new_token() -> str:
    """A fresh opaque token (256 random bits, URL-safe)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The stored form of a token: SHA-256 hex (the token itself has 256 bits of entropy)."""
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


def open_browser_session(
    session: Session,
    user_id: int,
    client: ClientInfo,
    now: datetime,
    *,
    step_up: bool = False,
    policy: rules.SessionPolicy | None = None,
) -> tuple[str, int]:
    """Create a browser session in the caller's transaction.

    Returns:
        (raw token for the caller to keep server-side, session id).
    """
    token = new_token()
    policy = policy or configured_policy()
    return token, _new_session(session, user_id, "browser", token_hash(token), client, now, step_up, policy)


def _new_session(
    session: Session,
    user_id: int,
    kind: str,
    hashed: str | None,
    client: ClientInfo,
    now: datetime,
    step_up: bool,
    policy: rules.SessionPolicy,
) -> int:
    client = client.clipped()
    absolute = policy.absolute if kind == "browser" else policy.refresh_token
    idle = policy.idle if kind == "browser" else policy.refresh_token
    row = UserSession(
        user_id=user_id,
        kind=kind,
        token_hash=hashed,
        ip=client.ip,
        user_agent=client.user_agent,
        created_at=now,
        last_seen_at=now,
        expires_at=now + absolute,
        idle_seconds=int(idle.total_seconds()),
        step_up_at=now if step_up else None,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def _end_reason(row: UserSession, now: datetime) -> str:
    return rules.end_reason(
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
        idle_seconds=row.idle_seconds,
        revoked_at=row.revoked_at,
        now=now,
    )


_ENDED = {
    "revoked": "You were signed out. Please sign in again.",
    "expired": "Your session has ended. Please sign in again.",
    "idle": "You were signed out after a period of inactivity. Please sign in again.",
}


def validate_browser(uow: UnitOfWork, token: str, now: datetime) -> Principal:
    """The principal of a live browser session; refreshes its idle timer.

    One indexed read per call; a write only when the idle timer is a minute old, so checking
    on every event does not queue behind the SQLite writer.

    Raises:
        SessionExpired: unknown, revoked, idle for too long or past its absolute lifetime.
    """
    with uow.reader() as r:
        found = r.session.exec(
            select(UserSession, User.role, User.status)
            .join(User, col(User.id) == UserSession.user_id)
            .where(UserSession.token_hash == token_hash(token), UserSession.kind == "browser")
        ).first()
    if found is None:
        raise SessionExpired(_ENDED["revoked"])
    row, role, status = found
    reason = _end_reason(row, now) or ("revoked" if status != "active" else "")
    if reason:
        raise SessionExpired(_ENDED[reason])
    assert row.id is not None
    if now - row.last_seen_at >= rules.TOUCH_EVERY:
        with uow:
            uow.session.execute(
                sa.update(_SESSIONS)
                .where(_SESSIONS.c.id == row.id, _SESSIONS.c.revoked_at.is_(None))
                .values(last_seen_at=now)
            )
            uow.commit()
    return Principal(row.user_id, role, row.id, row.kind, row.step_up_at)


def list_sessions(
    uow: UnitOfWork, user_id: int, current_id: int | None, now: datetime
) -> tuple[SessionLine, ...]:
    """The user's live sessions, newest activity first."""
    with uow.reader() as r:
        rows = r.session.exec(
            select(UserSession)
            .where(UserSession.user_id == user_id, col(UserSession.revoked_at).is_(None))
            .order_by(col(UserSession.last_seen_at).desc(), col(UserSession.id).desc())
        ).all()
    return tuple(
        SessionLine(r.id or 0, r.kind, r.ip, r.user_agent, r.created_at, r.last_seen_at, r.id == current_id)
        for r in rows
        if not _end_reason(r, now)
    )


def revoke(uow: UnitOfWork, user_id: int, session_id: int, now: datetime, *, actor: str, reason: str) -> None:
    """Revoke one of the user's sessions (a user can only name their own).

    Raises:
        NotFound: no such session of this user.
    """
    with uow:
        row = uow.session.get(UserSession, session_id)
        if row is None or row.user_id != user_id:
            raise NotFound("That session does not exist.")
        _revoke_where(uow.session, _SESSIONS.c.id == session_id, now, reason)
        audit.record(
            uow.session,
            actor=actor,
            action="auth.session_revoke",
            subject=f"user:{user_id}",
            details={"session_id": session_id, "reason": reason},
            now=now,
        )
        uow.commit()


def revoke_all(session: Session, user_id: int, now: datetime, *, reason: str, keep: int | None = None) -> int:
    """Revoke every live session of a user (but `keep`) in the caller's transaction.

    Used at password change, self-exclusion and by operators. Returns how many were revoked.
    """
    condition = sa.and_(_SESSIONS.c.user_id == user_id, _SESSIONS.c.revoked_at.is_(None))
    if keep is not None:
        condition = sa.and_(condition, _SESSIONS.c.id != keep)
    return _revoke_where(session, condition, now, reason)


def _revoke_where(session: Session, condition: sa.ColumnElement[bool], now: datetime, reason: str) -> int:
    result = session.execute(
        sa.update(_SESSIONS)
        .where(condition, _SESSIONS.c.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason[:32])
    )
    return int(getattr(result, "rowcount", 0) or 0)


def record_step_up(session: Session, session_id: int, now: datetime) -> None:
    """Note that a second-factor code was entered in this session just now."""
    session.execute(sa.update(_SESSIONS).where(_SESSIONS.c.id == session_id).values(step_up_at=now))


def require_step_up(uow: UnitOfWork, session_id: int, now: datetime) -> None:
    """Raise `StepUpRequired` unless this session entered a code in the last 5 minutes."""
    with uow.reader() as r:
        row = r.session.get(UserSession, session_id)
    if row is None or not rules.step_up_fresh(row.step_up_at, now):
        raise StepUpRequired("Confirm it is you: enter a code from your authenticator app.")


# --- mobile API tokens ---------------------------------------------------------------------


def open_api_session(
    session: Session,
    user_id: int,
    client: ClientInfo,
    now: datetime,
    *,
    step_up: bool = False,
    policy: rules.SessionPolicy = rules.DEFAULT_POLICY,
) -> TokenPair:
    """Start a token family (an "api" session) and issue its first access and refresh token."""
    session_id = _new_session(session, user_id, "api", None, client, now, step_up, policy)
    return _issue_pair(session, session_id, now, policy)


def _issue_pair(session: Session, session_id: int, now: datetime, policy: rules.SessionPolicy) -> TokenPair:
    access, refresh = new_token(), new_token()
    for kind, raw, life in (
        ("access", access, policy.access_token),
        ("refresh", refresh, policy.refresh_token),
    ):
        session.add(
            ApiToken(
                session_id=session_id,
                kind=kind,
                token_hash=token_hash(raw),
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


def refresh_tokens(
    uow: UnitOfWork, refresh_token: str, now: datetime, policy: rules.SessionPolicy = rules.DEFAULT_POLICY
) -> TokenPair:
    """Rotate: spend `refresh_token` and issue a new pair in the same family.

    Raises:
        InvalidToken: unknown, expired or revoked; or already used, which revokes the family.
    """
    with uow:
        found = uow.session.exec(
            select(ApiToken, UserSession)
            .join(UserSession, col(UserSession.id) == ApiToken.session_id)
            .where(ApiToken.token_hash == token_hash(refresh_token), ApiToken.kind == "refresh")
        ).first()
        if found is None:
            raise InvalidToken("The refresh token is not valid. Sign in again.")
        token, family = found
        if token.used_at is not None or not _spend(uow.session, token, now):
            _revoke_family(uow, family, now)
            raise InvalidToken("The refresh token was already used. Sign in again.")
        if token.expires_at <= now or _end_reason(family, now):
            raise InvalidToken("The refresh token is not valid. Sign in again.")
        assert family.id is not None
        uow.session.execute(sa.update(_SESSIONS).where(_SESSIONS.c.id == family.id).values(last_seen_at=now))
        pair = _issue_pair(uow.session, family.id, now, policy)
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
    _revoke_where(uow.session, _SESSIONS.c.id == family.id, now, "refresh_reuse")
    audit.record(
        uow.session,
        actor="system",
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
            .where(ApiToken.token_hash == token_hash(access_token), ApiToken.kind == "access")
        ).first()
    if found is None:
        raise InvalidToken("The access token is not valid.")
    token, family, role, status = found
    if token.expires_at <= now or _end_reason(family, now) or status != "active":
        raise InvalidToken("The access token has expired. Refresh it or sign in again.")
    assert family.id is not None
    return Principal(family.user_id, role, family.id, "api", family.step_up_at)


def session_owner(uow: UnitOfWork, session_id: int) -> int:
    """The user a session belongs to.

    Raises:
        NotFound: no such session.
    """
    with uow.reader() as r:
        row = r.session.get(UserSession, session_id)
    if row is None:
        raise NotFound("That session does not exist.")
    return row.user_id
