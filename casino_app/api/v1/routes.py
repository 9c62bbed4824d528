"""v1 routes: register, login (with a TOTP code when 2FA is on), refresh, logout, the account.

Route functions are plain `def`: FastAPI runs them in a worker thread, so argon2 never
blocks the event loop. Every route that reads private data or acts names its permission and
hands the caller's `Actor` to the services; units of work come from the app's wiring.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from casino_app.api.errors import MAX_ID
from casino_app.api.v1 import schemas
from casino_app.api.v1.deps import PUBLIC, WiringDep, actor_of, client_info, declared, principal, requires
from casino_app.api.v1.problems import RESPONSES, ProblemRoute
from casino_app.domain.errors import InvalidInput
from casino_app.domain.identity.actor import Actor
from casino_app.services.identity.accounts import registration
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.services.identity.credentials import mfa
from casino_app.services.identity.sessions import api_tokens, signin
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions.api_tokens import TokenPair
from casino_app.services.identity.sessions.server import ClientInfo, Principal

router = APIRouter(prefix="/api/v1", tags=["v1"], route_class=ProblemRoute, responses=RESPONSES)
Client = Annotated[ClientInfo, Depends(client_info)]
Account = Annotated[Actor, Depends(requires("player.account"))]
SessionId = Annotated[int, Path(ge=1, le=MAX_ID, description="A session id from GET /me/sessions")]


def _tokens(pair: TokenPair) -> schemas.TokenResponse:
    return schemas.TokenResponse(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.access_expires_in,
        refresh_expires_in=pair.refresh_expires_in,
    )


REGISTERED = "Check your email to confirm the address, then sign in with POST /api/v1/auth/login."


@router.post("/auth/register", status_code=202, openapi_extra=declared(PUBLIC))
def register(body: schemas.RegisterRequest, client: Client, wiring: WiringDep) -> dict[str, str]:
    """Ask for a player account: always 202 and the same body, then sign in with /auth/login.

    A new address gets its account and a confirmation mail; an address that already has an
    account gets a mail telling its owner, and nothing is created. The answer is the same
    for both (no 201-versus-409 oracle: registration never tells whether an address is
    registered), so it carries no tokens. Bad input is 422 and too many registrations from
    one address 429, whichever the address.
    """
    cmd = registration.RegisterPlayer(
        body.email,
        body.password,
        body.birth_date,
        body.currency,
        full_name=body.full_name,
        country=body.country,
        phone=body.phone,
        terms_version=body.terms_version,
        privacy_version=body.privacy_version,
    )
    registration.register_player(wiring.uow(), cmd, wiring.now(), client)
    return {"detail": REGISTERED}


@router.post("/auth/login", openapi_extra=declared(PUBLIC))
def login(body: schemas.LoginRequest, client: Client, wiring: WiringDep) -> schemas.TokenResponse:
    """Sign in; with 2FA on, send `code` too (401 `mfa_required` without it)."""
    now = wiring.now()
    proof = signin.verify_password(wiring.uow(), body.email, body.password, now, client)
    return _tokens(signin.sign_in_api(wiring.uow(), proof, now, client, code=body.code))


@router.post("/auth/refresh", openapi_extra=declared(PUBLIC))
def refresh(body: schemas.RefreshRequest, wiring: WiringDep) -> schemas.TokenResponse:
    """Rotate the refresh token; a reused one revokes its whole family (401 `invalid_token`)."""
    return _tokens(api_tokens.refresh_tokens(wiring.uow(), body.refresh_token, wiring.now()))


@router.post("/auth/password-reset", status_code=202, openapi_extra=declared(PUBLIC))
def password_reset(body: schemas.PasswordResetRequest, client: Client, wiring: WiringDep) -> dict[str, str]:
    """Email a reset link when the account exists; the answer never tells."""
    accounts.request_password_reset(wiring.uow(), body.email, wiring.now(), client)
    return {"detail": "If an account uses this address, we have sent it a link."}


@router.post("/auth/logout", status_code=204, openapi_extra=declared("authenticated"))
def logout(who: Annotated[Principal, Depends(principal)], wiring: WiringDep) -> Response:
    """End this token family (the access and refresh tokens stop working)."""
    signin.sign_out(wiring.uow(), actor_of(who), wiring.now())
    return Response(status_code=204)


@router.get("/me", openapi_extra=declared("player.account"))
def me(actor: Account, wiring: WiringDep) -> schemas.MeResponse:
    """The signed-in player's account, with the previous login time and address."""
    view = accounts.account_view(wiring.uow(), actor)
    return schemas.MeResponse(
        id=view.id,
        email=view.email,
        full_name=view.full_name,
        country=view.country,
        email_verified=view.email_verified,
        mfa_enabled=view.mfa_enabled,
        previous_login_at=view.previous_login_at,
        previous_login_ip=view.previous_login_ip,
    )


@router.get("/me/sessions", openapi_extra=declared("player.account"))
def my_sessions(actor: Account, wiring: WiringDep) -> list[schemas.SessionResponse]:
    """The player's live sessions (browsers and devices)."""
    lines = sessions.list_sessions(wiring.uow(), actor, wiring.now())
    return [schemas.SessionResponse(**asdict(line)) for line in lines]


@router.delete("/me/sessions/{session_id}", status_code=204, openapi_extra=declared("player.account"))
def revoke_session(session_id: SessionId, actor: Account, wiring: WiringDep) -> Response:
    """Sign one of the player's sessions out."""
    sessions.revoke(wiring.uow(), actor, session_id, wiring.now(), reason="player")
    return Response(status_code=204)


@router.post("/me/step-up", status_code=204, openapi_extra=declared("player.account"))
def step_up(body: schemas.StepUpRequest, actor: Account, wiring: WiringDep) -> Response:
    """Confirm it is you before a sensitive action: a TOTP code (2FA on) or the password (2FA off)."""
    now = wiring.now()
    if body.code:
        mfa.step_up(wiring.uow(), actor, body.code, now)
    elif body.password:
        accounts.step_up_with_password(wiring.uow(), actor, body.password, now)
    else:
        raise InvalidInput("Send a code or your password.")
    return Response(status_code=204)
