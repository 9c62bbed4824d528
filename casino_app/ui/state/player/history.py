"""History: the player's tickets with PENDING / WIN / LOSE and the draw results."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from casino_app.services.games.lotto.tickets import views as ticket_views
from casino_app.services.games.lotto.tickets.views import LottoTicket, TicketDraw
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, uow
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.locale import formats_of
from casino_app.ui.state.session.session import SessionState


@dataclass(frozen=True)
class TicketRow:
    validation: str = ""
    game: str = ""
    draw: str = ""
    draw_at: str = ""
    selection: list[int] = field(default_factory=list)  # the first line
    lines: list[list[int]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    status: str = ""
    stake: str = ""
    win: str = ""
    matches: str = ""
    issued: str = ""


def _matches(result: str, lang: str) -> str:
    counts = [int(n) for n in result.split(",") if n.isdigit()]
    return " · ".join(text(lang, "history.matched", count=n) for n in counts)


def ticket_row(t: LottoTicket, d: TicketDraw, fmt: Formats) -> TicketRow:
    """One draw of a ticket in the reader's language and zone; its draw by name, not by code."""
    return TicketRow(
        d.bet_id,
        t.game_name,
        fmt.draw_name(t.game_name, d.draw_at),
        fmt.when(d.draw_at),
        list(t.lines[0]) if t.lines else [],
        [list(line) for line in t.lines],
        list(d.numbers),
        d.status,
        fmt.money(d.stake.minor, d.stake.currency),
        fmt.money(d.win.minor, d.win.currency),
        _matches(d.result, fmt.lang),
        fmt.when(t.issued_at),
    )


class HistoryState(rx.State):
    tickets: list[TicketRow] = []

    @rx.event
    @requires("player.history")
    async def load(self) -> None:
        actor = (await self.get_state(SessionState))._actor()
        fmt = await formats_of(self)
        page = await call(ticket_views.my_tickets, uow(), actor, 0, 50)
        # One card per draw played (a ticket of three draws has three bets), newest ticket first.
        self.tickets = [ticket_row(t, d, fmt) for t in page.tickets for d in t.draws]
