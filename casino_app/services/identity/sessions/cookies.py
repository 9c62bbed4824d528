"""A signed-in browser is its HttpOnly session cookie; the Reflex tab only caches who that is.

A sign-in in a tab creates the browser session (`user_sessions`) with a token that serves once
as a *grant*: the page posts it to `POST /api/session`, which swaps it for a fresh token (the
session row keeps its id, lifetimes and step-up; only the stored hash changes) and sets that
as the cookie. Every event then validates the cookie its websocket carried
(`sessions.validate_browser`): idle and absolute limits and revocation work as before, in every
tab of that browser, and a copied websocket client token is worth nothing without the cookie.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import sqlalchemy as sa

from casino_app.domain.errors import SessionExpired
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import Role, SessionKind
from casino_app.persistence.tables import UserSession
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.identity.accounts import users
from casino_app.services.identity.sessions import server as sessions

COOKIE = "kl_session"
# A grant is swapped right after sign-in (or once the new recovery codes are saved).
GRANT_LIFETIME = timedelta(minutes=10)
MAX_TOKEN = 128
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_\-]+")  # token_urlsafe's alphabet
_SESSIONS = UserSession.__table__  # type: ignore[attr-defined]
_AGAIN = "Please sign in again."


def read(cookie_header: str) -> str:
    """The session token in a `Cookie:` header ("" when there is none or it is malformed).

    Parsed by hand: one odd cookie of another app on the same host must not sign anyone out
    (`http.cookies` gives up on the whole header).
    """
    for part in (cookie_header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name == COOKIE:
            value = value.strip().strip('"')
            return value if 0 < len(value) <= MAX_TOKEN and _TOKEN_CHARS.fullmatch(value) else ""
    return ""


def exchange_grant(uow: UnitOfWork, grant: str, now: datetime) -> str:
    """Swap a fresh sign-in's one-time grant for the token the browser keeps as its cookie.

    Compare-and-set on the stored hash: a grant works once, only for a live browser session
    signed in within `GRANT_LIFETIME`.

    Raises:
        SessionExpired: unknown, used, revoked or stale grant.
    """
    if not 0 < len(grant) <= MAX_TOKEN:
        raise SessionExpired(_AGAIN)
    token = sessions.new_token()
    with uow:
        result = uow.session.execute(
            sa.update(_SESSIONS)
            .where(
                _SESSIONS.c.token_hash == sessions.token_hash(grant),
                _SESSIONS.c.kind == SessionKind.BROWSER,
                _SESSIONS.c.revoked_at.is_(None),
                _SESSIONS.c.created_at >= now - GRANT_LIFETIME,
                _SESSIONS.c.expires_at > now,
            )
            .values(token_hash=sessions.token_hash(token), last_seen_at=now)
        )
        if int(getattr(result, "rowcount", 0) or 0) != 1:
            raise SessionExpired(_AGAIN)
        uow.commit()
    return token


def holder(uow: UnitOfWork, actor: Actor) -> UserView:
    """The signed-in person's own user view (a player or an operator), for a tab taking the session up.

    Raises:
        PermissionDenied: nobody is signed in.
    """
    with uow.reader() as r:
        return users.user_view(uow.context.keys, users.load(r.session, actor.person_id()))


def actor_of(who: sessions.Principal) -> Actor:
    """The actor of a validated browser session."""
    if who.role == Role.PLAYER:
        return Actor.player(who.user_id, who.session_id)
    return Actor.operator(who.user_id, who.role, who.session_id)


def sign_out_cookie(uow: UnitOfWork, token: str, now: datetime) -> None:
    """End the session a cookie names, if it is still live (logout from a page)."""
    if not token:
        return
    try:
        who = sessions.validate_browser(uow, token, now)
    except SessionExpired:
        return
    sessions.end_session(uow, actor_of(who), who.session_id, now, reason="logout")
