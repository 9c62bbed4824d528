"""Lobby: the next draw of each game with a countdown, and recent results; favourites first.

Draws are named as players say them ("Lotto 6/49 · Tuesday 1 December, 21:00"), in the tab's
language and time zone. A signed-in player stars games (their preferences); starred games come
first.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import reflex as rx

from casino_app.services.dto import DrawView, GameView
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import queries as draw_queries
from casino_app.services.games.lotto.settlement import jackpot
from casino_app.services.identity.accounts import preferences
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.locale import formats_of
from casino_app.ui.state.session.session import SessionState


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
    draw_name: str = ""
    favourite: bool = False
    jackpot: str = ""  # the game's progressive jackpot now, formatted ("" for a game without one)


@dataclass(frozen=True)
class ResultRow:
    game_name: str = ""
    draw_at: str = ""
    numbers: list[int] = field(default_factory=list)
    draw_name: str = ""


def percent(fmt: Formats, rtp_percent: str) -> str:
    """A service's "96.12%" in the reader's locale ("96,12%"); as given when it is no number."""
    try:
        return fmt.percent(float(rtp_percent.rstrip("%")) / 100)
    except ValueError:
        return rtp_percent


def draw_row(d: DrawView, game: GameView | None, fmt: Formats, favourites: tuple[str, ...] = ()) -> DrawRow:
    return DrawRow(
        d.id,
        d.game_code,
        d.game_name,
        d.sales_close_at.isoformat(),
        fmt.when(d.draw_at),
        fmt.time(d.sales_close_at),
        d.seed_commitment[:16] + "…",
        text(fmt.lang, "lobby.rule", pick=game.pick, pool=game.pool) if game else "",
        percent(fmt, game.rtp_percent) if game else "",
        fmt.draw_name(d.game_name, d.draw_at),
        d.game_code in favourites,
    )


async def with_jackpot(row: DrawRow, fmt: Formats) -> DrawRow:
    """The row with its game's jackpot (`jackpot.current_jackpot`), in the reader's money format."""
    pot = await call(jackpot.current_jackpot, uow(), row.game_code)
    if pot is None:
        return row
    return dataclasses.replace(row, jackpot=fmt.money(pot.amount, pot.currency))


def favourites_first(rows: list[DrawRow], favourites: tuple[str, ...]) -> list[DrawRow]:
    """Starred games first, in the order they were starred; the others as the lobby lists them."""
    rank = {code: i for i, code in enumerate(favourites)}
    return sorted(rows, key=lambda r: rank.get(r.game_code, len(rank)))


class LobbyState(rx.State):
    draws: list[DrawRow] = []
    results: list[ResultRow] = []
    favourites: list[str] = []

    async def _favourites(self) -> tuple[str, ...]:
        session = await self.get_state(SessionState)
        if session._player_id() is None:
            return ()
        return (await call(preferences.preferences_of, uow(), session._actor())).favourite_games

    @rx.event
    async def load(self) -> None:
        fmt = await formats_of(self)
        favourites = await self._favourites()
        self.favourites = list(favourites)
        upcoming = await call(draw_queries.upcoming_draws, uow(), now())
        games = {g.code: g for g in await call(lotto.list_games, uow())}
        rows = [draw_row(d, games.get(d.game_code), fmt, favourites) for d in upcoming]
        rows = [await with_jackpot(row, fmt) for row in rows]
        self.draws = favourites_first(rows, favourites)
        self.results = [
            ResultRow(
                d.game_name, fmt.when(d.draw_at), list(d.numbers), fmt.draw_name(d.game_name, d.draw_at)
            )
            for d in await call(draw_queries.recent_results, uow(), 6)
        ]

    @rx.event
    @requires("player.account")
    async def toggle_favourite(self, game_code: str):
        """Star or un-star a game; the lobby re-orders at once."""
        session = await self.get_state(SessionState)
        try:
            await call(preferences.toggle_favourite, uow(), session._actor(), now(), str(game_code)[:32])
        except Exception as err:
            return rx.toast.error(message(err, (await formats_of(self)).lang))
        await self.load()
        return None
