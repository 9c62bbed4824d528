"""Back office: operator accounts (admins) and player access (support). Handlers check permissions."""

from __future__ import annotations

import reflex as rx

from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.backoffice import operators
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now
from casino_app.ui.state.guard import requires
from casino_app.ui.state.session import SessionState, field

ROLE_LABELS = {
    "support": "Support",
    "kyc_officer": "KYC officer",
    "finance": "Finance",
    "risk_compliance": "Risk & compliance",
    "admin": "Administrator",
}


async def _actor(state: rx.State) -> operators.Actor:
    session = await state.get_state(SessionState)
    user_id, role = session.user_id(), session.role()
    assert user_id is not None and role is not None  # `requires` checked the session
    return operators.Actor(user_id, role)


class OperatorsState(rx.State):
    operators: list[dict[str, str]] = []
    roles: list[list[str]] = [[k, v] for k, v in ROLE_LABELS.items()]
    error: str = ""

    @rx.event
    @requires("ops.operators.manage")
    async def load(self) -> None:
        lines = await call(operators.list_operators, UnitOfWork(), await _actor(self), now())
        self.operators = [
            {
                "email": o.email,
                "role": ROLE_LABELS.get(o.role, o.role),
                "mfa": "TOTP on" if o.mfa_enabled else "TOTP at first sign-in",
                "created": when(o.created_at),
                "last_login": when(o.last_login_at) or "never",
            }
            for o in lines
        ]

    @rx.event
    @requires("ops.operators.manage")
    async def invite(self, form: dict[str, str]):
        try:
            user = await call(
                operators.invite_operator,
                UnitOfWork(),
                await _actor(self),
                field(form, "email"),
                field(form, "role"),
                now(),
            )
        except Exception as err:
            self.error = message(err)
            return None
        self.error = ""
        await self.load()
        return [
            rx.toast.success(f"{user.email} is invited; the link to set a password is in the outbox."),
            rx.set_value("invite-email", ""),
        ]


class PlayersState(rx.State):
    found: dict[str, str] = {}
    error: str = ""
    can_unlock: bool = False
    can_revoke: bool = False
    _player_id: int | None = None

    @rx.event
    @requires("ops.players.view")
    async def search(self, form: dict[str, str]):
        actor = await _actor(self)
        self.can_unlock = authz.allowed(actor.role, "ops.players.unlock")
        self.can_revoke = authz.allowed(actor.role, "ops.players.revoke_sessions")
        try:
            view = await call(operators.find_player, UnitOfWork(), actor, field(form, "email"), now())
        except Exception as err:
            self.found, self._player_id, self.error = {}, None, message(err)
            return
        self._player_id, self.error = view.id, ""
        self.found = {
            "id": str(view.id),
            "email": view.email,
            "status": view.status,
            "locked": "Locked" if view.locked else "",
            "mfa": "On" if view.mfa_enabled else "Off",
            "verified": "Verified" if view.email_verified else "Not verified",
            "sessions": str(view.live_sessions),
            "last_login": when(view.last_login_at) or "never",
        }

    async def _refresh(self, actor: operators.Actor) -> None:
        view = await call(operators.find_player, UnitOfWork(), actor, self.found.get("email", ""), now())
        self.found = {
            **self.found,
            "locked": "Locked" if view.locked else "",
            "sessions": str(view.live_sessions),
        }

    @rx.event
    @requires("ops.players.unlock")
    async def unlock(self, form: dict[str, str]):
        if self._player_id is None:
            return rx.toast.error("Find a player first.")
        actor = await _actor(self)
        try:
            await call(
                operators.unlock_player, UnitOfWork(), actor, self._player_id, field(form, "reason"), now()
            )
            await self._refresh(actor)
        except Exception as err:
            self.error = message(err)
            return None
        self.error = ""
        return rx.toast.success("The account is unlocked.")

    @rx.event
    @requires("ops.players.revoke_sessions")
    async def revoke_sessions(self, form: dict[str, str]):
        if self._player_id is None:
            return rx.toast.error("Find a player first.")
        actor = await _actor(self)
        try:
            ended = await call(
                operators.revoke_player_sessions,
                UnitOfWork(),
                actor,
                self._player_id,
                field(form, "reason"),
                now(),
            )
            await self._refresh(actor)
        except Exception as err:
            self.error = message(err)
            return None
        self.error = ""
        return rx.toast.success(f"{ended} session{'s' if ended != 1 else ''} signed out.")
