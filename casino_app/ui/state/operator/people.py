"""Back office: operator accounts (admins) and player access (support). Handlers check permissions."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import Role
from casino_app.services import authz
from casino_app.services.backoffice import operators
from casino_app.services.dto import OperatorLine, PlayerSecurityView
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.session import SessionState, field

ROLE_LABELS = {
    Role.SUPPORT: "Support",
    Role.KYC_OFFICER: "KYC officer",
    Role.FINANCE: "Finance",
    Role.RISK_COMPLIANCE: "Risk & compliance",
    Role.ADMIN: "Administrator",
}


@dataclass(frozen=True)
class RoleOption:
    value: str = ""
    label: str = ""


@dataclass(frozen=True)
class OperatorRow:
    email: str = ""
    role: str = ""
    mfa: str = ""
    created: str = ""
    last_login: str = ""


@dataclass(frozen=True)
class PlayerRow:
    """The player support found; empty (`email == ""`) before a search."""

    id: str = ""
    email: str = ""
    status: str = ""
    locked: bool = False
    mfa: str = ""
    verified: str = ""
    sessions: str = ""
    last_login: str = ""


def _operator_row(o: OperatorLine) -> OperatorRow:
    return OperatorRow(
        o.email,
        ROLE_LABELS.get(o.role, o.role),  # a StrEnum key matches its stored string
        "TOTP on" if o.mfa_enabled else "TOTP at first sign-in",
        when(o.created_at),
        when(o.last_login_at) or "never",
    )


def _player_row(view: PlayerSecurityView) -> PlayerRow:
    return PlayerRow(
        str(view.id),
        view.email,
        view.status,
        view.locked,
        "On" if view.mfa_enabled else "Off",
        "Verified" if view.email_verified else "Not verified",
        str(view.live_sessions),
        when(view.last_login_at) or "never",
    )


async def _actor(state: rx.State) -> Actor:
    return (await state.get_state(SessionState))._actor()


class OperatorsState(rx.State):
    operators: list[OperatorRow] = []
    roles: list[RoleOption] = [RoleOption(role.value, label) for role, label in ROLE_LABELS.items()]
    error: str = ""

    @rx.event
    @requires("ops.operators.manage")
    async def load(self) -> None:
        lines = await call(operators.list_operators, uow(), await _actor(self))
        self.operators = [_operator_row(o) for o in lines]

    @rx.event
    @requires("ops.operators.manage")
    async def invite(self, form: dict[str, str]):
        try:
            user = await call(
                operators.invite_operator,
                uow(),
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
    found: PlayerRow = PlayerRow()
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
            view = await call(operators.find_player, uow(), actor, field(form, "email"), now())
        except Exception as err:
            self.found, self._player_id, self.error = PlayerRow(), None, message(err)
            return
        self._player_id, self.error = view.id, ""
        self.found = _player_row(view)

    async def _refresh(self, actor: Actor) -> None:
        self.found = _player_row(await call(operators.find_player, uow(), actor, self.found.email, now()))

    @rx.event
    @requires("ops.players.unlock")
    async def unlock(self, form: dict[str, str]):
        if self._player_id is None:
            return rx.toast.error("Find a player first.")
        actor = await _actor(self)
        try:
            await call(operators.unlock_player, uow(), actor, self._player_id, field(form, "reason"), now())
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
                operators.revoke_player_sessions, uow(), actor, self._player_id, field(form, "reason"), now()
            )
            await self._refresh(actor)
        except Exception as err:
            self.error = message(err)
            return None
        self.error = ""
        return rx.toast.success(f"{ended} session{'s' if ended != 1 else ''} signed out.")
