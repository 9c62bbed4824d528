"""The back office's view of lotto draws: state, commitment, root, tickets, stakes, settlement figures."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from casino_app.domain.games.vocabulary import BetStatus, GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import Bet, DrawSettlement, Game, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.games import catalog


@dataclass(frozen=True)
class TierFigure:
    matches: int
    winners: int  # winning lines
    paid: int  # minor units


@dataclass(frozen=True)
class OpsDrawView:
    """One draw as operators see it; amounts in minor units of `currency`."""

    id: int
    game_code: str
    code: str
    status: str
    draw_at: datetime | None
    closes_at: datetime | None
    commitment: str
    ticket_root: str
    numbers: str
    currency: str
    tickets: int
    stakes: int  # of tickets not refunded
    refunded: int  # tickets refunded (a cancelled draw, a voided ticket)
    settled: bool
    tiers: tuple[TierFigure, ...] = ()
    jackpot_before: int = 0
    jackpot_funded: int = 0
    jackpot_won: int = 0
    jackpot_seeded: int = 0
    jackpot_after: int = 0


def lotto_game_codes(uow: UnitOfWork) -> list[str]:
    """The lotto games, in catalogue order (public)."""
    return [g.code for g in catalog.all_games(uow) if g.kind == GameKind.LOTTO]


@authz.guard("ops.draws.view")
def list_draws(uow: UnitOfWork, actor: Actor, game_code: str, limit: int = 30) -> list[OpsDrawView]:
    """A game's draws, the latest draw time first, with their tickets, stakes and settlement.

    Raises:
        NotFound: unknown game.
    """
    with uow.reader() as r:
        s = r.session
        game = catalog.find_game(s, str(game_code)[:32])
        draws = s.exec(
            select(Round)
            .where(Round.game_id == game.id)
            .order_by(col(Round.draw_at).desc(), col(Round.id).desc())
            .limit(max(1, min(int(limit), 200)))
        ).all()
        ids = [d.id for d in draws]
        counts = _ticket_counts(s, ids)
        figures = {
            f.draw_id: f for f in s.exec(select(DrawSettlement).where(col(DrawSettlement.draw_id).in_(ids)))
        }
        return [_view(d, game, counts.get(d.id or 0, (0, 0, 0)), figures.get(d.id or 0)) for d in draws]


def _ticket_counts(s: object, ids: list[int | None]) -> dict[int, tuple[int, int, int]]:
    void = sa.case((col(Bet.status) == BetStatus.VOID, 1), else_=0)
    live = sa.case((col(Bet.status) != BetStatus.VOID, col(Bet.stake)), else_=0)
    rows = s.exec(  # type: ignore[attr-defined]
        select(Bet.round_id, sa.func.count(), sa.func.coalesce(sa.func.sum(live), 0), sa.func.sum(void))
        .where(col(Bet.round_id).in_(ids))
        .group_by(col(Bet.round_id))
    ).all()
    return {int(rid): (int(n), int(stakes or 0), int(voided or 0)) for rid, n, stakes, voided in rows}


def _view(d: Round, game: Game, counts: tuple[int, int, int], f: DrawSettlement | None) -> OpsDrawView:
    assert d.id is not None
    tiers = tuple(TierFigure(t["matches"], t["winners"], t["paid"]) for t in json.loads(f.tiers)) if f else ()
    return OpsDrawView(
        d.id,
        game.code,
        d.code,
        d.status,
        d.draw_at,
        d.closes_at,
        d.seed_commitment or "",
        d.ticket_root or "",
        d.outcome or "",
        game.currency,
        counts[0],
        counts[1],
        counts[2],
        f is not None,
        tiers,
        f.jackpot_before if f else 0,
        f.jackpot_funded if f else 0,
        f.jackpot_won if f else 0,
        f.jackpot_seeded if f else 0,
        f.jackpot_after if f else 0,
    )
