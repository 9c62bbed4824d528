"""Lobby: the next draw of each game with a countdown, and recent results."""

from __future__ import annotations

import reflex as rx

from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games import lotto
from casino_app.ui.format import when
from casino_app.ui.services import call, now


class LobbyState(rx.State):
    draws: list[dict[str, str]] = []
    results: list[dict[str, str | list[int]]] = []

    @rx.event
    async def load(self) -> None:
        upcoming = await call(lotto.upcoming_draws, UnitOfWork(), now())
        games = {g.code: g for g in await call(lotto.list_games, UnitOfWork())}
        self.draws = [
            {
                "game_code": d.game_code,
                "game_name": d.game_name,
                "code": d.code,
                "close_iso": d.sales_close_at.isoformat(),
                "draw_at": when(d.draw_at),
                "close_at": d.sales_close_at.strftime("%H:%M UTC"),
                "commitment": d.seed_commitment[:16] + "…",
                "rule": f"Pick {games[d.game_code].pick} of {games[d.game_code].pool}",
                "rtp": games[d.game_code].rtp_percent,
            }
            for d in upcoming
        ]
        self.results = [
            {"game_name": d.game_name, "code": d.code, "draw_at": when(d.draw_at), "numbers": list(d.numbers)}
            for d in await call(lotto.recent_results, UnitOfWork(), 6)
        ]
