"""The player's account and security page: profile, last logins, 2FA, sessions, password, email.

Every handler is `@requires("player.account")`: it validates the session and the permission
itself before touching anything, then hands the tab's `Actor` to the services.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.rules import COUNTRIES
from casino_app.domain.identity.vocabulary import SessionKind
from casino_app.services.dto import AccountView
from casino_app.services.identity import accounts, mfa, sessions
from casino_app.services.identity.sessions import SessionLine
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.guard import requires
from casino_app.ui.state.session import SessionState, field


@dataclasses.dataclass(frozen=True)
class ProfileRow:
    """The profile and sign-in lines of the account page, formatted."""

    email: str = ""
    full_name: str = ""
    birth_date: str = ""
    country: str = ""
    phone: str = ""
    member_since: str = ""
    this_login: str = ""
    previous_login: str = ""


@dataclasses.dataclass(frozen=True)
class SessionRow:
    """One live session on the account page."""

    id: str
    device: str
    ip: str
    started: str
    last_seen: str
    current: bool


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


def _profile(view: AccountView) -> ProfileRow:
    return ProfileRow(
        email=view.email,
        full_name=view.full_name,
        birth_date=view.birth_date,
        country=COUNTRIES.get(view.country, view.country),
        phone=view.phone or "—",
        member_since=when(view.created_at),
        this_login=_login_line(view.last_login_at, view.last_login_ip),
        previous_login=_login_line(view.previous_login_at, view.previous_login_ip)
        or "This is your first sign-in.",
    )


def _session_row(line: SessionLine) -> SessionRow:
    return SessionRow(
        id=str(line.id),
        device=_device(line.user_agent) if line.kind == SessionKind.BROWSER else "Mobile app",
        ip=line.ip or "unknown address",
        started=when(line.created_at),
        last_seen=when(line.last_seen_at),
        current=line.current,
    )


class AccountState(rx.State):
    profile: ProfileRow = ProfileRow()
    email_verified: bool = True
    mfa_enabled: bool = False
    recovery_left: int = 0
    sessions: list[SessionRow] = []
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

    async def _me(self) -> Actor:
        """The signed-in player (`requires` has checked the session and the permission)."""
        return (await self.get_state(SessionState))._actor()

    @rx.event
    @requires("player.account")
    async def load(self) -> None:
        me = await self._me()
        view = await call(accounts.account_view, uow(), me)
        self.profile = _profile(view)
        self.email_verified, self.mfa_enabled = view.email_verified, view.mfa_enabled
        self.recovery_left = view.recovery_codes_left
        await self._load_sessions(me)

    async def _load_sessions(self, me: Actor) -> None:
        lines = await call(sessions.list_sessions, uow(), me, now())
        self.sessions = [_session_row(line) for line in lines]

    @rx.event
    @requires("player.account")
    async def resend_verification(self):
        sent = await call(accounts.resend_verification, uow(), await self._me(), now())
        return rx.toast.info(
            "We sent a new link." if sent else "A link is already on its way: check your mail."
        )

    # --- two-step verification --------------------------------------------------------------

    @rx.event
    @requires("player.account")
    async def start_enrollment(self):
        try:
            enrollment = await call(mfa.begin_enrollment, uow(), await self._me(), now())
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
        try:
            codes = await call(mfa.confirm_enrollment, uow(), await self._me(), field(form, "code"), now())
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
        me = await self._me()
        try:
            if self.mfa_enabled:
                await call(mfa.step_up, uow(), me, field(form, "confirm"), now())
            else:
                await call(accounts.step_up_with_password, uow(), me, form.get("confirm", ""), now())
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
        me = await self._me()
        turning_off = field(form, "action") == "off"
        try:
            if turning_off:
                await call(mfa.disable, uow(), me, now())
            else:
                codes = await call(mfa.regenerate_recovery_codes, uow(), me, now())
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
        me = await self._me()
        try:
            await call(sessions.revoke, uow(), me, int(session_id), now(), reason="player")
        except Exception as err:
            self._fail("sessions", err)
            return None
        await self._load_sessions(me)
        return self._ok("sessions", "That session is signed out.")

    @rx.event
    @requires("player.account")
    async def change_password(self, form: dict[str, str]):
        me = await self._me()
        try:
            ended = await call(
                accounts.change_password,
                uow(),
                me,
                form.get("current_password", ""),
                form.get("new_password", ""),
                now(),
            )
        except Exception as err:
            self._fail("password", err)
            return None
        await self._load_sessions(me)
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
        try:
            await call(
                accounts.request_email_change, uow(), await self._me(), field(form, "new_email"), now()
            )
        except Exception as err:
            self._fail("email", err)
            return None
        return self._ok("email", "We sent a link to the new address. Your email changes when you open it.")


def _login_line(at, ip: str) -> str:
    text = when(at)
    return f"{text} · {ip}" if text and ip else text
