"""The fairness page: how it works, the player's revealed seed pairs, rounds to verify in the browser."""

from __future__ import annotations

import reflex as rx

from casino_app.services.games.instant import seeds
from casino_app.ui.services import call, uow
from casino_app.ui.state.casino import CasinoState, RevealedRow, revealed_row
from casino_app.ui.state.guard import requires
from casino_app.ui.state.locale import formats_of


class FairnessState(rx.State):
    revealed: list[RevealedRow] = []

    @rx.event
    @requires("player.history")
    async def load(self) -> None:
        casino = await self.get_state(CasinoState)
        await casino._load("")
        pairs = await call(seeds.revealed_pairs, uow(), await casino._who(), 10)
        fmt = await formats_of(self)
        self.revealed = [revealed_row(p, fmt) for p in pairs]
