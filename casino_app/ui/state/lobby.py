"""Lobby: the next draw of each game with a countdown, and recent results."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from casino_app.services.dto import DrawView, GameView
from casino_app.services.games import lotto
from casino_app.services.games.lotto import draw_queries
from casino_app.ui.format import when
from casino_app.ui.services import call, now, uow


@dataclass(frozen=True)
class DrawRow:
    draw_id: int = 0
    game_code: str = ""
    game_name: str = ""
    close_iso: str = ""
    draw_at: str = ""
    close_at: str = ""
    commitment: str = ""
    rule: str = ""
    rtp: str = ""


@dataclass(frozen=True)
class ResultRow:
    game_name: str = ""
    draw_at: str = ""
    numbers: list[int] = field(default_factory=list)


def draw_row(d: DrawView, game: GameView | None) -> DrawRow:
    return DrawRow(
        d.id,
        d.game_code,
        d.game_name,
        d.sales_close_at.isoformat(),
        when(d.draw_at),
        d.sales_close_at.strftime("%H:%M UTC"),
        d.seed_commitment[:16] + "…",
        f"Pick {game.pick} of {game.pool}" if game else "",
        game.rtp_percent if game else "",
    )


class LobbyState(rx.State):
    draws: list[DrawRow] = []
    results: list[ResultRow] = []

    @rx.event
    async def load(self) -> None:
        upcoming = await call(draw_queries.upcoming_draws, uow(), now())
        games = {g.code: g for g in await call(lotto.list_games, uow())}
        self.draws = [draw_row(d, games.get(d.game_code)) for d in upcoming]
        self.results = [
            ResultRow(d.game_name, when(d.draw_at), list(d.numbers))
            for d in await call(draw_queries.recent_results, uow(), 6)
        ]
