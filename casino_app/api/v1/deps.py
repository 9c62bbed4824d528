"""Who is calling: the bearer access token, and the permission each route declares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from casino_app.adapters.clock import clock
from casino_app.domain.errors import InvalidToken
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.identity import sessions
from casino_app.services.identity.sessions import ClientInfo, Principal

PUBLIC = "public"


def client_info(request: Request) -> ClientInfo:
    """The caller's address and user agent, as the server saw them."""
    ip = request.client.host if request.client else ""
    return ClientInfo(ip, request.headers.get("user-agent", "")).clipped()


def bearer_token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("Send an access token: Authorization: Bearer <token>.")
    return token.strip()


def principal(request: Request) -> Principal:
    """The live access token's principal (401 otherwise)."""
    return sessions.validate_access(UnitOfWork(), bearer_token(request), clock.now())


def requires(permission: str) -> Callable[[Principal], Principal]:
    """A dependency that lets the request through only with `permission` (a denial is audited)."""

    def check(who: Annotated[Principal, Depends(principal)]) -> Principal:
        actor = f"{'player' if who.role == 'player' else 'operator'}:{who.user_id}"
        authz.enforce(UnitOfWork(), who.role, actor, permission, clock.now())
        return who

    return check


def declared(permission: str) -> dict[str, object]:
    """`openapi_extra` naming a route's permission, so the RBAC test can enumerate it."""
    return {"x-permission": permission}
