"""`/api/session`: the server sets and clears the browser's session cookie.

- `POST` swaps a fresh sign-in's one-time grant (handed to the page by the sign-in handler) for
  the session token and sets it as the `kl_session` cookie.
- `DELETE` ends the session the cookie names and clears the cookie.

The cookie is HttpOnly (no script reads it), Secure whenever the app is reached over TLS, and
SameSite=Strict: only our own pages' requests carry it (the event websocket and these calls),
never a request started by another site, and no top-level navigation needs it, since pages
are static and the identity travels with the websocket. Both calls refuse a foreign `Origin`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from casino_app.api.errors import problem_responses
from casino_app.api.v1.deps import PUBLIC, WiringDep, declared
from casino_app.api.v1.problems import ProblemRoute
from casino_app.bootstrap import Wiring
from casino_app.config import origin_of
from casino_app.domain.errors import PermissionDenied
from casino_app.services.identity import cookie_sessions

router = APIRouter(
    prefix="/api/session",
    tags=["browser"],
    route_class=ProblemRoute,
    responses=problem_responses(400, 401, 403, 413, 422, 500),
)


class GrantRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grant: str = Field(min_length=1, max_length=cookie_sessions.MAX_TOKEN)


def _same_site(request: Request, wiring: Wiring) -> None:
    """Only our own pages may set or clear the cookie (browsers always send Origin on these)."""
    origin = origin_of(request.headers.get("origin", ""))
    if not origin or origin not in {origin_of(o) for o in wiring.settings.cors_origins}:
        raise PermissionDenied("This request must come from the app's own pages.")


def _secure(request: Request, wiring: Wiring) -> bool:
    settings = wiring.settings
    return (
        request.url.scheme == "https"
        or settings.identity.public_url.startswith("https://")
        or settings.security.force_hsts
    )


@router.post("", status_code=204, openapi_extra=declared(PUBLIC))
def bind(body: GrantRequest, request: Request, wiring: WiringDep) -> Response:
    """Set the session cookie for a sign-in that just happened in one of this browser's tabs."""
    _same_site(request, wiring)
    token = cookie_sessions.exchange_grant(wiring.uow(), body.grant, wiring.now())
    response = Response(status_code=204)
    response.set_cookie(
        cookie_sessions.COOKIE,
        token,
        path="/",
        httponly=True,
        secure=_secure(request, wiring),
        samesite="strict",
    )
    return response


@router.delete("", status_code=204, openapi_extra=declared("authenticated"))
def unbind(request: Request, wiring: WiringDep) -> Response:
    """Sign this browser out: end the cookie's session (if live) and clear the cookie."""
    _same_site(request, wiring)
    token = cookie_sessions.read(request.headers.get("cookie", ""))
    cookie_sessions.sign_out_cookie(wiring.uow(), token, wiring.now())
    response = Response(status_code=204)
    response.delete_cookie(
        cookie_sessions.COOKIE, path="/", httponly=True, secure=_secure(request, wiring), samesite="strict"
    )
    return response
