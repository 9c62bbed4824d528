"""Who is signed in: the browser's session cookie, validated on every event.

The session is a server-side record (`user_sessions`) whose token the browser keeps in an
HttpOnly cookie set by `POST /api/session` (`services/identity/sessions/cookies.py`). Its
websocket carries the cookie; `SessionGuard` (ui/state/session/connection.py) validates it before every
event, so every tab of that browser is signed in, idle and absolute expiry and revocation take
effect on the next event, and a connection from another browser (a copied client token,
without the cookie) gets nothing. Identity and role are cached in backend-only vars. Handlers
that read private data or act still check their permission (`requires`).

Only `@rx.event` methods are public: any connected client can call any public method.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

import reflex as rx

from casino_app.domain.errors import (
    AccountLocked,
    DomainError,
    PermissionDenied,
    SessionExpired,
)
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.rules import PRIVACY_VERSION, TERMS_VERSION
from casino_app.domain.identity.vocabulary import Role
from casino_app.services import authz
from casino_app.services.dto import PasswordProof, UserView
from casino_app.services.identity.accounts import registration
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.services.identity.sessions import cookies as cookie_sessions
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions import signin
from casino_app.services.identity.sessions.server import ClientInfo, Principal
from casino_app.services.money import wallet
from casino_app.services.security import denials
from casino_app.ui import routes
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.session import tab
from casino_app.ui.state.session.locale import formats_of, lang_of

FORM_LIMIT = 512  # no form field we read is longer; anything bigger is cut before the services see it


def field(form: dict[str, str], name: str) -> str:
    """One form value as text, cut to a sane size (the services validate it properly)."""
    value = form.get(name, "")
    return (value if isinstance(value, str) else str(value))[:FORM_LIMIT]


class SessionState(rx.State):
    """The signed-in user; handlers in other states read it through `get_state`."""

    _user_id: int | None = None
    _role: str = ""
    _session_id: int | None = None
    # The browser this tab belongs to: the digest of the session cookie it was signed in with.
    _owner: str = ""
    # A sign-in's one-time grant, kept while new recovery codes are shown, and where to go then.
    _grant: str = ""
    _grant_target: str = ""
    _proof: PasswordProof | None = None
    # The previous sign-in, kept raw so a language or zone switch formats it anew.
    _previous_at: datetime | None = None
    _previous_ip: str = ""
    email: str = ""
    balance_text: str = ""
    previous_login_text: str = ""
    is_player: bool = False
    is_operator: bool = False
    can_manage_operators: bool = False
    auth_error: str = ""
    auth_notice: str = ""
    # The login form's step: password | code | locked | enroll | recovery.
    login_step: str = "password"
    login_email: str = ""
    enroll_qr: str = ""
    enroll_secret: str = ""
    recovery_codes: list[str] = []

    # --- identity, for other states -----------------------------------------------------

    def _signed_in_id(self) -> int | None:
        """The signed-in person's id (player or operator), or None."""
        return self._user_id if self._session_id is not None else None

    def _player_id(self) -> int | None:
        """The player's id, or None when nobody (or an operator) is signed in."""
        return self._user_id if self._role == Role.PLAYER and self._session_id is not None else None

    def _actor(self) -> Actor:
        """The caller as the services see it: the signed-in person with this session, or anonymous."""
        if self._user_id is None or self._session_id is None or not self._role:
            return Actor.anonymous()
        if self._role == Role.PLAYER:
            return Actor.player(self._user_id, self._session_id)
        return Actor.operator(self._user_id, self._role, self._session_id)

    def _client(self) -> ClientInfo:
        """The browser's address and user agent as the server saw them."""
        return ClientInfo(self.router.session.client_ip, self.router.headers.user_agent).clipped()

    def _source(self) -> str:
        """This tab's connection as denials are counted and audited (a hash of its client token)."""
        return denials.source_of("tab", self.router.session.client_token)

    def _foreign(self) -> bool:
        """The tab is owned by a browser whose cookie this connection does not carry."""
        return bool(self._owner) and tab.digest(tab.cookie_token(self)) != self._owner

    async def _check_session(self) -> Principal | None:
        """The live session of this connection's cookie (idle, absolute, revoked); the tab follows it."""
        token = tab.cookie_token(self)
        if not token or self._foreign():
            return None
        try:
            who = await call(sessions.validate_browser, uow(), token, now())
        except SessionExpired as err:
            if self._user_id is not None:
                self._forget(message(err, await lang_of(self)))
            return None
        if (who.user_id, who.session_id) != (self._user_id, self._session_id):
            user = await call(cookie_sessions.holder, uow(), cookie_sessions.actor_of(who))
            self._show(user, who.session_id)
            self._owner = tab.digest(token)
            await self._refresh_balance()
        self._role = who.role
        return who

    async def _authorize(self, permission: str) -> Actor | None:
        """The actor when the session is live and holds `permission`; denials are audited per tab."""
        # Only a session validated on this very connection counts (not the tab's cached identity).
        actor = self._actor() if await self._check_session() is not None else Actor.anonymous()
        try:
            await call(authz.enforce, uow(), actor, permission, source=self._source())
        except PermissionDenied:
            return None
        return actor

    def _show(self, user: UserView, session_id: int) -> None:
        """Take up the signed-in person of this browser's session."""
        self._user_id, self._role, self._session_id = user.id, user.role, session_id
        self._proof = None
        self.email = user.email
        self.is_player = user.role == Role.PLAYER
        self.is_operator = authz.is_operator(user.role)
        self.can_manage_operators = authz.allowed(user.role, "ops.operators.manage")
        self._previous_at, self._previous_ip = user.previous_login_at, user.previous_login_ip
        self.auth_error = self.auth_notice = ""
        self.login_step, self.enroll_qr, self.enroll_secret = "password", "", ""

    def _forget(self, notice: str = "") -> None:
        self._user_id, self._role, self._session_id = None, "", None
        self._proof, self._grant, self._grant_target = None, "", ""
        self.email = self.balance_text = self.previous_login_text = ""
        self._previous_at, self._previous_ip = None, ""
        self.is_player = self.is_operator = self.can_manage_operators = False
        self.recovery_codes = []
        self.auth_notice = notice

    # --- forms --------------------------------------------------------------------------

    @rx.event
    def clear_error(self) -> None:
        self.auth_error = ""
        if self._user_id is None:
            self.login_step, self._proof, self.enroll_qr, self.enroll_secret = "password", None, "", ""

    @rx.event
    def back_to_password(self) -> None:
        self.login_step, self._proof, self.auth_error = "password", None, ""

    async def _check_password(self, form: dict[str, str]) -> PasswordProof | None:
        self.auth_error = self.auth_notice = ""
        self.login_email = field(form, "email").strip()
        lang = await lang_of(self)
        try:
            return await call(
                signin.verify_password,
                uow(),
                field(form, "email"),
                form.get("password", ""),
                now(),
                self._client(),
            )
        except AccountLocked as err:
            self.login_step, self.auth_error = "locked", message(err, lang)
        except Exception as err:
            self.auth_error = message(err, lang)
        return None

    async def _complete(self, proof: PasswordProof, code: str, target: str):
        """Open the browser session; the page then swaps its grant for the cookie (`tab.bind`)."""
        try:
            signed = await call(signin.sign_in, uow(), proof, now(), self._client(), code=code)
        except Exception as err:
            self.auth_error = message(err, await lang_of(self))
            return None
        self._proof, self.auth_error, self.auth_notice = None, "", ""
        if signed.recovery_codes:
            operator = authz.is_operator(signed.user.role)
            self._grant, self._grant_target = (
                signed.session_token,
                (routes.OPS_DASHBOARD if operator else routes.ACCOUNT),
            )
            self.recovery_codes, self.login_step = list(signed.recovery_codes), "recovery"
            return None
        return self._bind(signed.session_token, target)

    def _bind(self, grant: str, target: str):
        self._grant = self._grant_target = ""
        self.login_step, self.enroll_qr, self.enroll_secret = "password", "", ""
        return tab.bind(self, grant, target)

    @rx.event
    async def login(self, form: dict[str, str]):
        """Player login, step one; a second step asks for a code when 2FA is on."""
        proof = await self._check_password(form)
        if proof is None:
            return None
        if proof.role != Role.PLAYER:
            self.auth_error = text(await lang_of(self), "auth.operators_elsewhere")
            return None
        if proof.mfa_enabled:
            self._proof, self.login_step = proof, "code"
            return None
        return await self._complete(proof, "", routes.LOBBY)

    @rx.event
    async def submit_code(self, form: dict[str, str]):
        """Login step two (players and operators): the TOTP or a recovery code."""
        proof = self._proof
        if proof is None:
            self.login_step, self.auth_error = "password", text(await lang_of(self), "auth.start_again")
            return None
        target = routes.LOBBY if proof.role == Role.PLAYER else routes.OPS_DASHBOARD
        return await self._complete(proof, field(form, "code"), target)

    @rx.event
    async def operator_login(self, form: dict[str, str]):
        """Back-office sign-in: password, then TOTP (enrolled at the first sign-in)."""
        proof = await self._check_password(form)
        if proof is None:
            return None
        if not authz.is_operator(proof.role):
            self.auth_error = text(await lang_of(self), "auth.operators_only")
            return None
        self._proof = proof
        if proof.must_enroll:
            try:
                enrollment = await call(signin.begin_operator_enrollment, uow(), proof, now())
            except Exception as err:
                self.auth_error = message(err, await lang_of(self))
                return None
            self.enroll_qr, self.enroll_secret = enrollment.qr_svg_data_uri, enrollment.secret
            self.login_step = "enroll"
            return None
        self.login_step = "code"
        return None

    @rx.event
    def finish_recovery(self):
        """The person saved their recovery codes: forget them here and go on (signed in)."""
        self.recovery_codes, self.login_step = [], "password"
        if self._grant:
            return self._bind(self._grant, self._grant_target)
        return rx.redirect(routes.OPS_DASHBOARD if self.is_operator else routes.ACCOUNT)

    @rx.event
    async def unlock_with_code(self, form: dict[str, str]):
        try:
            await call(accounts.unlock_with_code, uow(), self.login_email, field(form, "code"), now())
        except Exception as err:
            self.auth_error = message(err, await lang_of(self))
            return
        self.login_step, self.auth_error = "password", ""
        self.auth_notice = text(await lang_of(self), "auth.unlocked")

    @rx.event
    async def resend_unlock(self):
        await call(accounts.resend_unlock_link, uow(), self.login_email, now())
        self.auth_notice = text(await lang_of(self), "auth.unlock_resent")

    @rx.event
    async def register(self, form: dict[str, str]):
        self.auth_error = ""
        accepted = form.get("accept", "") in ("on", "true", True)
        try:
            cmd = registration.RegisterPlayer(
                field(form, "email"),
                form.get("password", ""),
                registration.parse_birth_date(field(form, "birth_date")),
                full_name=field(form, "full_name"),
                country=field(form, "country"),
                phone=field(form, "phone"),
                terms_version=TERMS_VERSION if accepted else "",
                privacy_version=PRIVACY_VERSION if accepted else "",
            )
            # The same answer whether the address was free or taken (no account enumeration).
            await call(registration.register_player, uow(), cmd, now(), self._client())
        except Exception as err:
            self.auth_error = message(err, await lang_of(self))
            return None
        self.login_step, self.login_email = "password", field(form, "email").strip()
        self.auth_notice = text(await lang_of(self), "auth.registered")
        return rx.redirect(routes.LOGIN)

    @rx.event
    async def logout(self):
        """End the session, then have the server clear the cookie (`tab.drop`): every tab is out."""
        target = routes.OPS_LOGIN if self.is_operator else routes.LOGIN
        if self._session_id is not None and self._user_id is not None:
            # Already ended (expired or revoked): signing out here is all that is left.
            with contextlib.suppress(DomainError):
                await call(signin.sign_out, uow(), self._actor(), now())
        self._forget()
        return tab.drop(self, target)

    async def _refresh_balance(self) -> None:
        """The header's balance and the previous sign-in, formatted in the tab's language and zone."""
        uid = self._player_id()
        if uid is None:
            return
        fmt = await formats_of(self)
        line = await call(wallet.cash_balance, uow(), uid)
        self.balance_text = fmt.money(line.minor, line.currency)
        self.previous_login_text = _previous(fmt, self._previous_at, self._previous_ip)

    # --- page guards (they only redirect; handlers check for themselves) -----------------

    @rx.event
    async def guard_player(self):
        """on_load for player pages: redirect when not signed in; refresh the balance."""
        who = await self._check_session()
        if who is None or who.role != Role.PLAYER:
            return rx.redirect(routes.LOGIN)
        await self._refresh_balance()
        return None

    @rx.event
    async def guard_operator(self):
        return await self.guard_ops_page("ops.dashboard.view")

    @rx.event
    async def guard_ops_page(self, permission: str):
        """on_load for back-office pages: the page's own permission, or away."""
        who = await self._check_session()
        if who is None or not authz.is_operator(who.role):
            return rx.redirect(routes.OPS_LOGIN)
        if not authz.allowed(who.role, permission):
            return [rx.toast.error(authz.DENIED), rx.redirect(routes.OPS_DASHBOARD)]
        return None


def _previous(fmt: Formats, at: datetime | None, ip: str) -> str:
    moment = fmt.when(at)
    return text(fmt.lang, "auth.login_from", when=moment, ip=ip) if moment and ip else moment
