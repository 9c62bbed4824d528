"""Pages opened from emailed links (verify email, unlock, reset password), the reset request, the mailbox.

The token arrives in the link's query string; `take_token` moves it into a backend-only var and
replaces the URL at once, so it does not linger in the address bar or the history.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from casino_app.domain.identity.vocabulary import Role
from casino_app.services.identity.accounts import mail
from casino_app.services.identity.accounts import self_service as accounts
from casino_app.ui import routes
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.locale import formats_of, lang_of
from casino_app.ui.state.session.session import SessionState, field

MAX_TOKEN = 128


@dataclasses.dataclass(frozen=True)
class MailRow:
    """One message of the demo mailbox, formatted."""

    id: str
    recipient: str
    subject: str
    when: str
    body: str
    link: str


def _mail_row(m: mail.MailView, fmt: Formats) -> MailRow:
    return MailRow(
        id=str(m.id),
        recipient=m.recipient or text(fmt.lang, "mailbox.erased"),
        subject=m.subject,
        when=fmt.when(m.created_at),
        body=m.body or text(fmt.lang, "mailbox.erased_body"),
        link=_first_link(m.body),
    )


class LinkState(rx.State):
    _token: str = ""
    result: str = ""
    error: str = ""
    done: bool = False

    def _query_token(self) -> str:
        return (self.router.url.query_parameters.get("token", "") or "")[:MAX_TOKEN]

    @rx.event
    async def open_verify_link(self):
        """on_load of /verify-email: use the link's token once, then drop it from the URL."""
        token = self._query_token()
        if not token:
            return None
        self.result, self.error = "", ""
        try:
            self.result = await call(accounts.confirm_email_link, uow(), token, now())
        except Exception as err:
            self.error = message(err, await lang_of(self))
        return rx.redirect(routes.VERIFY_EMAIL, replace=True)

    @rx.event
    def take_reset_token(self):
        """on_load of /reset-password: keep the token server-side and clean the URL."""
        token = self._query_token()
        if not token:
            return None
        self._token, self.error, self.done = token, "", False
        return rx.redirect(routes.RESET_PASSWORD, replace=True)

    @rx.event
    async def reset_password(self, form: dict[str, str]):
        lang = await lang_of(self)
        if not self._token:
            self.error = text(lang, "auth.open_link_first")
            return None
        try:
            role = await call(accounts.reset_password, uow(), self._token, form.get("password", ""), now())
        except Exception as err:
            self.error = message(err, lang)
            return None
        self._token, self.error, self.done = "", "", True
        session = await self.get_state(SessionState)
        session._forget(text(lang, "auth.password_changed"))
        return rx.redirect(routes.LOGIN if role == Role.PLAYER else routes.OPS_LOGIN)

    @rx.event
    async def request_reset(self, form: dict[str, str]):
        session = await self.get_state(SessionState)
        await call(accounts.request_password_reset, uow(), field(form, "email"), now(), session._client())
        self.done, self.error = True, ""

    @rx.event
    def reset_form(self) -> None:
        self.done, self.error = False, ""


class MailboxState(rx.State):
    """Demo mode only: the signed-in player's own mail, so they can follow its links without a mail server.

    Nobody else's mail and no operator's mail is ever shown: the messages carry live links.
    """

    enabled: bool = False
    messages: list[MailRow] = []

    @rx.event
    @requires("player.account")
    async def load(self) -> None:
        work = uow()
        self.enabled, self.messages = work.context.settings.demo_mode, []
        if not self.enabled:
            return
        actor = (await self.get_state(SessionState))._actor()
        fmt = await formats_of(self)
        self.messages = [_mail_row(m, fmt) for m in await call(mail.recent, work, actor)]


def _first_link(body: str) -> str:
    for word in body.split():
        if word.startswith(("http://", "https://")):
            return word
    return ""
