"""A lotto ticket as the player sees it: its lines, and one bet per draw it plays.

A ticket is one bet per draw, all bought in one transaction and sharing the ticket's id: the
validation number of its first draw's bet. The bet row carries the grouping in its request
key: the first draw's bet has the purchase's request id, the next ones `<request id>#d2`,
`#d3` ... (`part_key`), so no table is needed beside `bets`. A draw cancelled later refunds its
own bet; the others play on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.domain.errors import NotFound
from casino_app.domain.games import lotto as rules
from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import Bet, Game, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line, parse_numbers
from casino_app.services.dto import MoneyLine
from casino_app.services.games.lotto.tickets.outcome import outcome_of

PART_MARK = "#d"  # request ids of a ticket's later draws: "<request id>#d2" ...
MAX_PARTS = 64  # the most draws any ticket can play (a game's `max_draws` is at most this)
MAX_PAGE = 100


def part_key(request_id: str, part: int) -> str:
    """The request key of the ticket's `part`-th draw (1: the first, the request id itself)."""
    return request_id if part == 1 else f"{request_id}{PART_MARK}{part}"


@dataclass(frozen=True)
class TicketDraw:
    """One draw of a ticket: its own bet, stake and result."""

    bet_id: str
    draw_id: int
    draw_code: str
    draw_at: datetime
    sales_close_at: datetime
    draw_status: str
    status: str
    numbers: tuple[int, ...]
    stake: MoneyLine
    win: MoneyLine
    result: str = ""  # once settled: the matches of each line ("3" or "3,0,1")


@dataclass(frozen=True)
class LottoTicket:
    """A ticket: its id (the validation number), its lines, and its draws in draw order."""

    ticket_id: str
    game_code: str
    game_name: str
    lines: tuple[tuple[int, ...], ...]
    stake_per_draw: MoneyLine
    total_stake: MoneyLine
    draws: tuple[TicketDraw, ...]
    issued_at: datetime
    balance_after: MoneyLine | None = None  # known right after a purchase
    replayed: bool = False


@dataclass(frozen=True)
class TicketPage:
    tickets: tuple[LottoTicket, ...]
    total: int
    offset: int
    limit: int


def _draw(bet: Bet, draw: Round) -> TicketDraw:
    assert draw.id is not None
    outcome = outcome_of(bet, draw)
    return TicketDraw(
        bet.public_id,
        draw.id,
        draw.code,
        draw.draw_at or draw.opened_at,
        draw.closes_at or draw.opened_at,
        draw.status,
        outcome.status,
        parse_numbers(draw.outcome or ""),
        money_line(bet.stake, bet.currency),
        money_line(bet.win, bet.currency),
        outcome.result,
    )


def ticket_of(parts: Sequence[tuple[Bet, Round]], game: Game, **extra: object) -> LottoTicket:
    """The ticket of its bets (the first draw's first)."""
    head = parts[0][0]
    draws = tuple(sorted((_draw(b, d) for b, d in parts), key=lambda d: d.draw_at))
    total = sum(b.stake for b, _ in parts)
    return LottoTicket(
        head.public_id,
        game.code,
        game.name,
        rules.parse_lines(head.selection),
        money_line(head.stake, head.currency),
        money_line(total, head.currency),
        draws,
        head.created_at,
        **extra,  # type: ignore[arg-type]
    )


def _parts(session: Session, heads: Sequence[Bet]) -> dict[str, list[tuple[Bet, Round]]]:
    """Every bet of the tickets headed by `heads`, by head key."""
    if not heads:
        return {}
    keys = {part_key(h.idempotency_key, n): h.idempotency_key for h in heads for n in range(1, MAX_PARTS + 1)}
    users = {h.user_id for h in heads}
    rows = session.exec(
        select(Bet, Round)
        .join(Round, col(Round.id) == Bet.round_id)
        .where(col(Bet.user_id).in_(users), col(Bet.idempotency_key).in_(list(keys)))
    ).all()
    out: dict[str, list[tuple[Bet, Round]]] = {}
    head_ids = {h.id for h in heads}
    for bet, draw in sorted(rows, key=lambda r: (r[0].id not in head_ids, r[1].draw_at or r[1].opened_at)):
        out.setdefault(keys[bet.idempotency_key], []).append((bet, draw))
    return out


def stored_ticket(session: Session, user_id: int, request_id: str) -> LottoTicket | None:
    """The ticket bought under `request_id` by the player, if any."""
    head = session.exec(select(Bet).where(Bet.user_id == user_id, Bet.idempotency_key == request_id)).first()
    if head is None:
        return None
    game = session.get(Game, head.game_id)
    assert game is not None
    return ticket_of(_parts(session, [head])[request_id], game)


def _heads(user_id: int) -> Any:
    """The first draw's bets of the player's lotto tickets (a ticket's head)."""
    return (
        select(Bet, Game)
        .join(Game, col(Game.id) == Bet.game_id)
        .where(Bet.user_id == user_id, Game.kind == GameKind.LOTTO)
        .where(~col(Bet.idempotency_key).contains(PART_MARK))
    )


@authz.guard("player.history")
def my_tickets(uow: UnitOfWork, actor: Actor, offset: int = 0, limit: int = 20) -> TicketPage:
    """The player's tickets, newest first, `limit` (1 to 100) from `offset`."""
    user_id = actor.player_id()
    offset, limit = max(0, int(offset)), max(1, min(int(limit), MAX_PAGE))
    with uow.reader() as r:
        s = r.session
        rows = s.exec(
            _heads(user_id)
            .order_by(col(Bet.created_at).desc(), col(Bet.id).desc())
            .offset(offset)
            .limit(limit)
        ).all()
        total = s.exec(select(sa.func.count()).select_from(_heads(user_id).subquery())).one()
        parts = _parts(s, [b for b, _ in rows])
        tickets = tuple(ticket_of(parts[b.idempotency_key], g) for b, g in rows)
    return TicketPage(tickets, total, offset, limit)


@authz.guard("player.history")
def my_ticket(uow: UnitOfWork, actor: Actor, ticket_id: str) -> LottoTicket:
    """One of the player's tickets by its id (any other player's: `NotFound`)."""
    user_id = actor.player_id()
    with uow.reader() as r:
        s = r.session
        found = s.exec(_heads(user_id).where(Bet.public_id == str(ticket_id)[:32])).first()
        if found is None:
            raise NotFound("No such ticket.")
        bet, game = found
        return ticket_of(_parts(s, [bet])[bet.idempotency_key], game)
