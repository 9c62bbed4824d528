"""Privacy: download my data, request erasure. Each handler re-checks its permission."""

from __future__ import annotations

import reflex as rx

from casino_app.services.compliance import privacy
from casino_app.ui.i18n.catalog import text
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.locale import lang_of
from casino_app.ui.state.session.session import SessionState

CONFIRM_WORD = "ERASE"


class PrivacyState(rx.State):
    blockers: list[str] = []
    confirm_text: str = ""
    dialog_open: bool = False
    error: str = ""

    @rx.var
    def can_erase(self) -> bool:
        return self.confirm_text.strip().upper() == CONFIRM_WORD

    @rx.event
    def set_confirm_text(self, value: str) -> None:
        self.confirm_text = value[:32]

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        self.dialog_open, self.confirm_text, self.error = value, "", ""

    @rx.event
    @requires("player.privacy")
    async def load(self) -> None:
        actor = (await self.get_state(SessionState))._actor()
        self.error, self.confirm_text, self.dialog_open = "", "", False
        self.blockers = await call(privacy.erasure_blockers, uow(), actor)

    @rx.event
    @requires("player.privacy")
    async def download(self):
        actor, lang = (await self.get_state(SessionState))._actor(), await lang_of(self)
        try:
            data = await call(privacy.download_player_data, uow(), actor, now())
        except Exception as err:
            return rx.toast.error(message(err, lang))
        stamp = now().strftime("%Y%m%d")
        return [
            rx.download(data=data, filename=f"kasyno-my-data-{stamp}.json", mime_type="application/json"),
            rx.toast.success(text(lang, "privacy.downloading")),
        ]

    @rx.event
    @requires("player.privacy")
    async def erase(self):
        actor, lang = (await self.get_state(SessionState))._actor(), await lang_of(self)
        if self.confirm_text.strip().upper() != CONFIRM_WORD:
            self.error = text(lang, "privacy.type_to_confirm", word=CONFIRM_WORD)
            return None
        try:
            await call(privacy.erase_player, uow(), actor, reason="self-service erasure request", now=now())
        except Exception as err:
            self.error = message(err, lang)
            return None
        self.dialog_open = False
        return [
            rx.toast.success(text(lang, "privacy.erased")),
            SessionState.logout,
        ]
