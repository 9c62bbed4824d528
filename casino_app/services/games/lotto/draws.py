"""The lotto draw cycle on rounds: schedule, close sales, draw with the RNG module, settle.

Every step is idempotent and runs as the system (the scheduler holds a lease so one worker
runs it). Settlement goes through the bet engine, set-based, under the game version each
draw started with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from casino_app.domain.errors import NotFound, PermissionDenied
from casino_app.domain.games import lotto as rules
from casino_app.domain.games.vocabulary import GameKind, RoundStatus
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import Game, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import parse_numbers
from casino_app.services.dto import DrawView
from casino_app.services.games import catalog
from casino_app.services.games.engine import settlement
from casino_app.services.games.lotto import draw_queries, draw_record
from casino_app.services.games.lotto.tickets import lotto_rules
from casino_app.services.security import audit

_ROUNDS = Round.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class CycleReport:
    scheduled: int = 0
    closed: int = 0
    drawn: int = 0
    settled_tickets: int = 0
    settled_draws: int = 0


def next_slot(now: datetime, interval_s: int, close_s: int) -> datetime:
    """The first draw time on the interval grid whose sales are still open at `now`."""
    epoch = int(now.timestamp())
    slot = (epoch // interval_s + 1) * interval_s
    while slot - close_s <= epoch:
        slot += interval_s
    return datetime.fromtimestamp(slot, UTC)


def _draw_code(draw_at: datetime) -> str:
    return draw_at.strftime("%Y%m%d-%H%M%S")


def _lotto_games(uow: UnitOfWork) -> list[Game]:
    with uow.reader() as r:
        return list(
            r.session.exec(select(Game).where(Game.kind == GameKind.LOTTO).order_by(col(Game.id))).all()
        )


def schedule(uow: UnitOfWork, now: datetime) -> int:
    """Make sure every lotto game has a draw that is selling; returns how many were created."""
    settings = uow.context.settings
    created = 0
    for game in _lotto_games(uow):
        interval = settings.draw_interval_seconds or game.draw_interval_seconds or 300
        close = min(settings.sales_close_seconds, max(1, interval // 2))
        created += _ensure_open_draw(uow, game, now, interval, close)
    return created


def _ensure_open_draw(uow: UnitOfWork, game: Game, now: datetime, interval: int, close: int) -> int:
    with uow:
        s = uow.session
        if draw_queries.open_draw(s, game, now) is not None:
            return 0
        draw_at = next_slot(now, interval, close)
        # A draw run early keeps its slot's code: take the next free slot.
        while s.exec(
            select(Round.id).where(Round.game_id == game.id, Round.code == _draw_code(draw_at))
        ).first():
            draw_at += timedelta(seconds=interval)
        closes_at = draw_at - timedelta(seconds=close)
        try:
            draw_record.create_draw_in(uow, game, _draw_code(draw_at), now, closes_at, draw_at)
            uow.commit()
        except IntegrityError:
            return 0  # another worker created it
        return 1


def close_sales(uow: UnitOfWork, now: datetime) -> int:
    """Stop sales of every draw whose closing time has passed, then fix their ticket roots.

    Two transactions: the close waits for tickets being sold (PostgreSQL: their share lock on
    the draw) and refuses later ones; the root is computed once the close has committed.
    """
    with uow:
        result = uow.session.execute(
            sa.update(_ROUNDS)
            .where(
                _ROUNDS.c.status == RoundStatus.OPEN,
                _ROUNDS.c.closes_at.is_not(None),
                _ROUNDS.c.closes_at <= now,
            )
            .values(status=RoundStatus.CLOSED)
        )
        uow.commit()
    draw_record.fix_ticket_roots(uow)
    return int(getattr(result, "rowcount", 0) or 0)


def draw_due(uow: UnitOfWork, now: datetime) -> int:
    """Draw every closed draw whose time has come; returns how many this worker drew.

    A draw closed without its root (an interrupted close) gets it first. Only this step
    unseals a draw's seed; two workers never draw the same draw (`draw_record.due_draws`).
    """
    draw_record.fix_ticket_roots(uow)
    drawn = 0
    with uow:
        for draw in draw_record.due_draws(uow, now):
            version = catalog.game_facts(uow, _game_code(uow, draw), draw.game_version)
            drawn += draw_record.draw_in(uow, draw, lotto_rules(version), now)
        uow.commit()
    return drawn


def _game_code(uow: UnitOfWork, draw: Round) -> str:
    game = uow.session.get(Game, draw.game_id)
    if game is None or game.kind != GameKind.LOTTO:
        raise NotFound(f"Draw {draw.id} is not a lotto draw.")
    return game.code


def _payout(uow: UnitOfWork, numbers: list[int]) -> settlement.Payout:
    """A lotto ticket pays stake x the paytable multiplier of its version for its matches."""

    def payout(bet: settlement.PendingBet) -> settlement.Outcome:
        r = lotto_rules(catalog.game_facts(uow, bet.game_code, bet.game_version))
        selection = list(parse_numbers(bet.selection))
        matches = rules.count_matches(selection, numbers)
        return settlement.Outcome(rules.win_amount(r, bet.stake, selection, numbers), result=str(matches))

    return payout


def settle_due(uow: UnitOfWork, now: datetime) -> tuple[int, int]:
    """Settle the pending tickets of drawn draws; returns (tickets, draws) settled."""
    with uow.reader() as r:
        due = r.session.exec(select(Round.id, Round.outcome).where(Round.status == RoundStatus.DRAWN)).all()
    tickets = 0
    system = Actor.system("draw-settlement")
    for draw_id, outcome in due:
        assert draw_id is not None
        payout = _payout(uow, list(parse_numbers(outcome or "")))
        tickets += settlement.settle_round(uow, system, draw_id, payout, now)
        _mark_settled(uow, draw_id, now)
    return tickets, len(due)


def _mark_settled(uow: UnitOfWork, draw_id: int, now: datetime) -> None:
    with uow:
        uow.session.execute(
            sa.update(_ROUNDS)
            .where(_ROUNDS.c.id == draw_id, _ROUNDS.c.status == RoundStatus.DRAWN)
            .values(status=RoundStatus.SETTLED, settled_at=now)
        )
        uow.commit()


@authz.guard("system.jobs")
def run_cycle(uow: UnitOfWork, actor: Actor, now: datetime) -> CycleReport:
    """One pass of the whole cycle, in order; every step is idempotent."""
    closed = close_sales(uow, now)
    drawn = draw_due(uow, now)
    tickets, draws = settle_due(uow, now)
    scheduled = schedule(uow, now)
    return CycleReport(scheduled, closed, drawn, tickets, draws)


@authz.guard("ops.draws.run_now")
def run_draw_now(uow: UnitOfWork, actor: Actor, game_code: str, now: datetime) -> DrawView:
    """Demo and test hook: close the selling draw of a game now, draw and settle it (audited).

    Raises:
        PermissionDenied: outside demo mode (the shell may always). NotFound: unknown game or no open draw.
    """
    if not uow.context.settings.demo_mode and actor.role != "system":
        raise PermissionDenied("Running a draw early is a demo tool; it is off on this deployment.")
    draw_id = _bring_forward(uow, actor, game_code, now)
    draw_queries.forget(uow, game_code)
    run_cycle(uow, Actor.system(f"draw-now:{actor.audit_name}"), now)
    with uow.reader() as r:
        draw = r.session.get(Round, draw_id)
        assert draw is not None
        return draw_queries.draw_view(draw, catalog.find_game(r.session, game_code))


def _bring_forward(uow: UnitOfWork, actor: Actor, game_code: str, now: datetime) -> int:
    with uow:
        s = uow.session
        game = catalog.find_game(s, game_code)
        draw = s.exec(
            select(Round)
            .where(Round.game_id == game.id, Round.status == RoundStatus.OPEN)
            .order_by(col(Round.draw_at))
        ).first()
        if draw is None or draw.id is None:
            raise NotFound("No open draw to run.")
        audit.record(
            s,
            actor=actor.audit_name,
            action="draw.run_now",
            subject=f"draw:{draw.id}",
            details={
                "game": game_code,
                "code": draw.code,
                "before": {"draw_at": draw.draw_at.isoformat() if draw.draw_at else None},
                "after": {"draw_at": now.isoformat()},
                "reason": "demo: run the draw now",
            },
            now=now,
        )
        s.execute(sa.update(_ROUNDS).where(_ROUNDS.c.id == draw.id).values(closes_at=now, draw_at=now))
        uow.commit()
        return draw.id
