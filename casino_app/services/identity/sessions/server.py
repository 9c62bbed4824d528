"""Server-side sessions: browser sessions, revocation, step-up (mobile token families: `api_tokens`).

Tokens are 256-bit random values; only their SHA-256 is stored. A browser session ends after
15 minutes without activity or 12 hours after sign-in; it is revoked at logout, password
change, self-exclusion and by operators. Lifetimes come from the wiring's
`settings.identity`. A person only ever names their own sessions: the services take the
`Actor` and check that the session belongs to it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.config import IdentitySettings
from casino_app.domain.errors import NotFound, PermissionDenied, SessionExpired, StepUpRequired
from casino_app.domain.identity import sessions as rules
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import SessionKind, UserStatus
from casino_app.persistence.tables import User, UserSession
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.security import audit

TOKEN_BYTES = 32
_SESSIONS = UserSession.__table__  # type: ignore[attr-defined]


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


def session_policy(settings: IdentitySettings) -> rules.SessionPolicy:
    """The session lifetimes of a deployment (profile values from its settings)."""
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


def policy_of(uow: UnitOfWork) -> rules.SessionPolicy:
    """The session policy of the wiring `uow` belongs to."""
    return session_policy(uow.context.settings.identity)


def open_browser_session(
    uow: UnitOfWork, user_id: int, client: ClientInfo, now: datetime, *, step_up: bool = False
) -> tuple[str, int]:
    """Create a browser session in the caller's entered unit of work.

    Returns:
        (raw token for the caller to keep server-side, session id).
    """
    token = new_token()
    kind, hashed = SessionKind.BROWSER, token_hash(token)
    return token, insert_session(uow.session, user_id, kind, hashed, client, now, step_up, policy_of(uow))


def insert_session(
    session: Session,
    user_id: int,
    kind: str,
    hashed: str | None,
    client: ClientInfo,
    now: datetime,
    step_up: bool,
    policy: rules.SessionPolicy,
) -> int:
    """Insert a session row of `kind` (browser, or an API token family); returns its id."""
    client = client.clipped()
    browser = kind == SessionKind.BROWSER
    absolute = policy.absolute if browser else policy.refresh_token
    idle = policy.idle if browser else policy.refresh_token
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


def end_reason(row: UserSession, now: datetime) -> str:
    """Why the session is over at `now` ("revoked", "expired", "idle"), or "" while it lives."""
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
            .where(UserSession.token_hash == token_hash(token), UserSession.kind == SessionKind.BROWSER)
        ).first()
    if found is None:
        raise SessionExpired(_ENDED["revoked"])
    row, role, status = found
    reason = end_reason(row, now) or ("revoked" if status != UserStatus.ACTIVE else "")
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


@authz.guard("player.account")
def list_sessions(uow: UnitOfWork, actor: Actor, now: datetime) -> tuple[SessionLine, ...]:
    """The player's live sessions, newest activity first; the actor's own is marked current."""
    user_id, current_id = actor.player_id(), actor.session_id
    with uow.reader() as r:
        rows = r.session.exec(
            select(UserSession)
            .where(UserSession.user_id == user_id, col(UserSession.revoked_at).is_(None))
            .order_by(col(UserSession.last_seen_at).desc(), col(UserSession.id).desc())
        ).all()
    return tuple(
        SessionLine(r.id or 0, r.kind, r.ip, r.user_agent, r.created_at, r.last_seen_at, r.id == current_id)
        for r in rows
        if not end_reason(r, now)
    )


@authz.guard("player.account")
def revoke(uow: UnitOfWork, actor: Actor, session_id: int, now: datetime, *, reason: str = "player") -> None:
    """Sign out one of the player's own sessions (from the account page or the API).

    Raises:
        NotFound: no such session of this player (another person's looks the same).
    """
    end_session(uow, actor, session_id, now, reason=reason)


def end_session(uow: UnitOfWork, actor: Actor, session_id: int, now: datetime, *, reason: str) -> None:
    """Revoke a session of the acting person, audited (logout, or `revoke`).

    Raises:
        PermissionDenied: nobody is signed in. NotFound: not a session of the actor.
    """
    user_id = actor.person_id()
    with uow:
        row = uow.session.get(UserSession, session_id)
        if row is None or row.user_id != user_id:
            raise NotFound("That session does not exist.")
        revoke_where(uow.session, _SESSIONS.c.id == session_id, now, reason)
        audit.record(
            uow.session,
            actor=actor.audit_name,
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
    return revoke_where(session, condition, now, reason)


def revoke_where(session: Session, condition: sa.ColumnElement[bool], now: datetime, reason: str) -> int:
    """Revoke the live sessions matching `condition`; returns how many."""
    result = session.execute(
        sa.update(_SESSIONS)
        .where(condition, _SESSIONS.c.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason[:32])
    )
    return int(getattr(result, "rowcount", 0) or 0)


def own_session(session: Session, actor: Actor) -> UserSession:
    """The session the actor acts in, after checking it is theirs and not revoked.

    Raises:
        PermissionDenied: nobody is signed in, or the session belongs to someone else.
        SessionExpired: the session was revoked.
    """
    user_id = actor.person_id()
    row = session.get(UserSession, actor.session_id) if actor.session_id is not None else None
    if row is None or row.user_id != user_id:
        raise PermissionDenied("That is not your session.")
    if row.revoked_at is not None:
        raise SessionExpired(_ENDED["revoked"])
    return row


def record_step_up(session: Session, session_id: int, now: datetime) -> None:
    """Note that a second-factor code was entered in this session just now (check `own_session` first)."""
    session.execute(sa.update(_SESSIONS).where(_SESSIONS.c.id == session_id).values(step_up_at=now))


def require_step_up(uow: UnitOfWork, actor: Actor, now: datetime) -> None:
    """Refuse unless the actor's own session entered a code (or password) in the last 5 minutes.

    Raises:
        PermissionDenied: the session is not the actor's. StepUpRequired: no recent step-up.
    """
    with uow.reader() as r:
        row = own_session(r.session, actor)
    if not rules.step_up_fresh(row.step_up_at, now):
        raise StepUpRequired("Confirm it is you: enter a code from your authenticator app.")
