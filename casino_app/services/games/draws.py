"""The draw cycle: schedule, close sales, draw with the RNG module, settle wins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from casino_app.domain.errors import NotFound
from casino_app.domain.games import lotto as rules
from casino_app.domain.games import rng
from casino_app.domain.money.funding import split_win
from casino_app.persistence.tables import Draw, LottoGame, Ticket
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.common import join_numbers, parse_numbers
from casino_app.services.games.lotto import game_rules, house_account
from casino_app.services.money import ledger
from casino_app.services.security import audit

SETTLE_BATCH = 200


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


def schedule(uow: UnitOfWork, now: datetime, close_s: int, interval_override: int | None = None) -> int:
    """Make sure every game has a draw that is selling; returns how many were created."""
    created = 0
    with uow:
        games = uow.session.exec(select(LottoGame)).all()
    for game in games:
        interval = interval_override or game.draw_interval_seconds
        close = min(close_s, max(1, interval // 2))
        created += _ensure_open_draw(uow, game, now, interval, close)
    return created


def _ensure_open_draw(uow: UnitOfWork, game: LottoGame, now: datetime, interval: int, close: int) -> int:
    with uow:
        s = uow.session
        selling = s.exec(
            select(Draw.id).where(Draw.game_id == game.id, Draw.status == "open", Draw.sales_close_at > now)
        ).first()
        if selling is not None:
            return 0
        draw_at = next_slot(now, interval, close)
        # A draw run early (run_draw_now) keeps its slot's code: take the next free slot.
        while (
            s.exec(select(Draw.id).where(Draw.game_id == game.id, Draw.code == _draw_code(draw_at))).first()
            is not None
        ):
            draw_at += timedelta(seconds=interval)
        seed = rng.new_server_seed()
        s.add(
            Draw(
                game_id=game.id or 0,
                code=_draw_code(draw_at),
                status="open",
                sales_close_at=draw_at - timedelta(seconds=close),
                draw_at=draw_at,
                seed_commitment=rng.commitment(seed),
                server_seed=seed,
            )
        )
        try:
            uow.commit()
        except IntegrityError:
            return 0  # another worker created it
        return 1


def _draw_code(draw_at: datetime) -> str:
    return draw_at.strftime("%Y%m%d-%H%M%S")


def close_sales(uow: UnitOfWork, now: datetime) -> int:
    """Stop sales of every draw whose closing time has passed."""
    with uow:
        result = uow.session.execute(
            sa.update(Draw)
            .where(col(Draw.status) == "open", col(Draw.sales_close_at) <= now)
            .values(status="closed")
        )
        uow.commit()
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def draw_due(uow: UnitOfWork, now: datetime) -> int:
    """Derive the numbers of every closed draw whose time has come (write-once)."""
    with uow:
        s = uow.session
        due = s.exec(
            select(Draw, LottoGame)
            .join(LottoGame, col(LottoGame.id) == Draw.game_id)
            .where(Draw.status == "closed", Draw.draw_at <= now)
        ).all()
        for draw, game in due:
            numbers = rules.draw_numbers(game_rules(game), draw.server_seed, draw.code)
            s.execute(
                sa.update(Draw)
                .where(col(Draw.id) == draw.id, col(Draw.status) == "closed")
                .values(status="drawn", numbers=join_numbers(numbers), drawn_at=now)
            )
        uow.commit()
        return len(due)


def settle_due(uow: UnitOfWork, now: datetime) -> tuple[int, int]:
    """Settle pending tickets of drawn draws; returns (tickets, draws) settled."""
    with uow:
        draws = [d for d in uow.session.exec(select(Draw.id).where(Draw.status == "drawn")).all() if d]
    tickets = 0
    for draw_id in draws:
        while (n := _settle_batch(uow, draw_id, now)) > 0:
            tickets += n
        _mark_settled(uow, draw_id, now)
    return tickets, len(draws)


def _settle_batch(uow: UnitOfWork, draw_id: int, now: datetime) -> int:
    with uow:
        s = uow.session
        draw = s.get(Draw, draw_id)
        assert draw is not None
        game = s.get(LottoGame, draw.game_id)
        assert game is not None
        r, winning = game_rules(game), list(parse_numbers(draw.numbers or ""))
        batch = s.exec(
            select(Ticket)
            .where(Ticket.draw_id == draw_id, Ticket.status == "pending")
            .order_by(col(Ticket.id))
            .limit(SETTLE_BATCH)
        ).all()
        for ticket in batch:
            _settle_ticket(s, ticket, game, r, winning, now)
        uow.commit()
        return len(batch)


def _settle_ticket(
    s: Session, ticket: Ticket, game: LottoGame, r: rules.LottoRules, winning: list[int], now: datetime
) -> None:
    selection = list(parse_numbers(ticket.selection))
    win = rules.win_amount(r, ticket.stake, selection, winning)
    if win > 0:
        _pay_win(s, ticket, game, win, now)
    ticket.status = "win" if win > 0 else "lose"
    ticket.matches = rules.count_matches(selection, winning)
    ticket.win = win
    ticket.settled_at = now
    s.add(ticket)


def _pay_win(s: Session, ticket: Ticket, game: LottoGame, win: int, now: datetime) -> None:
    """Credit a win, split between cash and bonus as the stake was funded."""
    split = split_win(win, ticket.stake, ticket.stake_bonus)
    house = house_account(s, game.code, ticket.currency, ticket.id or 0)
    postings = [ledger.Posting(house, -win)]
    if split.cash:
        postings.append(
            ledger.Posting(ledger.player_cash_account(s, ticket.user_id, ticket.currency), split.cash)
        )
    if split.bonus:
        bonus = ledger.ensure_account(s, kind="player_bonus", currency=ticket.currency, owner=ticket.user_id)
        postings.append(ledger.Posting(bonus, split.bonus))
    ledger.post(
        s,
        kind="win",
        idempotency_key=f"win:{ticket.id}",
        request={"ticket": ticket.id, "win": win},
        postings=postings,
        currency=ticket.currency,
        now=now,
        reference=ticket.validation_number,
    )


def _mark_settled(uow: UnitOfWork, draw_id: int, now: datetime) -> None:
    with uow:
        uow.session.execute(
            sa.update(Draw)
            .where(col(Draw.id) == draw_id, col(Draw.status) == "drawn")
            .values(status="settled", settled_at=now)
        )
        uow.commit()


def run_cycle(
    uow: UnitOfWork, now: datetime, close_s: int, interval_override: int | None = None
) -> CycleReport:
    """One pass of the whole cycle, in order; every step is idempotent."""
    closed = close_sales(uow, now)
    drawn = draw_due(uow, now)
    tickets, draws = settle_due(uow, now)
    scheduled = schedule(uow, now, close_s, interval_override)
    return CycleReport(scheduled, closed, drawn, tickets, draws)


def run_draw_now(
    uow: UnitOfWork,
    game_code: str,
    now: datetime,
    close_s: int,
    interval_override: int | None = None,
    *,
    actor: str = "cli",
) -> Draw:
    """Demo and test hook: close the selling draw of a game now, draw and settle it (audited)."""
    with uow:
        s = uow.session
        game = s.exec(select(LottoGame).where(LottoGame.code == game_code)).first()
        if game is None:
            raise NotFound(f"Unknown game {game_code!r}.")
        draw = s.exec(
            select(Draw).where(Draw.game_id == game.id, Draw.status == "open").order_by(col(Draw.draw_at))
        ).first()
        if draw is None:
            raise NotFound("No open draw to run.")
        draw_id = draw.id
        audit.record(
            s,
            actor=actor,
            action="draw.run_now",
            subject=f"draw:{draw_id}",
            details={
                "game": game_code,
                "code": draw.code,
                "before": {"draw_at": draw.draw_at.isoformat()},
                "after": {"draw_at": now.isoformat()},
                "reason": "demo: run the draw now",
            },
            now=now,
        )
        s.execute(sa.update(Draw).where(col(Draw.id) == draw_id).values(sales_close_at=now, draw_at=now))
        uow.commit()
    run_cycle(uow, now, close_s, interval_override)
    with uow:
        result = uow.session.get(Draw, draw_id)
        assert result is not None
        return result
