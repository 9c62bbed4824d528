"""Who is signed in. Identity and role live in backend-only vars."""

from __future__ import annotations

import reflex as rx

from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz, identity, wallet
from casino_app.ui import routes
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now


class SessionState(rx.State):
    """The signed-in user; handlers in other states read it through `get_state`."""

    _user_id: int | None = None
    _role: str = ""
    email: str = ""
    balance_text: str = ""
    previous_login_text: str = ""
    is_player: bool = False
    is_operator: bool = False
    auth_error: str = ""

    def player_id(self) -> int | None:
        """The player's id, or None when nobody (or an operator) is signed in."""
        return self._user_id if self._role == "player" else None

    def role(self) -> str | None:
        return self._role or None

    def _sign_in(self, user_id: int, role: str, email: str, previous: str) -> None:
        self._user_id, self._role, self.email = user_id, role, email
        self.is_player = role == "player"
        self.is_operator = authz.is_operator(role)
        self.previous_login_text = previous
        self.auth_error = ""

    @rx.event
    def clear_error(self) -> None:
        self.auth_error = ""

    @rx.event
    async def login(self, form: dict[str, str]):
        """Player login; operators use their own page."""
        try:
            user = await call(
                identity.authenticate, UnitOfWork(), form.get("email", ""), form.get("password", ""), now()
            )
        except Exception as err:
            self.auth_error = message(err)
            return
        if user.role != "player":
            self.auth_error = "Operators sign in at the back office."
            return
        self._sign_in(user.id, user.role, user.email, when(user.previous_login_at))
        await self.refresh_balance()
        return rx.redirect(routes.LOBBY)

    @rx.event
    async def operator_login(self, form: dict[str, str]):
        try:
            user = await call(
                identity.authenticate, UnitOfWork(), form.get("email", ""), form.get("password", ""), now()
            )
        except Exception as err:
            self.auth_error = message(err)
            return
        if not authz.is_operator(user.role):
            self.auth_error = "This sign-in is for operators only."
            return
        self._sign_in(user.id, user.role, user.email, when(user.previous_login_at))
        return rx.redirect(routes.OPS_DASHBOARD)

    @rx.event
    async def register(self, form: dict[str, str]):
        try:
            birth = identity.parse_birth_date(form.get("birth_date", ""))
            cmd = identity.RegisterPlayer(form.get("email", ""), form.get("password", ""), birth)
            user = await call(identity.register_player, UnitOfWork(), cmd, now())
        except Exception as err:
            self.auth_error = message(err)
            return
        self._sign_in(user.id, user.role, user.email, "")
        await self.refresh_balance()
        return [rx.toast.success("Welcome to Kasyno Lotto!"), rx.redirect(routes.WALLET)]

    @rx.event
    def logout(self):
        self._user_id, self._role = None, ""
        self.email = self.balance_text = self.previous_login_text = ""
        self.is_player = self.is_operator = False
        return rx.redirect(routes.LOGIN)

    async def refresh_balance(self) -> None:
        uid = self.player_id()
        if uid is not None:
            self.balance_text = (await call(wallet.cash_balance, UnitOfWork(), uid)).text

    @rx.event
    async def guard_player(self):
        """on_load for player pages: redirect when not signed in; refresh the balance."""
        if self.player_id() is None:
            return rx.redirect(routes.LOGIN)
        await self.refresh_balance()

    @rx.event
    def guard_operator(self):
        if not authz.allowed(self.role(), "ops.dashboard.view"):
            return rx.redirect(routes.OPS_LOGIN)
