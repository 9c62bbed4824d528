"""A tab's live channel: it registers with its worker's hub and refreshes itself on a push.

A push (ui/live/hub.py) modifies this state out of band (`receive`): the tick moves and the
notice waits in `_pending`. The tick is the `key` of a hidden element (ui/components/live.py),
so the browser remounts it and its `on_mount` sends `apply`: a normal event of this tab, which
refreshes the balance, re-runs the current page's loaders and shows the toast in the tab's
language. Nothing else is pushed: the tab reads everything through its own guarded handlers.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from casino_app.services.inbox import notifications as inbox
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.live import hub as live_hub
from casino_app.ui.live import messages
from casino_app.ui.live.hub import Push
from casino_app.ui.registry import loaders_of
from casino_app.ui.services import call, uow
from casino_app.ui.state.session.locale import formats_of
from casino_app.ui.state.session.session import SessionState

MAX_TOASTS = 3  # a burst (several draws at once) shows the newest three; the inbox keeps all


class LiveState(rx.State):
    tick: int = 0
    unread: int = 0
    toast_text: str = ""
    _applied: int = 0
    _pending: list[dict[str, Any]] = []

    def _receive(self, push: Push) -> None:
        """Out of band, from the hub: note the push and move the tick (the tab then calls apply)."""
        self._pending = [*self._pending, {"kind": push.kind, "params": push.params}][-MAX_TOASTS:]
        self.unread += 1
        self.tick += 1

    @rx.event
    async def register(self) -> None:
        """on_load of player pages: this tab receives the signed-in player's pushes on this worker.

        Not `@requires`: a signed-out visit does nothing here (the page guard redirects it).
        """
        session = await self.get_state(SessionState)
        player_id = session._player_id()
        hub = live_hub.current()
        if player_id is None:
            if hub is not None:
                hub.registry.remove(self.router.session.client_token)
            return
        if hub is not None:
            hub.registry.add(player_id, self.router.session.client_token)
        self.unread = await call(inbox.unread_count, uow(), session._actor())

    @rx.event
    async def apply(self) -> Any:
        """After a push: the balance, the page's lists and a toast for each new notice."""
        if self._applied == self.tick:
            return None
        self._applied = self.tick
        pending, self._pending = self._pending, []
        session = await self.get_state(SessionState)
        if session._player_id() is None:
            return None
        await session._refresh_balance()
        self.unread = await call(inbox.unread_count, uow(), session._actor())
        formats = await formats_of(self)
        toasts = [_toast(formats, notice) for notice in pending]
        self.toast_text = messages.describe(formats, **pending[-1]) if pending else ""
        return [*loaders_of(self.router.page.path), *toasts]


def _toast(formats: Formats, notice: dict[str, Any]) -> Any:
    kind, params = str(notice.get("kind", "")), dict(notice.get("params") or {})
    return rx.toast.info(
        messages.title(formats, kind),
        description=messages.describe(formats, kind, params),
        class_name="live-toast",
        duration=8000,
    )


async def deliver(app: Any, token: str, push: Push) -> None:
    """Apply `push` to the tab `token` (its delta goes to the browser, on whichever worker)."""
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=LiveState)) as root:
        live = await root.get_state(LiveState)
        live._receive(push)
