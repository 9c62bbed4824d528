"""Who is calling: the wiring, the bearer access token (or, where a route allows it, the browser's
session cookie with its CSRF token), and the actor each route hands on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from casino_app.api.v1.problems import CsrfRejected
from casino_app.bootstrap import Wiring
from casino_app.config import origin_of
from casino_app.domain.errors import InvalidToken
from casino_app.domain.identity import csrf
from casino_app.domain.identity.actor import Actor
from casino_app.services import authz
from casino_app.services.identity.sessions import api_tokens
from casino_app.services.identity.sessions import cookies as cookie_sessions
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions.server import ClientInfo, Principal
from casino_app.services.security import denials

PUBLIC = "public"


def get_wiring(request: Request) -> Wiring:
    """The wiring `create_api` was built with."""
    wiring: Wiring = request.app.state.wiring
    return wiring


WiringDep = Annotated[Wiring, Depends(get_wiring)]


def client_info(request: Request) -> ClientInfo:
    """The caller's address and user agent, as the server saw them."""
    ip = request.client.host if request.client else ""
    return ClientInfo(ip, request.headers.get("user-agent", "")).clipped()


def bearer_token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("Send an access token: Authorization: Bearer <token>.")
    return token.strip()


def principal(request: Request, wiring: WiringDep) -> Principal:
    """The live access token's principal (401 otherwise)."""
    return api_tokens.validate_access(wiring.uow(), bearer_token(request), wiring.now())


def is_own_origin(request: Request, wiring: Wiring) -> bool:
    """Whether the request's `Origin` is one of the app's own (browsers send it on every POST)."""
    origin = origin_of(request.headers.get("origin", ""))
    return bool(origin) and origin in {origin_of(o) for o in wiring.settings.cors_origins}


def csrf_key(wiring: Wiring) -> bytes:
    return csrf.csrf_key(wiring.keys.index_key())


def cookie_principal(request: Request, wiring: Wiring) -> Principal:
    """The browser session of the `kl_session` cookie, for a call our own page's script made.

    Raises:
        InvalidToken: no session cookie.
        CsrfRejected: a foreign or missing Origin, or no / a wrong CSRF token for this session.
        SessionExpired: the cookie's session has ended.
    """
    token = cookie_sessions.read(request.headers.get("cookie", ""))
    if not token:
        raise InvalidToken("Send an access token: Authorization: Bearer <token>.")
    if not is_own_origin(request, wiring):
        raise CsrfRejected("This request must come from the app's own pages.")
    presented = request.headers.get(csrf.HEADER, "")
    if not presented:
        raise CsrfRejected(f"Send the session's {csrf.HEADER} header (GET /api/session/csrf).")
    who = sessions.validate_browser(wiring.uow(), token, wiring.now())
    if not csrf.csrf_matches(csrf_key(wiring), who.session_id, presented):
        raise CsrfRejected(f"The {csrf.HEADER} header does not belong to this session.")
    return who


def bearer_or_cookie(request: Request, wiring: WiringDep) -> Principal:
    """The bearer token's principal when one is sent, else the CSRF-checked browser session."""
    if request.headers.get("authorization") or not cookie_sessions.read(request.headers.get("cookie", "")):
        return principal(request, wiring)
    return cookie_principal(request, wiring)


def actor_of(who: Principal) -> Actor:
    if who.role == authz.PLAYER:
        return Actor.player(who.user_id, who.session_id)
    return Actor.operator(who.user_id, who.role, who.session_id)


def requires(permission: str, *, browser: bool = False) -> Callable[..., Actor]:
    """A dependency that lets the request through only with `permission` (a denial is audited).

    Args:
        permission: the permission the route needs.
        browser: the app's own pages may call it with the session cookie and its CSRF token.
    """
    who_is = bearer_or_cookie if browser else principal

    # A default, not Annotated: the dependency is a local, which string annotations cannot name.
    def check(wiring: WiringDep, who: Principal = Depends(who_is)) -> Actor:
        actor = actor_of(who)
        # Denials are aggregated per token family, so a client cannot flood the audit log.
        authz.enforce(wiring.uow(), actor, permission, source=denials.source_of("api", str(who.session_id)))
        return actor

    return check


def declared(permission: str) -> dict[str, object]:
    """`openapi_extra` naming a route's permission, so the RBAC test can enumerate it."""
    return {"x-permission": permission}
