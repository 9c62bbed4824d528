"""The player's account and security page: profile, last logins, 2FA, sessions, password, email.

Every handler is `@requires("player.account")`: it validates the session and the permission
itself before touching anything.
"""

from __future__ import annotations

import reflex as rx

from casino_app.domain.identity.rules import COUNTRIES
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.identity import accounts, mfa, sessions
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now
from casino_app.ui.state.guard import requires
from casino_app.ui.state.session import SessionState, field


def _device(user_agent: str) -> str:
    """A short name for a browser ("Firefox on Linux"), from its user agent."""
    ua = user_agent or ""
    browser = next(
        (
            name
            for key, name in (
                ("Edg/", "Edge"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if key in ua
        ),
        "Browser" if ua else "Unknown device",
    )
    system = next(
        (
            name
            for key, name in (
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("Windows", "Windows"),
                ("Mac OS", "macOS"),
                ("Linux", "Linux"),
            )
            if key in ua
        ),
        "",
    )
    return f"{browser} on {system}" if system else browser


class AccountState(rx.State):
    profile: dict[str, str] = {}
    email_verified: bool = True
    mfa_enabled: bool = False
    recovery_left: int = 0
    sessions: list[dict[str, str]] = []
    # 2FA enrollment in progress: the QR code and the secret, until the first code confirms it.
    enroll_qr: str = ""
    enroll_secret: str = ""
    new_codes: list[str] = []
    error: str = ""
    notice: str = ""
    section_error: dict[str, str] = {}

    def _fail(self, section: str, err: Exception) -> None:
        self.section_error = {**self.section_error, section: message(err)}

    def _ok(self, section: str, text: str):
        self.section_error = {k: v for k, v in self.section_error.items() if k != section}
        return rx.toast.success(text)

    async def _me(self) -> tuple[int, int]:
        session = await self.get_state(SessionState)
        user_id, session_id = session.user_id(), session.session_id()
        assert user_id is not None and session_id is not None  # `requires` checked the session
        return user_id, session_id

    @rx.event
    @requires("player.account")
    async def load(self) -> None:
        user_id, session_id = await self._me()
        view = await call(accounts.account_view, UnitOfWork(), user_id)
        self.profile = {
            "email": view.email,
            "full_name": view.full_name,
            "birth_date": view.birth_date,
            "country": COUNTRIES.get(view.country, view.country),
            "phone": view.phone or "—",
            "member_since": when(view.created_at),
            "this_login": _login_line(view.last_login_at, view.last_login_ip),
            "previous_login": _login_line(view.previous_login_at, view.previous_login_ip)
            or "This is your first sign-in.",
        }
        self.email_verified, self.mfa_enabled = view.email_verified, view.mfa_enabled
        self.recovery_left = view.recovery_codes_left
        await self._load_sessions(user_id, session_id)

    async def _load_sessions(self, user_id: int, session_id: int) -> None:
        lines = await call(sessions.list_sessions, UnitOfWork(), user_id, session_id, now())
        self.sessions = [
            {
                "id": str(line.id),
                "device": _device(line.user_agent) if line.kind == "browser" else "Mobile app",
                "ip": line.ip or "unknown address",
                "started": when(line.created_at),
                "last_seen": when(line.last_seen_at),
                "current": "1" if line.current else "",
            }
            for line in lines
        ]

    @rx.event
    @requires("player.account")
    async def resend_verification(self):
        user_id, _ = await self._me()
        sent = await call(accounts.resend_verification, UnitOfWork(), user_id, now())
        return rx.toast.info(
            "We sent a new link." if sent else "A link is already on its way: check your mail."
        )

    # --- two-step verification --------------------------------------------------------------

    @rx.event
    @requires("player.account")
    async def start_enrollment(self):
        user_id, _ = await self._me()
        try:
            enrollment = await call(
                mfa.begin_enrollment, UnitOfWork(), user_id, self.profile.get("email", ""), now()
            )
        except Exception as err:
            self._fail("mfa", err)
            return None
        self.enroll_qr, self.enroll_secret, self.new_codes = enrollment.qr_svg_data_uri, enrollment.secret, []
        return None

    @rx.event
    @requires("player.account")
    def cancel_enrollment(self) -> None:
        self.enroll_qr = self.enroll_secret = ""
        self.section_error = {}

    @rx.event
    @requires("player.account")
    async def confirm_enrollment(self, form: dict[str, str]):
        user_id, _ = await self._me()
        try:
            codes = await call(mfa.confirm_enrollment, UnitOfWork(), user_id, field(form, "code"), now())
        except Exception as err:
            self._fail("mfa", err)
            return None
        self.enroll_qr = self.enroll_secret = ""
        self.new_codes = list(codes)
        self.mfa_enabled, self.recovery_left = True, len(codes)
        return self._ok("mfa", "Two-step verification is on.")

    @rx.event
    @requires("player.account")
    def codes_saved(self) -> None:
        self.new_codes = []

    async def _step_up(self, section: str, form: dict[str, str]) -> bool:
        """Confirm it is the player: a TOTP code when 2FA is on, else the password."""
        user_id, session_id = await self._me()
        try:
            if self.mfa_enabled:
                await call(mfa.step_up, UnitOfWork(), user_id, session_id, field(form, "confirm"), now())
            else:
                await call(
                    accounts.step_up_with_password,
                    UnitOfWork(),
                    user_id,
                    session_id,
                    form.get("confirm", ""),
                    now(),
                )
        except Exception as err:
            self._fail(section, err)
            return False
        return True

    @rx.event
    @requires("player.account")
    async def manage_mfa(self, form: dict[str, str]):
        """With a fresh code (step-up): turn 2FA off, or replace the recovery codes."""
        if not await self._step_up("mfa", form):
            return None
        user_id, session_id = await self._me()
        turning_off = field(form, "action") == "off"
        try:
            if turning_off:
                await call(mfa.disable, UnitOfWork(), user_id, session_id, now())
            else:
                codes = await call(mfa.regenerate_recovery_codes, UnitOfWork(), user_id, session_id, now())
        except Exception as err:
            self._fail("mfa", err)
            return None
        if turning_off:
            self.mfa_enabled, self.recovery_left = False, 0
            return self._ok("mfa", "Two-step verification is off.")
        self.new_codes, self.recovery_left = list(codes), len(codes)
        return self._ok("mfa", "New recovery codes are ready; the old ones no longer work.")

    # --- sessions, password, email --------------------------------------------------------------

    @rx.event
    @requires("player.account")
    async def revoke_session(self, session_id: str):
        user_id, current = await self._me()
        try:
            target = int(session_id)
            await call(
                sessions.revoke,
                UnitOfWork(),
                user_id,
                target,
                now(),
                actor=f"player:{user_id}",
                reason="player",
            )
        except Exception as err:
            self._fail("sessions", err)
            return None
        await self._load_sessions(user_id, current)
        return self._ok("sessions", "That session is signed out.")

    @rx.event
    @requires("player.account")
    async def change_password(self, form: dict[str, str]):
        user_id, session_id = await self._me()
        try:
            ended = await call(
                accounts.change_password,
                UnitOfWork(),
                user_id,
                session_id,
                form.get("current_password", ""),
                form.get("new_password", ""),
                now(),
            )
        except Exception as err:
            self._fail("password", err)
            return None
        await self._load_sessions(user_id, session_id)
        others = f" {ended} other session{'s' if ended != 1 else ''} signed out." if ended else ""
        return [
            self._ok("password", "Your password is changed." + others),
            rx.set_value("current_password", ""),
            rx.set_value("new_password", ""),
        ]

    @rx.event
    @requires("player.account")
    async def change_email(self, form: dict[str, str]):
        if not await self._step_up("email", form):
            return None
        user_id, session_id = await self._me()
        try:
            await call(
                accounts.request_email_change,
                UnitOfWork(),
                user_id,
                session_id,
                field(form, "new_email"),
                now(),
            )
        except Exception as err:
            self._fail("email", err)
            return None
        return self._ok("email", "We sent a link to the new address. Your email changes when you open it.")


def _login_line(at, ip: str) -> str:
    text = when(at)
    return f"{text} · {ip}" if text and ip else text
