"""The inbox page: the player's notifications, newest first, a page at a time; marking read."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from casino_app.services.inbox import notifications as inbox
from casino_app.services.inbox.notifications import InboxEntry, InboxPage
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.live import messages
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.live import LiveState
from casino_app.ui.state.session.locale import formats_of
from casino_app.ui.state.session.session import SessionState


@dataclass(frozen=True)
class InboxRow:
    id: int = 0
    kind: str = ""
    title: str = ""
    body: str = ""
    when: str = ""
    read: bool = False


def inbox_row(entry: InboxEntry, formats: Formats) -> InboxRow:
    return InboxRow(
        entry.id,
        entry.kind,
        messages.title(formats, entry.kind),
        messages.describe(formats, entry.kind, entry.params),
        formats.when(entry.created_at),
        entry.read,
    )


class InboxState(rx.State):
    rows: list[InboxRow] = []
    page: int = 1
    pages: int = 1
    unread: int = 0
    error: str = ""

    async def _show(self, page: int) -> None:
        actor = (await self.get_state(SessionState))._actor()
        try:
            found: InboxPage = await call(inbox.inbox_page, uow(), actor, page)
        except Exception as err:
            self.error = message(err)
            return
        formats = await formats_of(self)
        self.rows = [inbox_row(e, formats) for e in found.entries]
        self.page, self.pages, self.unread, self.error = found.page, found.pages, found.unread, ""
        (await self.get_state(LiveState)).unread = found.unread

    @rx.event
    @requires("player.account")
    async def load(self) -> None:
        await self._show(self.page)

    @rx.event
    @requires("player.account")
    async def next_page(self) -> None:
        await self._show(self.page + 1)

    @rx.event
    @requires("player.account")
    async def previous_page(self) -> None:
        await self._show(self.page - 1)

    @rx.event
    @requires("player.account")
    async def mark_read(self, notification_id: int) -> None:
        actor = (await self.get_state(SessionState))._actor()
        await call(inbox.mark_read, uow(), actor, int(notification_id), now())
        await self._show(self.page)

    @rx.event
    @requires("player.account")
    async def mark_all_read(self) -> None:
        actor = (await self.get_state(SessionState))._actor()
        await call(inbox.mark_all_read, uow(), actor, now())
        await self._show(self.page)
