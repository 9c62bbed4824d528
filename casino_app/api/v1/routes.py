"""v1 routes: register, login (with a TOTP code when 2FA is on), refresh, logout, the account.

Route functions are plain `def`: FastAPI runs them in a worker thread, so argon2 never
blocks the event loop. Every route that reads private data or acts names its permission.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from casino_app.adapters.clock import clock
from casino_app.api.v1 import schemas
from casino_app.api.v1.deps import PUBLIC, client_info, declared, principal, requires
from casino_app.api.v1.problems import ProblemRoute
from casino_app.domain.errors import InvalidInput
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.identity import accounts, mfa, sessions, signin
from casino_app.services.identity.sessions import ClientInfo, Principal, TokenPair

router = APIRouter(prefix="/api/v1", tags=["v1"], route_class=ProblemRoute)
Client = Annotated[ClientInfo, Depends(client_info)]
Account = Annotated[Principal, Depends(requires("player.account"))]


def _tokens(pair: TokenPair) -> schemas.TokenResponse:
    return schemas.TokenResponse(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.access_expires_in,
        refresh_expires_in=pair.refresh_expires_in,
    )


@router.post("/auth/register", status_code=201, openapi_extra=declared(PUBLIC))
def register(body: schemas.RegisterRequest, client: Client) -> schemas.TokenResponse:
    """Create a player account and sign it in."""
    now = clock.now()
    cmd = signin.RegisterPlayer(
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
    user = signin.register_player(UnitOfWork(), cmd, now, client)
    return _tokens(signin.start_api_session_after_registration(UnitOfWork(), user.id, now, client))


@router.post("/auth/login", openapi_extra=declared(PUBLIC))
def login(body: schemas.LoginRequest, client: Client) -> schemas.TokenResponse:
    """Sign in; with 2FA on, send `code` too (401 `mfa_required` without it)."""
    now = clock.now()
    proof = signin.verify_password(UnitOfWork(), body.email, body.password, now, client)
    return _tokens(signin.sign_in_api(UnitOfWork(), proof, now, client, code=body.code))


@router.post("/auth/refresh", openapi_extra=declared(PUBLIC))
def refresh(body: schemas.RefreshRequest) -> schemas.TokenResponse:
    """Rotate the refresh token; a reused one revokes its whole family (401 `invalid_token`)."""
    return _tokens(sessions.refresh_tokens(UnitOfWork(), body.refresh_token, clock.now()))


@router.post("/auth/password-reset", status_code=202, openapi_extra=declared(PUBLIC))
def password_reset(body: schemas.PasswordResetRequest, client: Client) -> dict[str, str]:
    """Email a reset link when the account exists; the answer never tells."""
    accounts.request_password_reset(UnitOfWork(), body.email, clock.now(), client)
    return {"detail": "If an account uses this address, we have sent it a link."}


@router.post("/auth/logout", status_code=204, openapi_extra=declared("authenticated"))
def logout(who: Annotated[Principal, Depends(principal)]) -> Response:
    """End this token family (the access and refresh tokens stop working)."""
    signin.sign_out(UnitOfWork(), who.session_id, who.user_id, clock.now(), f"player:{who.user_id}")
    return Response(status_code=204)


@router.get("/me", openapi_extra=declared("player.account"))
def me(who: Account) -> schemas.MeResponse:
    """The signed-in player's account, with the previous login time and address."""
    view = accounts.account_view(UnitOfWork(), who.user_id)
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
def my_sessions(who: Account) -> list[schemas.SessionResponse]:
    """The player's live sessions (browsers and devices)."""
    lines = sessions.list_sessions(UnitOfWork(), who.user_id, who.session_id, clock.now())
    return [schemas.SessionResponse(**asdict(line)) for line in lines]


@router.delete("/me/sessions/{session_id}", status_code=204, openapi_extra=declared("player.account"))
def revoke_session(session_id: int, who: Account) -> Response:
    """Sign one of the player's sessions out."""
    sessions.revoke(
        UnitOfWork(), who.user_id, session_id, clock.now(), actor=f"player:{who.user_id}", reason="player"
    )
    return Response(status_code=204)


@router.post("/me/step-up", status_code=204, openapi_extra=declared("player.account"))
def step_up(body: schemas.StepUpRequest, who: Account) -> Response:
    """Confirm it is you before a sensitive action: a TOTP code (2FA on) or the password (2FA off)."""
    now = clock.now()
    if body.code:
        mfa.step_up(UnitOfWork(), who.user_id, who.session_id, body.code, now)
    elif body.password:
        accounts.step_up_with_password(UnitOfWork(), who.user_id, who.session_id, body.password, now)
    else:
        raise InvalidInput("Send a code or your password.")
    return Response(status_code=204)
