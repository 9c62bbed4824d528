"""The lotto draw cycle on rounds: schedule ahead, open, close sales, draw, settle with the jackpot.

Lifecycle: scheduled (committed to its sealed seed, not selling) -> open -> closed -> drawn ->
settled, or cancelled (`void`, cancellation.py). Every step is idempotent, set-based and
conditional, and runs as the system (the scheduler holds a lease so one worker runs it); after
downtime one pass catches up every missed draw in draw order. Settlement is one transaction per
draw (settlement/money.py): every line classified in the database, the losing tickets settled in
one statement, the figures and jackpot money fixed, the prize tickets paid through the bet
engine under the game version the draw started with, the players noted. docs/LEDGER.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from casino_app.domain.errors import NotFound, PermissionDenied
from casino_app.domain.games.vocabulary import GameKind, RoundStatus
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import Game, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import parse_numbers
from casino_app.services.dto import DrawView
from casino_app.services.games import catalog, rng_health
from casino_app.services.games.lotto.draws import queries as draw_queries
from casino_app.services.games.lotto.draws import record as draw_record
from casino_app.services.games.lotto.settlement import classification as draw_classification
from casino_app.services.games.lotto.settlement import jackpot
from casino_app.services.games.lotto.settlement import money as draw_settlement
from casino_app.services.games.lotto.settlement import recording as draw_results
from casino_app.services.games.lotto.tickets.catalogue import lotto_rules
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


SCHEDULE_AHEAD = 2  # draws committed to their seeds beyond the ones selling


def _timing(uow: UnitOfWork, game: Game) -> tuple[int, int, int]:
    """(interval, sales-close offset, draws selling at once) of a game, from settings and its rules."""
    settings = uow.context.settings
    facts = catalog.game_facts(uow, game.code, game.version)
    interval = settings.draw_interval_seconds or game.draw_interval_seconds or 300
    close = int(facts.rules.get("sales_close_seconds") or settings.sales_close_seconds)
    selling = max(1, int(facts.rules.get("max_draws") or 1))
    return interval, min(close, max(1, interval // 2)), selling


def schedule(uow: UnitOfWork, now: datetime) -> int:
    """Plan every lotto game's next draws: the ones selling open, the next ones scheduled.

    Each draw is committed to its sealed seed when it is created, so its commitment is public
    before its sales open. Returns how many draws were created.
    """
    created = 0
    for game in _lotto_games(uow):
        interval, close, selling = _timing(uow, game)
        created += _plan_draws(uow, game, now, interval, close, selling)
    return created


def _plan_draws(uow: UnitOfWork, game: Game, now: datetime, interval: int, close: int, selling: int) -> int:
    wanted = selling + SCHEDULE_AHEAD
    with uow:
        s = uow.session
        jackpot.ensure_jackpot_in(uow, catalog.game_facts(uow, game.code, game.version), now)
        ahead = s.exec(
            select(Round.status).where(
                Round.game_id == game.id,
                col(Round.status).in_((RoundStatus.SCHEDULED, RoundStatus.OPEN)),
                col(Round.closes_at) > now,
            )
        ).all()
        count, sells, created = len(ahead), sum(1 for st in ahead if st == RoundStatus.OPEN), 0
        draw_at = next_slot(now, interval, close)
        for _ in range(wanted + 50):  # bounded: codes taken by draws run early are skipped
            if count >= wanted:
                break
            if not s.exec(
                select(Round.id).where(Round.game_id == game.id, Round.code == _draw_code(draw_at))
            ).first():
                opens = now if sells < selling else draw_at - timedelta(seconds=selling * interval + close)
                _create_draw(uow, game, now, draw_at, close, max(opens, now))
                count, created, sells = count + 1, created + 1, sells + (opens <= now)
            draw_at += timedelta(seconds=interval)
        try:
            uow.commit()
        except IntegrityError:
            return 0  # another worker planned them
        return created


def _create_draw(
    uow: UnitOfWork, game: Game, now: datetime, draw_at: datetime, close: int, opens: datetime
) -> None:
    """A draw committed to a fresh sealed seed; scheduled (not selling) until `opens`."""
    closes_at = draw_at - timedelta(seconds=close)
    draw = draw_record.create_draw_in(uow, game, _draw_code(draw_at), now, closes_at, draw_at)
    if opens > now:
        uow.session.execute(
            sa.update(_ROUNDS)
            .where(_ROUNDS.c.id == draw.id, _ROUNDS.c.status == RoundStatus.OPEN)
            .values(status=RoundStatus.SCHEDULED, opened_at=opens)  # created so, in the same transaction
        )


def open_due(uow: UnitOfWork, now: datetime) -> int:
    """Open the scheduled draws whose sales start by `now`, and the next draw of a game selling none.

    Set-based and conditional (`scheduled` -> `open`), so two workers open a draw once.
    """
    with uow:
        s = uow.session
        result = s.execute(
            sa.update(_ROUNDS)
            .where(_ROUNDS.c.status == RoundStatus.SCHEDULED, _ROUNDS.c.opened_at <= now)
            .values(status=RoundStatus.OPEN)
        )
        opened = int(getattr(result, "rowcount", 0) or 0)
        for game in s.exec(select(Game).where(Game.kind == GameKind.LOTTO)).all():
            if draw_queries.open_draw(s, game, now) is None:
                opened += _open_next(s, game, now)
        uow.commit()
        return opened


def _open_next(s: Session, game: Game, now: datetime) -> int:
    nxt = s.exec(
        select(Round.id)
        .where(Round.game_id == game.id, Round.status == RoundStatus.SCHEDULED, col(Round.closes_at) > now)
        .order_by(col(Round.draw_at))
    ).first()
    if nxt is None:
        return 0
    result = s.execute(
        sa.update(_ROUNDS)
        .where(_ROUNDS.c.id == nxt, _ROUNDS.c.status == RoundStatus.SCHEDULED)
        .values(status=RoundStatus.OPEN, opened_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


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
    if not rng_health.check_before_draw(uow, Actor.system("rng-health"), now).healthy:
        return 0  # the RNG self-test failed: the draw waits (alert raised), no fallback
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


def settle_due(uow: UnitOfWork, now: datetime) -> tuple[int, int]:
    """Settle drawn draws in draw order, each in one transaction (`draw_settlement.settle_draw`:
    classified, figures and jackpot, prize tickets paid, draw SETTLED), then record every
    settled draw not yet recorded (`draw_results.record_outcomes`: losing tickets written,
    players noted); returns (tickets, draws) settled. A run interrupted anywhere and repeated
    settles each ticket once.
    """
    with uow.reader() as r:
        due = r.session.exec(
            select(Round.id, Round.outcome, Round.game_version, Game.code)
            .join(Game, col(Game.id) == Round.game_id)
            .where(Round.status == RoundStatus.DRAWN)
            .order_by(col(Round.draw_at), col(Round.id))
        ).all()
    tickets = 0
    for draw_id, outcome, version, code in due:
        assert draw_id is not None
        game = catalog.game_facts(uow, code, version)
        lines = draw_settlement.draw_lines(draw_id, game, list(parse_numbers(outcome or "")))
        tickets += draw_settlement.settle_draw(uow, lines, game, now)
    for draw_id in draw_results.unrecorded(uow):
        tickets += draw_results.record_outcomes(uow, _settled_lines(uow, draw_id), now)
    return tickets, len(due)


def _settled_lines(uow: UnitOfWork, draw_id: int) -> draw_classification.DrawLines:
    with uow.reader() as r:
        outcome, version, code = r.session.exec(
            select(Round.outcome, Round.game_version, Game.code)
            .join(Game, col(Game.id) == Round.game_id)
            .where(Round.id == draw_id)
        ).one()
    game = catalog.game_facts(uow, code, version)
    return draw_settlement.draw_lines(draw_id, game, list(parse_numbers(outcome or "")))


@authz.guard("system.jobs")
def run_cycle(uow: UnitOfWork, actor: Actor, now: datetime) -> CycleReport:
    """One pass of the whole cycle, in order; every step is idempotent."""
    open_due(uow, now)  # a draw scheduled while the server was down opens, then closes in order
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
