"""History: the player's tickets with PENDING / WIN / LOSE and the draw results."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from casino_app.services.dto import TicketLine
from casino_app.services.games import lotto
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, uow
from casino_app.ui.state.guard import requires
from casino_app.ui.state.locale import formats_of
from casino_app.ui.state.session import SessionState


@dataclass(frozen=True)
class TicketRow:
    validation: str = ""
    game: str = ""
    draw: str = ""
    draw_at: str = ""
    selection: list[int] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    status: str = ""
    stake: str = ""
    win: str = ""
    matches: str = ""
    issued: str = ""


def ticket_row(t: TicketLine, fmt: Formats) -> TicketRow:
    """One ticket in the reader's language and zone; its draw by name, not by code."""
    return TicketRow(
        t.validation_number,
        t.game_name,
        fmt.draw_name(t.game_name, t.draw_at),
        fmt.when(t.draw_at),
        list(t.selection),
        list(t.numbers),
        t.status,
        fmt.money(t.stake.minor, t.stake.currency),
        fmt.money(t.win.minor, t.win.currency),
        "" if t.matches is None else text(fmt.lang, "history.matched", count=t.matches),
        fmt.when(t.issued_at),
    )


class HistoryState(rx.State):
    tickets: list[TicketRow] = []

    @rx.event
    @requires("player.history")
    async def load(self) -> None:
        actor = (await self.get_state(SessionState))._actor()
        fmt = await formats_of(self)
        self.tickets = [ticket_row(t, fmt) for t in await call(lotto.ticket_history, uow(), actor)]
