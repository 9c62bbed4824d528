"""History: the player's tickets with PENDING / WIN / LOSE and the draw results."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from casino_app.services.dto import TicketLine
from casino_app.services.games import lotto
from casino_app.ui.format import when
from casino_app.ui.services import call, uow
from casino_app.ui.state.guard import requires
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


def ticket_row(t: TicketLine) -> TicketRow:
    return TicketRow(
        t.validation_number,
        t.game_name,
        t.draw_code,
        when(t.draw_at),
        list(t.selection),
        list(t.numbers),
        t.status,
        t.stake.text,
        t.win.text,
        "" if t.matches is None else f"{t.matches} matched",
        when(t.issued_at),
    )


class HistoryState(rx.State):
    tickets: list[TicketRow] = []

    @rx.event
    @requires("player.history")
    async def load(self) -> None:
        actor = (await self.get_state(SessionState))._actor()
        self.tickets = [ticket_row(t) for t in await call(lotto.ticket_history, uow(), actor)]
