"""Reading lotto draws (rounds of lotto games): the draw now selling, upcoming draws, results.

The draw a ticket goes into is cached per game until its sales close, so a purchase costs no
extra round trip to find it; the stake's SQL checks the round again, and a draw closed early
(run now from the back office) is forgotten and looked up afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from casino_app.domain.errors import DrawClosed, NotFound
from casino_app.domain.games.vocabulary import GameKind, RoundStatus
from casino_app.persistence.tables import Game, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.common import parse_numbers
from casino_app.services.dto import DrawView
from casino_app.services.games import catalog

REVEALED = (RoundStatus.DRAWN, RoundStatus.SETTLED)


@dataclass(frozen=True)
class SellingDraw:
    id: int
    game_code: str
    game_version: int
    code: str
    closes_at: datetime
    draw_at: datetime


_SELLING: dict[tuple[str, str], SellingDraw] = {}


def _selling(draw: Round, game: Game) -> SellingDraw:
    assert draw.id is not None and draw.closes_at is not None and draw.draw_at is not None
    return SellingDraw(draw.id, game.code, draw.game_version, draw.code, draw.closes_at, draw.draw_at)


def open_draw(session: Session, game: Game, now: datetime) -> Round | None:
    """The game's earliest draw still selling at `now`."""
    return session.exec(
        select(Round)
        .where(Round.game_id == game.id, Round.status == RoundStatus.OPEN, col(Round.closes_at) > now)
        .order_by(col(Round.draw_at))
    ).first()


def selling_draw(uow: UnitOfWork, game_code: str, now: datetime, draw_id: int | None = None) -> SellingDraw:
    """The draw a ticket goes into: the one named, or the one selling now.

    Raises:
        NotFound: unknown game or draw. DrawClosed: the named draw, or every draw, has closed.
    """
    key = (uow.database.url, game_code)
    cached = _SELLING.get(key)
    if cached is not None and now < cached.closes_at and draw_id in (None, cached.id):
        return cached
    with uow.reader() as r:
        game = catalog.find_game(r.session, game_code)
        if draw_id is None:
            draw = open_draw(r.session, game, now)
        else:
            draw = r.session.get(Round, draw_id)
            if draw is None or draw.game_id != game.id:
                raise NotFound("Unknown draw for this game.")
        if draw is None or draw.status != RoundStatus.OPEN or (draw.closes_at and draw.closes_at <= now):
            raise _closed(r.session, game, draw, now)
        selling = _selling(draw, game)
    if draw_id is None or draw_id == selling.id:
        _SELLING[key] = selling
    return selling


def forget(uow: UnitOfWork, game_code: str) -> None:
    """Drop the cached selling draw of a game (it closed earlier than scheduled)."""
    _SELLING.pop((uow.database.url, game_code), None)


def closed_error(uow: UnitOfWork, game_code: str, draw: SellingDraw, now: datetime) -> DrawClosed:
    """`draw_closed` for a draw that stopped selling, naming the next one."""
    with uow.reader() as r:
        game = catalog.find_game(r.session, game_code)
        return _closed(r.session, game, r.session.get(Round, draw.id), now)


def _closed(session: Session, game: Game, draw: Round | None, now: datetime) -> DrawClosed:
    nxt = open_draw(session, game, now)
    what = f"draw {draw_label(draw.draw_at)}" if draw is not None and draw.draw_at else "this draw"
    offer = (
        f" The next draw is {draw_label(nxt.draw_at)}: buy your ticket for that one."
        if nxt is not None and nxt.draw_at
        else " The next draw opens in a moment."
    )
    return DrawClosed(f"Sales for {what} of {game.name} have closed.{offer}", nxt.id if nxt else None)


def draw_label(at: datetime) -> str:
    """A draw as people name it: "1 Dec 2026, 09:02 UTC"."""
    return at.strftime("%d %b %Y, %H:%M UTC")


def draw_view(draw: Round, game: Game) -> DrawView:
    assert draw.id is not None
    revealed = draw.status in REVEALED
    return DrawView(
        draw.id,
        game.code,
        game.name,
        draw.code,
        draw.status,
        draw.closes_at or draw.opened_at,
        draw.draw_at or draw.opened_at,
        draw.seed_commitment or "",
        parse_numbers(draw.outcome or ""),
        (draw.server_seed or "") if revealed else "",
        draw.ticket_root or "",
    )


def upcoming_draws(uow: UnitOfWork, now: datetime) -> list[DrawView]:
    """Per lotto game, the next draw that is still selling."""
    with uow.reader() as r:
        games = r.session.exec(select(Game).where(Game.kind == GameKind.LOTTO).order_by(col(Game.id))).all()
        out = []
        for game in games:
            draw = open_draw(r.session, game, now)
            if draw is not None:
                out.append(draw_view(draw, game))
        return out


def recent_results(uow: UnitOfWork, limit: int = 10) -> list[DrawView]:
    """The latest drawn lotto draws, newest first, with their revealed seeds."""
    with uow.reader() as r:
        rows = r.session.exec(
            select(Round, Game)
            .join(Game, col(Game.id) == Round.game_id)
            .where(Game.kind == GameKind.LOTTO, col(Round.status).in_(REVEALED))
            .order_by(col(Round.draw_at).desc())
            .limit(max(1, min(limit, 100)))
        ).all()
        return [draw_view(d, g) for d, g in rows]
