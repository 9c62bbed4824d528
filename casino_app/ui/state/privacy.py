"""Privacy: download my data, request erasure. Each handler re-checks who is signed in."""

from __future__ import annotations

import reflex as rx

from casino_app.persistence.uow import UnitOfWork
from casino_app.services.compliance import privacy
from casino_app.ui.services import call, message, now
from casino_app.ui.state.session import SessionState

CONFIRM_WORD = "ERASE"


class PrivacyState(rx.State):
    blockers: list[str] = []
    confirm_text: str = ""
    dialog_open: bool = False
    error: str = ""
    busy: bool = False

    @rx.var
    def can_erase(self) -> bool:
        return self.confirm_text.strip().upper() == CONFIRM_WORD and not self.busy

    @rx.event
    def set_confirm_text(self, value: str) -> None:
        self.confirm_text = value

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        self.dialog_open, self.confirm_text, self.error = value, "", ""

    @rx.event
    async def load(self) -> None:
        session = await self.get_state(SessionState)
        user_id = session.player_id()
        self.error, self.confirm_text, self.dialog_open = "", "", False
        self.blockers = [] if user_id is None else await call(privacy.erasure_blockers, UnitOfWork(), user_id)

    @rx.event
    async def download(self):
        session = await self.get_state(SessionState)
        user_id = session.player_id()
        if user_id is None:
            return rx.redirect("/login")
        try:
            text = await call(
                privacy.download_player_data, UnitOfWork(), user_id, actor=f"player:{user_id}", now=now()
            )
        except Exception as err:
            return rx.toast.error(message(err))
        stamp = now().strftime("%Y%m%d")
        return [
            rx.download(data=text, filename=f"kasyno-my-data-{stamp}.json", mime_type="application/json"),
            rx.toast.success("Your data is downloading."),
        ]

    @rx.event
    async def erase(self):
        session = await self.get_state(SessionState)
        user_id = session.player_id()
        if user_id is None:
            yield rx.redirect("/login")
            return
        if self.confirm_text.strip().upper() != CONFIRM_WORD:
            self.error = f"Type {CONFIRM_WORD} to confirm."
            return
        self.busy = True
        yield
        try:
            await call(
                privacy.erase_player,
                UnitOfWork(),
                user_id,
                actor=f"player:{user_id}",
                reason="self-service erasure request",
                now=now(),
            )
        except Exception as err:
            self.error, self.busy = message(err), False
            return
        self.busy, self.dialog_open = False, False
        yield rx.toast.success("Your personal data has been erased. You have been signed out.")
        yield SessionState.logout
