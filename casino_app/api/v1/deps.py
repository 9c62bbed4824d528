"""Who is calling: the wiring, the bearer access token, and the actor each route hands on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from casino_app.bootstrap import Wiring
from casino_app.domain.errors import InvalidToken
from casino_app.domain.identity.actor import Actor
from casino_app.services import authz
from casino_app.services.identity import api_tokens
from casino_app.services.identity.sessions import ClientInfo, Principal
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


def actor_of(who: Principal) -> Actor:
    if who.role == authz.PLAYER:
        return Actor.player(who.user_id, who.session_id)
    return Actor.operator(who.user_id, who.role, who.session_id)


def requires(permission: str) -> Callable[..., Actor]:
    """A dependency that lets the request through only with `permission` (a denial is audited)."""

    def check(who: Annotated[Principal, Depends(principal)], wiring: WiringDep) -> Actor:
        actor = actor_of(who)
        # Denials are aggregated per token family, so a client cannot flood the audit log.
        authz.enforce(wiring.uow(), actor, permission, source=denials.source_of("api", str(who.session_id)))
        return actor

    return check


def declared(permission: str) -> dict[str, object]:
    """`openapi_extra` naming a route's permission, so the RBAC test can enumerate it."""
    return {"x-permission": permission}
