"""The last step of a draw's settlement: the draw marked settled and each player told, once.

One transaction marks the draw SETTLED (only from DRAWN, so a second worker or a rerun does
nothing) and emits one `draw.settled` event per player who played it, carrying the player's
totals for the draw (tickets, winning tickets, stakes, wins) from one grouped read. The unit
of work turns them into inbox rows in the same transaction (persistence/inbox.py, key
`draw:<draw id>` per player), and the live channel pushes them after the commit.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from casino_app.domain.events import DomainEvent
from casino_app.domain.games.vocabulary import BetStatus, RoundStatus
from casino_app.domain.inbox import notices
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.tables import Bet, Game, Round
from casino_app.persistence.uow import UnitOfWork

_BETS = Bet.__table__  # type: ignore[attr-defined]
_ROUNDS = Round.__table__  # type: ignore[attr-defined]
_SETTLED = (BetStatus.WIN, BetStatus.LOSE, BetStatus.PUSH)


@retry_transient
def mark_settled(uow: UnitOfWork, draw_id: int, now: datetime) -> bool:
    """Mark a fully paid draw settled and tell its players; False when it was already settled."""
    with uow:
        s = uow.session
        marked = s.execute(
            sa.update(_ROUNDS)
            .where(_ROUNDS.c.id == draw_id, _ROUNDS.c.status == RoundStatus.DRAWN)
            .values(status=RoundStatus.SETTLED, settled_at=now)
        )
        if int(getattr(marked, "rowcount", 0) or 0) != 1:
            uow.rollback()
            return False
        for event in _player_events(s, draw_id):
            uow.emit(event)
        uow.commit()
        return True


def _player_events(session: Session, draw_id: int) -> list[DomainEvent]:
    draw = session.get(Round, draw_id)
    game = session.get(Game, draw.game_id) if draw is not None else None
    if draw is None or game is None:
        return []
    common = {
        "draw_id": draw_id,
        "game": game.name,
        "game_code": game.code,
        "draw": draw.code,
        "draw_at": draw.draw_at.isoformat() if draw.draw_at else "",
    }
    winning = sa.func.sum(sa.case((_BETS.c.win > 0, 1), else_=0))
    rows = session.execute(
        sa.select(
            _BETS.c.user_id,
            _BETS.c.currency,
            sa.func.count(),
            winning,
            sa.func.sum(_BETS.c.stake),
            sa.func.sum(_BETS.c.win),
        )
        .where(_BETS.c.round_id == draw_id, _BETS.c.status.in_(_SETTLED))
        .group_by(_BETS.c.user_id, _BETS.c.currency)
        .order_by(_BETS.c.user_id)
    ).all()
    return [
        DomainEvent(
            notices.DRAW_SETTLED_EVENT,
            int(user),
            {
                **common,
                "currency": currency,
                "tickets": int(tickets),
                "winning": int(won_count or 0),
                "stake_minor": int(staked or 0),
                "won_minor": int(won or 0),
            },
        )
        for user, currency, tickets, won_count, staked, won in rows
    ]
