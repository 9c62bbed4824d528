"""Buying a lotto ticket: several lines (quick pick per line), the same lines for several draws.

The purchase names the draw the player was shown (or none: the draw selling now); the ticket
plays that draw and the next ones selling, `draws` in all. Each draw's stake is its own bet
(`ticket_views.part_key`), all taken in one transaction: the ticket is bought whole or not at
all. A draw that closed is refused with `draw_closed` naming the next draw, never switched
silently; the same request id replays the stored ticket, even after its draw closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from casino_app.domain.errors import DrawClosed, IdempotencyConflict, RoundClosed
from casino_app.domain.games import lotto as rules
from casino_app.domain.games.vocabulary import BetStatus, RoundStatus
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.stakes import CONFLICT, PlacedStake
from casino_app.persistence.tables import Game, LedgerTransaction, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line
from casino_app.services.games import catalog, engine
from casino_app.services.games.catalog import GameFacts
from casino_app.services.games.lotto.draws import queries as draws
from casino_app.services.games.lotto.tickets.catalogue import lotto_rules
from casino_app.services.games.lotto.tickets.views import LottoTicket, TicketDraw, part_key, stored_ticket
from casino_app.services.money import ledger

QUICK_PICK = None  # a line the player leaves to chance


@dataclass(frozen=True)
class BuyLottoTicket:
    """What the player asks for: `stake_minor` is one draw's stake for all the lines together."""

    game_code: str
    lines: tuple[tuple[int, ...] | None, ...]  # None: quick pick for that line
    stake_minor: int
    request_id: str
    draw_id: int | None = None  # the draw the player was shown; None: the draw selling now
    draws: int = 1


@dataclass(frozen=True)
class _Order:
    game: GameFacts
    lines: tuple[tuple[int, ...], ...]
    stake: int
    draws: tuple[draws.SellingDraw | Round, ...]
    request: dict[str, Any]


@authz.guard("player.play")
def buy_ticket(uow: UnitOfWork, actor: Actor, cmd: BuyLottoTicket, now: datetime) -> LottoTicket:
    """Validate the ticket, then take every draw's stake in one transaction.

    Raises:
        InvalidSelection (`too_many_lines`), TooManyDraws, InvalidAmount
        (`stake_not_multiple`), NotFound (unknown game or draw): bad input, nothing written.
        DrawClosed: the named draw (or every draw) no longer sells; `next_draw_id` is offered.
        InsufficientFunds, IdempotencyConflict, a stake check's error: nothing written.
    """
    try:
        first = draws.selling_draw(uow, cmd.game_code, now, cmd.draw_id)
    except DrawClosed:
        replay = _stored(uow, actor, cmd)
        if replay is None:
            lotto_rules(catalog.game_facts(uow, cmd.game_code))  # a casino game is no lotto draw
            raise
        return replay
    order = _order(uow, cmd, first, now)
    try:
        if len(order.draws) == 1:
            placed = [engine.place_stake(uow, actor, _stake(order, cmd.request_id, 1), now)]
        else:
            placed = _place_all(uow, actor, order, cmd.request_id, now)
    except RoundClosed:
        draws.forget(uow, cmd.game_code)
        raise draws.closed_error(uow, cmd.game_code, first, now) from None
    return _ticket(order, placed)


def _order(uow: UnitOfWork, cmd: BuyLottoTicket, first: draws.SellingDraw, now: datetime) -> _Order:
    game = catalog.game_facts(uow, cmd.game_code, first.game_version)
    game_rules, limits = lotto_rules(game), rules.ticket_limits_from(game.rules)
    count = rules.validate_draws(limits, cmd.draws)
    picked = [list(line) if line is not None else rules.quick_pick(game_rules) for line in cmd.lines]
    lines = rules.validate_lines(game_rules, limits, picked)
    stake = rules.validate_ticket_stake(limits, len(lines), cmd.stake_minor)
    request = _request(cmd)
    played: tuple[draws.SellingDraw | Round, ...] = (first,)
    if count > 1:
        played = (first, *_later_draws(uow, first, count - 1, now))
    return _Order(game, lines, stake, played, request)


def _request(cmd: BuyLottoTicket) -> dict[str, Any]:
    """What the request id stands for (quick picks as asked, not as drawn)."""
    return {
        "lines": [list(line) if line is not None else "quick_pick" for line in cmd.lines],
        "stake": cmd.stake_minor,
        "draw": cmd.draw_id or "next",
        "draws": cmd.draws,
    }


def _later_draws(uow: UnitOfWork, first: draws.SellingDraw, wanted: int, now: datetime) -> list[Round]:
    """The game's next `wanted` draws selling after `first`, in draw order (all, or refused)."""
    with uow.reader() as r:
        later = list(
            r.session.exec(
                select(Round)
                .join(Game, col(Game.id) == Round.game_id)
                .where(
                    Game.code == first.game_code,
                    Round.status == RoundStatus.OPEN,
                    col(Round.closes_at) > now,
                    col(Round.draw_at) > first.draw_at,
                )
                .order_by(col(Round.draw_at))
                .limit(wanted)
            ).all()
        )
    if len(later) < wanted:
        raise rules.TooManyDraws(f"Only {len(later) + 1} draw(s) of this game are on sale now.")
    return later


def _stake(order: _Order, request_id: str, part: int) -> engine.Stake:
    draw = order.draws[part - 1]
    assert draw.id is not None
    request = {**order.request, "part": part}
    return engine.Stake(
        order.game, draw.id, order.stake, rules.format_lines(order.lines), part_key(request_id, part), request
    )


@retry_transient
def _place_all(
    uow: UnitOfWork, actor: Actor, order: _Order, request_id: str, now: datetime
) -> list[PlacedStake]:
    """One bet per draw, in one transaction: every draw's stake, or none."""
    with uow:
        placed = [
            engine.place_stake_in(uow, actor, _stake(order, request_id, part), now)
            for part in range(1, len(order.draws) + 1)
        ]
        uow.commit()
    return placed


def _stored(uow: UnitOfWork, actor: Actor, cmd: BuyLottoTicket) -> LottoTicket | None:
    """The ticket already bought under this request id (its draw may have closed since)."""
    user_id = actor.player_id()
    with uow.reader() as r:
        s = r.session
        known = s.exec(
            select(LedgerTransaction.request_hash).where(
                LedgerTransaction.idempotency_key == f"stake:{user_id}:{cmd.request_id}"
            )
        ).first()
        if known is None:
            return None
        asked = ledger.request_hash({"game": cmd.game_code, **_request(cmd), "part": 1})
        if known != asked:
            raise IdempotencyConflict(CONFLICT)
        ticket = stored_ticket(s, user_id, cmd.request_id)
    return None if ticket is None else replace(ticket, replayed=True)


def _ticket(order: _Order, placed: Sequence[PlacedStake]) -> LottoTicket:
    """The ticket as stored (a replay shows the lines first bought, not a new quick pick)."""
    ccy, head = order.game.currency, placed[0]
    parts = tuple(
        TicketDraw(
            p.public_id,
            p.round_id,
            draw.code,
            _at(draw.draw_at),
            _at(draw.closes_at),
            RoundStatus.OPEN,
            BetStatus.PENDING,
            (),
            money_line(order.stake, ccy),
            money_line(0, ccy),
        )
        for p, draw in zip(placed, order.draws, strict=True)
    )
    return LottoTicket(
        head.public_id,
        order.game.code,
        order.game.name,
        rules.parse_lines(head.selection),
        money_line(order.stake, ccy),
        money_line(order.stake * len(placed), ccy),
        parts,
        head.created_at,
        money_line(placed[-1].cash_after, ccy),
        all(p.replayed for p in placed),
    )


def _at(value: datetime | None) -> datetime:
    assert value is not None  # a lotto draw has its times
    return value
