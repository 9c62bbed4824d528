"""Lotto catalogue, ticket purchase (debit and ticket in one transaction) and history."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from casino_app.config import load_settings
from casino_app.domain.errors import InvalidInput, NotFound
from casino_app.domain.games import lotto as rules
from casino_app.persistence import hotpath
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.tables import Draw, LottoGame, Ticket
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.common import join_numbers, money_line, parse_numbers
from casino_app.services.dto import DrawView, GameView, TicketLine, TicketReceipt
from casino_app.services.money import ledger

HOUSE_SHARDS = max(1, load_settings().house_shards)
STAKE_CASH_FIRST = load_settings().stake_cash_first


@dataclass(frozen=True)
class PlaceLottoTicket:
    user_id: int
    game_code: str
    selection: tuple[int, ...]
    stake_minor: int
    request_id: str


def game_rules(game: LottoGame) -> rules.LottoRules:
    """The domain rules of a stored game version."""
    pairs = tuple((int(m), int(x)) for m, x in (item.split(":") for item in game.paytable.split(",")))
    return rules.LottoRules(game.pick, game.pool, pairs, game.min_stake, game.max_stake)


def game_view(game: LottoGame) -> GameView:
    r = game_rules(game)
    rtp = rules.theoretical_rtp(r)
    return GameView(
        game.code,
        game.name,
        game.pick,
        game.pool,
        money_line(game.min_stake, game.currency),
        money_line(game.max_stake, game.currency),
        f"{float(rtp) * 100:.2f}%",
        r.paytable,
    )


def draw_view(draw: Draw, game: LottoGame) -> DrawView:
    assert draw.id is not None
    revealed = draw.status in ("drawn", "settled")
    return DrawView(
        draw.id,
        game.code,
        game.name,
        draw.code,
        draw.status,
        draw.sales_close_at,
        draw.draw_at,
        draw.seed_commitment,
        parse_numbers(draw.numbers or ""),
        draw.server_seed if revealed else "",
    )


def list_games(uow: UnitOfWork) -> list[GameView]:
    with uow.reader() as r:
        games = r.session.exec(select(LottoGame).order_by(col(LottoGame.id))).all()
        return [game_view(g) for g in games]


def _find_game(session: Session, code: str) -> LottoGame:
    game = session.exec(select(LottoGame).where(LottoGame.code == code)).first()
    if game is None:
        raise NotFound(f"Unknown game {code!r}.")
    return game


def _open_draw(session: Session, game: LottoGame, now: datetime) -> Draw | None:
    return session.exec(
        select(Draw)
        .where(Draw.game_id == game.id, Draw.status == "open", Draw.sales_close_at > now)
        .order_by(col(Draw.draw_at))
    ).first()


def upcoming_draws(uow: UnitOfWork, now: datetime) -> list[DrawView]:
    """Per game, the next draw that is still selling."""
    with uow.reader() as r:
        out = []
        for game in r.session.exec(select(LottoGame).order_by(col(LottoGame.id))).all():
            draw = _open_draw(r.session, game, now)
            if draw is not None:
                out.append(draw_view(draw, game))
        return out


def recent_results(uow: UnitOfWork, limit: int = 10) -> list[DrawView]:
    with uow.reader() as r:
        rows = r.session.exec(
            select(Draw, LottoGame)
            .join(LottoGame, col(LottoGame.id) == Draw.game_id)
            .where(col(Draw.status).in_(("drawn", "settled")))
            .order_by(col(Draw.draw_at).desc())
            .limit(limit)
        ).all()
        return [draw_view(d, g) for d, g in rows]


def house_account(session: Session, game_code: str, currency: str, key: int) -> int:
    """One of the game's house revenue shards, so that bets do not queue on one row."""
    return ledger.ensure_account(
        session, kind="house_revenue", currency=currency, owner=game_code, shard=key % HOUSE_SHARDS
    )


def new_validation_number() -> str:
    """80 random bits in base32: unique, non-sequential, easy to read aloud."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class _GameFacts:
    """What the hot path needs of a game version; versions never change once created."""

    id: int
    code: str
    name: str
    currency: str
    rules: rules.LottoRules


_GAMES: dict[tuple[str, str], _GameFacts] = {}


def _game_facts(uow: UnitOfWork, code: str) -> _GameFacts:
    """Game facts, cached per database: a ticket costs no extra round trip for them."""
    key = (uow.database.url, code)
    facts = _GAMES.get(key)
    if facts is None:
        with uow.reader() as r:
            game = _find_game(r.session, code)
        assert game.id is not None
        facts = _GameFacts(game.id, game.code, game.name, game.currency, game_rules(game))
        _GAMES[key] = facts
    return facts


@retry_transient
def place_lotto_ticket(uow: UnitOfWork, cmd: PlaceLottoTicket, now: datetime) -> TicketReceipt:
    """Debit the stake and issue the ticket in one database transaction.

    On PostgreSQL this is one call of a stored function; on SQLite one BEGIN IMMEDIATE
    transaction. The stake is funded cash first (profile setting), then bonus.

    Raises:
        InvalidSelection, InvalidAmount: bad input; nothing is written.
        DrawClosed: no draw of this game is selling.
        InsufficientFunds: the stake is above the balance.
        IdempotencyConflict: `request_id` was used for a different ticket.
    """
    if not cmd.request_id or len(cmd.request_id) > 128:
        raise InvalidInput("A ticket request needs an id of 1 to 128 characters.")
    game = _game_facts(uow, cmd.game_code)
    selection = rules.validate_selection(game.rules, list(cmd.selection))
    rules.validate_stake(game.rules, cmd.stake_minor)
    request = {"kind": "stake", "game": game.code, "selection": selection, "stake": cmd.stake_minor}
    order = hotpath.TicketOrder(
        user_id=cmd.user_id,
        game_id=game.id,
        currency=game.currency,
        cash_code=ledger.account_code("player_cash", game.currency, cmd.user_id),
        bonus_code=ledger.account_code("player_bonus", game.currency, cmd.user_id),
        house_code=ledger.account_code(
            "house_revenue", game.currency, game.code, secrets.randbelow(HOUSE_SHARDS)
        ),
        stake=cmd.stake_minor,
        cash_first=STAKE_CASH_FIRST,
        selection=join_numbers(selection),
        validation_number=new_validation_number(),
        idempotency_key=f"ticket:{cmd.user_id}:{cmd.request_id}",
        request_hash=ledger.request_hash(request),
        actor=f"player:{cmd.user_id}",
        now=now,
    )
    placed = hotpath.place_ticket(uow.database, order)
    return TicketReceipt(
        placed.validation_number,
        game.name,
        placed.draw_code,
        placed.draw_at,
        parse_numbers(placed.selection),
        money_line(cmd.stake_minor, game.currency),
        placed.created_at,
        money_line(placed.cash_after, game.currency),
        placed.replayed,
    )


def ticket_history(uow: UnitOfWork, user_id: int, limit: int = 50) -> list[TicketLine]:
    """The player's tickets, newest first, with the draw's numbers once drawn."""
    with uow.reader() as r:
        rows = r.session.exec(
            select(Ticket, Draw, LottoGame)
            .join(Draw, col(Draw.id) == Ticket.draw_id)
            .join(LottoGame, col(LottoGame.id) == Draw.game_id)
            .where(Ticket.user_id == user_id)
            .order_by(col(Ticket.created_at).desc(), col(Ticket.id).desc())
            .limit(limit)
        ).all()
        return [
            TicketLine(
                t.validation_number,
                g.name,
                d.code,
                d.draw_at,
                parse_numbers(t.selection),
                parse_numbers(d.numbers or ""),
                t.status,
                t.matches,
                money_line(t.stake, t.currency),
                money_line(t.win, t.currency),
                t.created_at,
            )
            for t, d, g in rows
        ]
