"""`/api/session`: the server sets and clears the browser's session cookie.

- `POST` swaps a fresh sign-in's one-time grant (handed to the page by the sign-in handler) for
  the session token and sets it as the `kl_session` cookie.
- `DELETE` ends the session the cookie names and clears the cookie.
- `GET /csrf` gives the page's own scripts the session's CSRF token (and the server's clock),
  which they send with the cookie when they call the API themselves (the offline ticket queue).

The cookie is HttpOnly (no script reads it), Secure whenever the app is reached over TLS, and
SameSite=Strict: only our own pages' requests carry it (the event websocket and these calls),
never a request started by another site, and no top-level navigation needs it, since pages
are static and the identity travels with the websocket. Both calls refuse a foreign `Origin`.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from casino_app.api.errors import problem_responses
from casino_app.api.v1.deps import PUBLIC, WiringDep, csrf_key, declared, is_own_origin
from casino_app.api.v1.problems import ProblemRoute
from casino_app.bootstrap import Wiring
from casino_app.domain.errors import InvalidToken, PermissionDenied
from casino_app.domain.identity import csrf
from casino_app.services.identity.sessions import cookies as cookie_sessions
from casino_app.services.identity.sessions import server as sessions

router = APIRouter(
    prefix="/api/session",
    tags=["browser"],
    route_class=ProblemRoute,
    responses=problem_responses(400, 401, 403, 413, 422, 500),
)


class GrantRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grant: str = Field(min_length=1, max_length=cookie_sessions.MAX_TOKEN)


class CsrfResponse(BaseModel):
    csrf_token: str
    header: str = csrf.HEADER
    server_now: datetime


def _same_site(request: Request, wiring: Wiring) -> None:
    """Only our own pages may set or clear the cookie (browsers always send Origin on these)."""
    if not is_own_origin(request, wiring):
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


@router.get("/csrf", openapi_extra=declared("authenticated"))
def csrf_token(request: Request, wiring: WiringDep) -> CsrfResponse:
    """The CSRF token of the cookie's session, for our own pages' scripts (401 without a session).

    A same-origin GET carries no Origin, so a browser's `Sec-Fetch-Site` decides; another site
    could not read the answer anyway, and the token is worthless without the cookie.
    """
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise PermissionDenied("This request must come from the app's own pages.")
    token = cookie_sessions.read(request.headers.get("cookie", ""))
    if not token:
        raise InvalidToken("Sign in first: this browser has no session.")
    who = sessions.validate_browser(wiring.uow(), token, wiring.now())
    return CsrfResponse(csrf_token=csrf.csrf_token(csrf_key(wiring), who.session_id), server_now=wiring.now())
