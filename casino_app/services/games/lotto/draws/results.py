"""Public lotto results: the archive of drawn draws, one draw's public page, a ticket by its number.

Everything here is public once a draw is drawn and needs no sign-in: the draw's record
(`proofs.draw_record_of`: commitment, ticket root, revealed seed, numbers), how many tickets it
had and how many won, and a ticket looked up by its validation number with its inclusion proof.
No personal data leaves this module: a ticket shows what was bought and what it paid, never
who bought it. Dates are aware UTC datetimes; amounts are minor units (the pages format both).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from casino_app.domain.errors import NotFound
from casino_app.domain.games import lotto as rules
from casino_app.domain.games.vocabulary import BetStatus, GameKind
from casino_app.persistence.tables import Bet, Game, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.common import parse_numbers
from casino_app.services.games import catalog
from casino_app.services.games.lotto.draws import queries as draw_queries
from casino_app.services.games.lotto.settlement import jackpot as jackpots
from casino_app.services.games.lotto.tickets import proofs
from casino_app.services.games.lotto.tickets.outcome import outcome_of

MAX_PER_PAGE = 50
VALIDATION_NUMBER = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$")  # base32, `ABCD-EFGH-IJKL-MNOP`
UNKNOWN_TICKET = "No ticket of a drawn draw has that validation number."


@dataclass(frozen=True)
class DrawSummary:
    """One drawn draw in the archive."""

    draw_id: int
    game_code: str
    game_name: str
    draw_at: datetime
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class ResultsPage:
    """One page of the archive, newest first; `has_more` when an older page exists."""

    draws: tuple[DrawSummary, ...]
    page: int
    per_page: int
    has_more: bool


@dataclass(frozen=True)
class PrizeTier:
    """Winners of one prize tier (today: the lines that matched `matches` numbers)."""

    matches: int
    winners: int


@dataclass(frozen=True)
class PublicDraw:
    """A draw's public page: its record, its schedule, its tickets and prizes."""

    record: proofs.DrawRecord
    game_name: str
    currency: str
    closes_at: datetime | None
    draw_at: datetime | None
    tickets: int
    winners: int
    paid_minor: int
    tiers: tuple[PrizeTier, ...]
    jackpot_minor: int | None  # None: the game has no jackpot (yet)


@dataclass(frozen=True)
class PublicTicket:
    """A ticket as anyone holding its validation number sees it: never whose it is."""

    validation_number: str
    draw_id: int
    game_name: str
    draw_at: datetime | None
    lines: tuple[tuple[int, ...], ...]
    stake_minor: int
    currency: str
    status: str
    matches: int | None
    win_minor: int
    proof: proofs.TicketProof


def _game_condition(game_code: str | None) -> sa.ColumnElement[bool]:
    return sa.true() if not game_code else col(Game.code) == game_code


def drawn_draws(
    uow: UnitOfWork,
    game_code: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    per_page: int = 20,
) -> ResultsPage:
    """Drawn lotto draws, newest first: of one game or all, with a draw time in [since, until).

    Public: only draws whose numbers and seed are revealed. `page` counts from 1; `per_page`
    is kept within 1..50.
    """
    page, per_page = max(1, int(page)), max(1, min(int(per_page), MAX_PER_PAGE))
    query = (
        select(Round, Game)
        .join(Game, col(Game.id) == Round.game_id)
        .where(Game.kind == GameKind.LOTTO, col(Round.status).in_(draw_queries.REVEALED))
        .where(_game_condition(game_code))
    )
    if since is not None:
        query = query.where(col(Round.draw_at) >= since)
    if until is not None:
        query = query.where(col(Round.draw_at) < until)
    query = query.order_by(col(Round.draw_at).desc(), col(Round.id).desc())
    with uow.reader() as r:
        rows = r.session.exec(query.offset((page - 1) * per_page).limit(per_page + 1)).all()
        draws = tuple(_summary(d, g) for d, g in rows[:per_page])
    return ResultsPage(draws, page, per_page, len(rows) > per_page)


def _summary(draw: Round, game: Game) -> DrawSummary:
    assert draw.id is not None
    return DrawSummary(
        draw.id, game.code, game.name, draw.draw_at or draw.opened_at, parse_numbers(draw.outcome or "")
    )


def prize_tiers_of(session: Session, draw_id: int, paying: frozenset[int]) -> tuple[PrizeTier, ...]:
    """Winning lines per tier of a draw, best tier first, from the draw's settlement figures.

    Before the settlement is fixed (or for a draw settled before them) the tiers are counted
    from the settled tickets: `bets.result` holds each line's matches ("3" or "3,0,4").
    """
    settled = jackpots.settlement_of(session, draw_id)
    if settled is not None:
        tiers = json.loads(settled.tiers or "[]")
        return tuple(PrizeTier(int(t["matches"]), int(t["winners"])) for t in tiers if int(t["winners"]))
    results = session.exec(
        select(Bet.result).where(Bet.round_id == draw_id, Bet.status == BetStatus.WIN)
    ).all()
    counts: dict[int, int] = {}
    for result in results:
        for part in result.split(","):
            if part.strip().isdigit() and int(part) in paying:
                counts[int(part)] = counts.get(int(part), 0) + 1
    return tuple(PrizeTier(matches, counts[matches]) for matches in sorted(counts, reverse=True))


def jackpot_of(session: Session, draw: Round) -> int | None:
    """The jackpot the draw played for (minor units), once its settlement is fixed; else None."""
    assert draw.id is not None
    settled = jackpots.settlement_of(session, draw.id)
    return settled.jackpot_before + settled.jackpot_funded if settled is not None else None


def _ticket_totals(session: Session, draw_id: int) -> tuple[int, int, int]:
    tickets, winners, paid = session.exec(
        select(
            func.count(),
            func.coalesce(func.sum(sa.case((col(Bet.status) == BetStatus.WIN, 1), else_=0)), 0),
            func.coalesce(func.sum(Bet.win), 0),
        ).where(Bet.round_id == draw_id, col(Bet.status) != BetStatus.VOID)
    ).one()
    return int(tickets), int(winners), int(paid)


def public_draw(uow: UnitOfWork, draw_id: int) -> PublicDraw:
    """A lotto draw's public page (public: its record grows as the draw goes on).

    Raises:
        NotFound: no lotto draw has that id.
    """
    record = proofs.draw_record_of(uow, int(draw_id))
    with uow.reader() as r:
        draw = r.session.get(Round, record.draw_id)
        game = r.session.get(Game, draw.game_id) if draw is not None else None
    if draw is None or game is None:
        raise NotFound("Unknown draw.")
    facts = catalog.game_facts(uow, game.code, draw.game_version)
    paying = frozenset(m for m, x in rules.rules_from(facts.rules, 1, 1).paytable if x > 0)
    with uow.reader() as r:
        tickets, winners, paid = _ticket_totals(r.session, record.draw_id)
        tiers = prize_tiers_of(r.session, record.draw_id, paying) if record.numbers else ()
        jackpot = jackpot_of(r.session, draw)
    return PublicDraw(
        record,
        game.name,
        facts.currency,
        draw.closes_at,
        draw.draw_at,
        tickets,
        winners,
        paid,
        tiers,
        jackpot,
    )


def normal_validation_number(text: str) -> str:
    """A validation number as printed: upper case, dashes every four characters ("" if malformed)."""
    compact = re.sub(r"[\s-]", "", str(text or "")).upper()[:32]
    number = "-".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return number if VALIDATION_NUMBER.match(number) else ""


def public_ticket(uow: UnitOfWork, validation_number: str) -> PublicTicket:
    """A ticket of a drawn draw by its validation number, with its inclusion proof (public).

    Raises:
        NotFound: malformed number, no such ticket, or its draw is not drawn yet.
    """
    number = normal_validation_number(validation_number)
    if not number:
        raise NotFound(UNKNOWN_TICKET)
    try:
        proof = proofs.published_ticket_proof(uow, number)
    except NotFound:
        raise NotFound(UNKNOWN_TICKET) from None
    with uow.reader() as r:
        row = r.session.exec(
            select(Bet, Round, Game)
            .join(Round, col(Round.id) == Bet.round_id)
            .join(Game, col(Game.id) == Bet.game_id)
            .where(Bet.public_id == number)
        ).one()
    bet, draw, game = row
    outcome = outcome_of(bet, draw)
    return PublicTicket(
        number,
        proof.draw_id,
        game.name,
        draw.draw_at,
        rules.parse_lines(bet.selection),
        bet.stake,
        bet.currency,
        outcome.status,
        int(outcome.result) if outcome.result.isdigit() else None,
        bet.win,
        proof,
    )
