"""Who is signed in. Identity, role and the session token live in backend-only vars.

The session itself is a server-side record (`user_sessions`); this tab holds only its raw
token, in a backend-only var that never reaches the browser. `SessionGuard` re-validates it
before every event, so idle and absolute expiry and revocation take effect on the next event.
Handlers that read private data or act still check their permission (`requires`).
"""

from __future__ import annotations

import contextlib

import reflex as rx
from reflex.middleware import Middleware

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
from casino_app.services.dto import PasswordProof, SignedIn
from casino_app.services.identity import accounts, registration, sessions, signin
from casino_app.services.identity.sessions import ClientInfo, Principal
from casino_app.services.money import wallet
from casino_app.ui import routes
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now, uow

FORM_LIMIT = 512  # no form field we read is longer; anything bigger is cut before the services see it


def field(form: dict[str, str], name: str) -> str:
    """One form value as text, cut to a sane size (the services validate it properly)."""
    value = form.get(name, "")
    return (value if isinstance(value, str) else str(value))[:FORM_LIMIT]


class SessionState(rx.State):
    """The signed-in user; handlers in other states read it through `get_state`."""

    _user_id: int | None = None
    _role: str = ""
    _session_token: str = ""
    _session_id: int | None = None
    _proof: PasswordProof | None = None
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

    def player_id(self) -> int | None:
        """The player's id, or None when nobody (or an operator) is signed in."""
        return self._user_id if self._role == Role.PLAYER and self._session_token else None

    def user_id(self) -> int | None:
        return self._user_id if self._session_token else None

    def session_id(self) -> int | None:
        return self._session_id

    def role(self) -> str | None:
        return (self._role or None) if self._session_token else None

    def actor(self) -> Actor:
        """The caller as the services see it: the signed-in person with this session, or anonymous."""
        if self._user_id is None or not self._session_token or not self._role:
            return Actor.anonymous()
        if self._role == Role.PLAYER:
            return Actor.player(self._user_id, self._session_id)
        return Actor.operator(self._user_id, self._role, self._session_id)

    def client(self) -> ClientInfo:
        """The browser's address and user agent as the server saw them."""
        return ClientInfo(self.router.session.client_ip, self.router.headers.user_agent).clipped()

    async def check_session(self) -> Principal | None:
        """Re-validate the server-side session (idle, absolute, revoked); sign out when it ended."""
        if not self._session_token:
            return None
        try:
            who = await call(sessions.validate_browser, uow(), self._session_token, now())
        except SessionExpired as err:
            self._forget(err.message)
            return None
        if who.user_id != self._user_id:
            self._forget("Please sign in again.")
            return None
        self._role = who.role
        return who

    async def _authorize(self, permission: str) -> Actor | None:
        """The actor when the session is live and holds `permission`; a denial is audited."""
        await self.check_session()
        actor = self.actor()
        try:
            await call(authz.enforce, uow(), actor, permission)
        except PermissionDenied:
            return None
        return actor

    def _signed_in(self, signed: SignedIn) -> None:
        user = signed.user
        self._user_id, self._role = user.id, user.role
        self._session_token, self._session_id = signed.session_token, signed.session_id
        self._proof = None
        self.email = user.email
        self.is_player = user.role == Role.PLAYER
        self.is_operator = authz.is_operator(user.role)
        self.can_manage_operators = authz.allowed(user.role, "ops.operators.manage")
        self.previous_login_text = _previous(user.previous_login_at, user.previous_login_ip)
        self.auth_error = self.auth_notice = ""
        self.login_step, self.enroll_qr, self.enroll_secret = "password", "", ""

    def _forget(self, notice: str = "") -> None:
        self._user_id, self._role, self._session_token, self._session_id = None, "", "", None
        self._proof = None
        self.email = self.balance_text = self.previous_login_text = ""
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
        try:
            return await call(
                signin.verify_password,
                uow(),
                field(form, "email"),
                form.get("password", ""),
                now(),
                self.client(),
            )
        except AccountLocked as err:
            self.login_step, self.auth_error = "locked", err.message
        except DomainError as err:
            self.auth_error = message(err)
        except Exception as err:
            self.auth_error = message(err)
        return None

    async def _complete(self, proof: PasswordProof, code: str, target: str):
        try:
            signed = await call(signin.sign_in, uow(), proof, now(), self.client(), code=code)
        except Exception as err:
            self.auth_error = message(err)
            return None
        self._signed_in(signed)
        if signed.recovery_codes:
            self.recovery_codes, self.login_step = list(signed.recovery_codes), "recovery"
            return None
        await self.refresh_balance()
        return rx.redirect(target)

    @rx.event
    async def login(self, form: dict[str, str]):
        """Player login, step one; a second step asks for a code when 2FA is on."""
        proof = await self._check_password(form)
        if proof is None:
            return None
        if proof.role != Role.PLAYER:
            self.auth_error = "Operators sign in at the back office."
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
            self.login_step, self.auth_error = "password", "Please start again."
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
            self.auth_error = "This sign-in is for operators only."
            return None
        self._proof = proof
        if proof.must_enroll:
            try:
                enrollment = await call(signin.begin_operator_enrollment, uow(), proof, now())
            except Exception as err:
                self.auth_error = message(err)
                return None
            self.enroll_qr, self.enroll_secret = enrollment.qr_svg_data_uri, enrollment.secret
            self.login_step = "enroll"
            return None
        self.login_step = "code"
        return None

    @rx.event
    def finish_recovery(self):
        """The person saved their recovery codes: forget them here and go on."""
        self.recovery_codes, self.login_step = [], "password"
        return rx.redirect(routes.OPS_DASHBOARD if self.is_operator else routes.ACCOUNT)

    @rx.event
    async def unlock_with_code(self, form: dict[str, str]):
        try:
            await call(accounts.unlock_with_code, uow(), self.login_email, field(form, "code"), now())
        except Exception as err:
            self.auth_error = message(err)
            return
        self.login_step, self.auth_error = "password", ""
        self.auth_notice = "Your account is unlocked. Sign in with your password."

    @rx.event
    async def resend_unlock(self):
        await call(accounts.resend_unlock_link, uow(), self.login_email, now())
        self.auth_notice = "If this account is locked, a new unlock link is on its way."

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
            user = await call(registration.register_player, uow(), cmd, now(), self.client())
            signed = await call(signin.start_session_after_registration, uow(), user.id, now(), self.client())
        except Exception as err:
            self.auth_error = message(err)
            return None
        self._signed_in(signed)
        await self.refresh_balance()
        return [
            rx.toast.success("Welcome to Kasyno Lotto! Check your email to confirm it."),
            rx.redirect(routes.WALLET),
        ]

    @rx.event
    async def logout(self):
        target = routes.OPS_LOGIN if self.is_operator else routes.LOGIN
        if self._session_id is not None and self._user_id is not None:
            # Already ended (expired or revoked): signing out here is all that is left.
            with contextlib.suppress(DomainError):
                await call(signin.sign_out, uow(), self.actor(), now())
        self._forget()
        return rx.redirect(target)

    async def refresh_balance(self) -> None:
        uid = self.player_id()
        if uid is not None:
            self.balance_text = (await call(wallet.cash_balance, uow(), uid)).text

    # --- page guards (they only redirect; handlers check for themselves) -----------------

    @rx.event
    async def guard_player(self):
        """on_load for player pages: redirect when not signed in; refresh the balance."""
        who = await self.check_session()
        if who is None or who.role != Role.PLAYER:
            return rx.redirect(routes.LOGIN)
        await self.refresh_balance()
        return None

    @rx.event
    async def guard_operator(self):
        return await self.guard_ops_page("ops.dashboard.view")

    @rx.event
    async def guard_ops_page(self, permission: str):
        """on_load for back-office pages: the page's own permission, or away."""
        who = await self.check_session()
        if who is None or not authz.is_operator(who.role):
            return rx.redirect(routes.OPS_LOGIN)
        if not authz.allowed(who.role, permission):
            return [rx.toast.error(authz.DENIED), rx.redirect(routes.OPS_DASHBOARD)]
        return None


def _previous(at, ip: str) -> str:
    text = when(at)
    return f"{text} from {ip}" if text and ip else text


class SessionGuard(Middleware):
    """Before every event of a signed-in tab: is its server-side session still live?"""

    async def preprocess(self, app, state, event):
        session = await state.get_state(SessionState)
        if session._session_token:
            await session.check_session()
        return None
