"""The last statements of a draw's settlement: the draw marked settled and each player told, once.

Inside the draw's settlement transaction (draw_settlement.py): the draw goes SETTLED only
from DRAWN, so a second worker or a rerun does nothing, and every player who played it gets
one inbox notice with their totals for the draw (tickets, winning tickets, stakes, wins),
summed by one `INSERT ... SELECT ... GROUP BY` over the tickets (persistence/inbox.py, key
`draw:<draw id>` per player). The live channel pushes the notices after the commit.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from casino_app.domain.games.vocabulary import RoundStatus
from casino_app.persistence import inbox
from casino_app.persistence.tables import Game, Round
from casino_app.persistence.uow import UnitOfWork

_ROUNDS = Round.__table__  # type: ignore[attr-defined]


def mark_settled_in(uow: UnitOfWork, draw_id: int, now: datetime) -> bool:
    """Mark a fully paid draw settled and note its players; False when it was not DRAWN."""
    s = uow.session
    marked = s.execute(
        sa.update(_ROUNDS)
        .where(_ROUNDS.c.id == draw_id, _ROUNDS.c.status == RoundStatus.DRAWN)
        .values(status=RoundStatus.SETTLED, settled_at=now)
    )
    if int(getattr(marked, "rowcount", 0) or 0) != 1:
        return False
    draw = s.get(Round, draw_id)
    game = s.get(Game, draw.game_id) if draw is not None else None
    if draw is None or game is None:
        return True
    facts = {
        "game": game.name,
        "game_code": game.code,
        "draw": draw.code,
        "draw_at": draw.draw_at.isoformat() if draw.draw_at else "",
    }
    for event in inbox.record_draw_settled(s, draw_id, facts, now):
        uow.emit(event)
    return True
