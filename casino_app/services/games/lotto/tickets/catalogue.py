"""Lotto on the bet engine: the catalogue view, one-line ticket purchase (a bet on a draw round), history.

`place_lotto_ticket` is one line on one draw, one bet (the hot path the benchmarks measure);
tickets of several lines for several draws are `ticket_purchase.buy_ticket`, which the play
page and the API use. The selection is validated by the game's domain rules, the
money goes through the engine's `place_stake` (no money SQL here), and the player buys into
the draw they were shown: when that draw has closed the answer is `draw_closed` naming the
next draw, never a silent switch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from casino_app.domain.errors import InvalidInput, RoundClosed
from casino_app.domain.games import lotto as rules
from casino_app.domain.games import lotto_prizes as prizes
from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import Bet, Game, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import join_numbers, money_line, parse_numbers
from casino_app.services.dto import GameView, TicketLine, TicketReceipt
from casino_app.services.games import catalog, engine
from casino_app.services.games.catalog import GameFacts
from casino_app.services.games.lotto.draws import queries as draws


@dataclass(frozen=True)
class PlaceLottoTicket:
    game_code: str
    selection: tuple[int, ...]
    stake_minor: int
    request_id: str
    draw_id: int | None = None  # the draw the player was shown; None: the draw now selling


def lotto_rules(game: GameFacts) -> rules.LottoRules:
    """The domain rules of a lotto game version."""
    if game.kind != GameKind.LOTTO:
        raise InvalidInput(f"{game.name} is not a lotto game.")
    return rules.rules_from(game.rules, game.min_stake, game.max_stake)


def game_view(game: GameFacts) -> GameView:
    r = lotto_rules(game)
    rtp = prizes.theoretical_rtp(prizes.prize_table(r, game.rules))  # jackpot share included
    return GameView(
        game.code,
        game.name,
        r.pick,
        r.pool,
        money_line(game.min_stake, game.currency),
        money_line(game.max_stake, game.currency),
        f"{float(rtp) * 100:.2f}%",
        r.paytable,
    )


def list_games(uow: UnitOfWork) -> list[GameView]:
    """Every lotto game at its current version (public: shown before any stake)."""
    return [game_view(g) for g in catalog.all_games(uow) if g.kind == GameKind.LOTTO]


@authz.guard("player.play")
def place_lotto_ticket(
    uow: UnitOfWork, actor: Actor, cmd: PlaceLottoTicket, now: datetime, *, _retried: bool = False
) -> TicketReceipt:
    """Debit the stake and issue the ticket in one transaction (one statement on PostgreSQL).

    Raises:
        InvalidSelection, InvalidAmount, InvalidInput: bad input; nothing is written.
        DrawClosed: the named draw (or, unnamed, every draw) no longer sells.
        InsufficientFunds: the stake is above the balance.
        IdempotencyConflict: `request_id` was used for a different ticket.
    """
    draw = draws.selling_draw(uow, cmd.game_code, now, cmd.draw_id)
    game = catalog.game_facts(uow, cmd.game_code, draw.game_version)
    selection = rules.validate_selection(lotto_rules(game), list(cmd.selection))
    stake = engine.Stake(
        game,
        draw.id,
        cmd.stake_minor,
        join_numbers(selection),
        cmd.request_id,
        {"selection": selection, "stake": cmd.stake_minor, "draw": cmd.draw_id or "next"},
    )
    try:
        placed = engine.place_stake(uow, actor, stake, now)
    except RoundClosed:
        draws.forget(uow, cmd.game_code)
        if cmd.draw_id is None and not _retried:  # "the draw now selling" just changed: that one
            return place_lotto_ticket(uow, actor, cmd, now, _retried=True)
        raise draws.closed_error(uow, cmd.game_code, draw, now) from None
    return TicketReceipt(
        placed.public_id,
        game.name,
        draw.code,
        draw.draw_at,
        parse_numbers(placed.selection),
        money_line(cmd.stake_minor, game.currency),
        placed.created_at,
        money_line(placed.cash_after, game.currency),
        placed.replayed,
        draw.id,
    )


@authz.guard("player.history")
def ticket_history(uow: UnitOfWork, actor: Actor, limit: int = 50) -> list[TicketLine]:
    """The player's tickets, newest first, with the draw's numbers once drawn."""
    user_id = actor.player_id()
    with uow.reader() as r:
        rows = r.session.exec(
            select(Bet, Round, Game)
            .join(Round, col(Round.id) == Bet.round_id)
            .join(Game, col(Game.id) == Bet.game_id)
            .where(Bet.user_id == user_id, Game.kind == GameKind.LOTTO)
            .order_by(col(Bet.created_at).desc(), col(Bet.id).desc())
            .limit(max(1, min(limit, 200)))
        ).all()
        return [_line(b, d, g) for b, d, g in rows]


def _line(bet: Bet, draw: Round, game: Game) -> TicketLine:
    return TicketLine(
        bet.public_id,
        game.name,
        draw.code,
        draw.draw_at or draw.opened_at,
        next(iter(rules.parse_lines(bet.selection)), ()),  # a ticket of several lines: its first
        parse_numbers(draw.outcome or ""),
        bet.status,
        int(bet.result) if bet.result.isdigit() else None,
        money_line(bet.stake, bet.currency),
        money_line(bet.win, bet.currency),
        bet.created_at,
    )
