"""History: the player's tickets with PENDING / WIN / LOSE and the draw results."""

from __future__ import annotations

import reflex as rx

from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games import lotto
from casino_app.ui.format import when
from casino_app.ui.services import call
from casino_app.ui.state.session import SessionState


class HistoryState(rx.State):
    tickets: list[dict[str, str | list[int]]] = []

    @rx.event
    async def load(self) -> None:
        session = await self.get_state(SessionState)
        user_id = session.player_id()
        if user_id is None:
            self.tickets = []
            return
        self.tickets = [
            {
                "validation": t.validation_number,
                "game": t.game_name,
                "draw": t.draw_code,
                "draw_at": when(t.draw_at),
                "selection": list(t.selection),
                "numbers": list(t.numbers),
                "status": t.status,
                "stake": t.stake.text,
                "win": t.win.text,
                "matches": "" if t.matches is None else f"{t.matches} matched",
                "issued": when(t.issued_at),
            }
            for t in await call(lotto.ticket_history, UnitOfWork(), user_id)
        ]
