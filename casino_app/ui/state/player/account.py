"""The player's account and security page: profile, last logins, 2FA, sessions, password, email,
and preferences (language, time zone: ui/state/session/prefs.py; favourite games here).

Every handler is `@requires("player.account")`: it validates the session and the permission
itself before touching anything, then hands the tab's `Actor` to the services.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import reflex as rx
from babel import Locale
from babel.dates import format_date

from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import SessionKind
from casino_app.services.dto import AccountView
from casino_app.services.games import catalog
from casino_app.services.identity.accounts import preferences
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.services.identity.credentials import mfa
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions.server import SessionLine
from casino_app.ui.format import country_name
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.games.casino import game_name
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.locale import formats_of, lang_of
from casino_app.ui.state.session.session import SessionState, field


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


@dataclasses.dataclass(frozen=True)
class FavouriteRow:
    """A game of the catalogue, starred or not, on the preferences panel."""

    code: str = ""
    name: str = ""
    starred: bool = False


def _device(user_agent: str, lang: str) -> str:
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
        text(lang, "account.browser") if ua else text(lang, "account.unknown_device"),
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
    return text(lang, "account.device", browser=browser, system=system) if system else browser


def _birth_date(value: str, fmt: Formats) -> str:
    """An ISO date of birth in the reader's locale ("1 May 1990" / "1 maj 1990")."""
    try:
        return format_date(date.fromisoformat(value), "long", locale=fmt.locale)
    except ValueError:
        return value


def _profile(view: AccountView, fmt: Formats) -> ProfileRow:
    return ProfileRow(
        email=view.email,
        full_name=view.full_name,
        birth_date=_birth_date(view.birth_date, fmt),
        country=country_name(view.country, fmt.lang),
        phone=view.phone or "—",
        member_since=fmt.when(view.created_at),
        this_login=_login_line(view.last_login_at, view.last_login_ip, fmt),
        previous_login=_login_line(view.previous_login_at, view.previous_login_ip, fmt)
        or text(fmt.lang, "account.first_sign_in"),
    )


def _session_row(line: SessionLine, fmt: Formats) -> SessionRow:
    mobile = text(fmt.lang, "account.mobile_app")
    return SessionRow(
        id=str(line.id),
        device=_device(line.user_agent, fmt.lang) if line.kind == SessionKind.BROWSER else mobile,
        ip=line.ip or text(fmt.lang, "account.unknown_address"),
        started=fmt.when(line.created_at),
        last_seen=fmt.when(line.last_seen_at),
        current=line.current,
    )


def _plural(lang: str, count: int) -> str:
    """The CLDR plural form of `count` in `lang`: "one", "few", "many" or "other"."""
    form = Locale.parse(lang).plural_form(count)
    return form if form in ("one", "few", "many") else "other"


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
    favourites: list[FavouriteRow] = []

    async def _fail(self, section: str, err: Exception) -> None:
        self.section_error = {**self.section_error, section: message(err, await lang_of(self))}

    async def _ok(self, section: str, key: str, **params: object):
        self.section_error = {k: v for k, v in self.section_error.items() if k != section}
        return rx.toast.success(text(await lang_of(self), key, **params))

    async def _me(self) -> Actor:
        """The signed-in player (`requires` has checked the session and the permission)."""
        return (await self.get_state(SessionState))._actor()

    @rx.event
    @requires("player.account")
    async def load(self) -> None:
        me = await self._me()
        view = await call(accounts.account_view, uow(), me)
        self.profile = _profile(view, await formats_of(self))
        self.email_verified, self.mfa_enabled = view.email_verified, view.mfa_enabled
        self.recovery_left = view.recovery_codes_left
        await self._load_sessions(me)
        await self._load_favourites(me)

    async def _load_sessions(self, me: Actor) -> None:
        lines = await call(sessions.list_sessions, uow(), me, now())
        fmt = await formats_of(self)
        self.sessions = [_session_row(line, fmt) for line in lines]

    async def _load_favourites(self, me: Actor) -> None:
        starred = (await call(preferences.preferences_of, uow(), me)).favourite_games
        games = await call(catalog.all_games, uow())
        lang = await lang_of(self)
        self.favourites = [
            FavouriteRow(g.code, game_name(lang, g.code, g.name), g.code in starred) for g in games
        ]

    @rx.event
    @requires("player.account")
    async def toggle_favourite(self, game_code: str):
        """Star or un-star a game on the preferences panel (the lobby lists starred games first)."""
        me = await self._me()
        try:
            await call(preferences.toggle_favourite, uow(), me, now(), str(game_code)[:32])
        except Exception as err:
            await self._fail("preferences", err)
            return None
        await self._load_favourites(me)
        return None

    @rx.event
    @requires("player.account")
    async def resend_verification(self):
        sent = await call(accounts.resend_verification, uow(), await self._me(), now())
        return rx.toast.info(
            text(await lang_of(self), "account.link_sent" if sent else "account.link_on_its_way")
        )

    # --- two-step verification --------------------------------------------------------------

    @rx.event
    @requires("player.account")
    async def start_enrollment(self):
        try:
            enrollment = await call(mfa.begin_enrollment, uow(), await self._me(), now())
        except Exception as err:
            await self._fail("mfa", err)
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
            await self._fail("mfa", err)
            return None
        self.enroll_qr = self.enroll_secret = ""
        self.new_codes = list(codes)
        self.mfa_enabled, self.recovery_left = True, len(codes)
        return await self._ok("mfa", "account.mfa_on")

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
            await self._fail(section, err)
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
            await self._fail("mfa", err)
            return None
        if turning_off:
            self.mfa_enabled, self.recovery_left = False, 0
            return await self._ok("mfa", "account.mfa_off")
        self.new_codes, self.recovery_left = list(codes), len(codes)
        return await self._ok("mfa", "account.new_codes")

    # --- sessions, password, email --------------------------------------------------------------

    @rx.event
    @requires("player.account")
    async def revoke_session(self, session_id: str):
        me = await self._me()
        try:
            await call(sessions.revoke, uow(), me, int(session_id), now(), reason="player")
        except Exception as err:
            await self._fail("sessions", err)
            return None
        await self._load_sessions(me)
        return await self._ok("sessions", "account.session_signed_out")

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
            await self._fail("password", err)
            return None
        await self._load_sessions(me)
        lang = await lang_of(self)
        others = " " + text(lang, f"account.others_{_plural(lang, ended)}", count=ended) if ended else ""
        return [
            await self._ok("password", "account.password_changed", others=others),
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
            await self._fail("email", err)
            return None
        return await self._ok("email", "account.email_link_sent")


def _login_line(at: datetime | None, ip: str, fmt: Formats) -> str:
    moment = fmt.when(at)
    return f"{moment} · {ip}" if moment and ip else moment
