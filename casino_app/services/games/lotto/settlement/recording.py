"""A settled draw's results recorded: the draw marked settled, its losing tickets written, each player told.

- `mark_settled_in` is the last statement of the draw's settlement transaction
  (money.py): the draw goes SETTLED only from DRAWN, so a second worker or a rerun
  does nothing. By then every prize ticket is paid; every ticket still pending has lost.
- `record_outcomes` then writes those tickets lost with their hits per line, in id ranges of
  `LOSERS_PER_TRANSACTION`, one transaction each (draw_classification.record_losers), and in
  a last transaction gives every player of the draw one inbox notice with their totals
  (tickets, winning tickets, stakes, wins: one `INSERT ... SELECT ... GROUP BY`,
  persistence/inbox.py, key `draw:<draw id>` per player) and stamps the figures'
  `recorded_at`. Each step repeats harmlessly: an interrupted pass leaves the draw SETTLED
  with `recorded_at` empty and the next pass (`unrecorded`) finishes it. Until its row is
  written, a losing ticket of a settled draw reads as lost (`tickets/outcome.py`).
The live channel pushes the notices after their commit.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from casino_app.domain.games.vocabulary import RoundStatus
from casino_app.persistence import inbox
from casino_app.persistence.tables import DrawSettlement, Game, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games.lotto.settlement import classification

_ROUNDS = Round.__table__  # type: ignore[attr-defined]
_FIGURES = DrawSettlement.__table__  # type: ignore[attr-defined]
LOSERS_PER_TRANSACTION = 250_000  # ids per UPDATE: a few seconds of row locks, a bounded WAL burst


def mark_settled_in(uow: UnitOfWork, draw_id: int, now: datetime) -> bool:
    """Mark a fully paid draw settled; False when it was not DRAWN."""
    marked = uow.session.execute(
        sa.update(_ROUNDS)
        .where(_ROUNDS.c.id == draw_id, _ROUNDS.c.status == RoundStatus.DRAWN)
        .values(status=RoundStatus.SETTLED, settled_at=now)
    )
    return int(getattr(marked, "rowcount", 0) or 0) == 1


def unrecorded(uow: UnitOfWork) -> list[int]:
    """The settled draws whose losing tickets or notices are still to be written, oldest first."""
    with uow.reader() as r:
        return [
            int(i)
            for i in r.session.exec(
                select(DrawSettlement.draw_id)
                .join(Round, col(Round.id) == DrawSettlement.draw_id)
                .where(col(DrawSettlement.recorded_at).is_(None), Round.status == RoundStatus.SETTLED)
                .order_by(col(DrawSettlement.draw_id))
            ).all()
        ]


def record_outcomes(uow: UnitOfWork, lines: classification.DrawLines, now: datetime) -> int:
    """Write a settled draw's pending tickets lost, then note its players; how many were written."""
    lost = 0
    with uow.reader() as r:
        span = classification.pending_range(r.session, lines.draw_id)
    if span is not None:
        for first in range(span[0], span[1] + 1, LOSERS_PER_TRANSACTION):
            with uow:
                lost += classification.record_losers(
                    uow.session, lines, first, min(first + LOSERS_PER_TRANSACTION - 1, span[1]), now
                )
                uow.commit()
    with uow:
        _note_players_in(uow, lines.draw_id, now)
        uow.session.execute(
            sa.update(_FIGURES).where(_FIGURES.c.draw_id == lines.draw_id).values(recorded_at=now)
        )
        uow.commit()
    return lost


def _note_players_in(uow: UnitOfWork, draw_id: int, now: datetime) -> None:
    s = uow.session
    draw = s.get(Round, draw_id)
    game = s.get(Game, draw.game_id) if draw is not None else None
    if draw is None or game is None:
        return
    facts = {
        "game": game.name,
        "game_code": game.code,
        "draw": draw.code,
        "draw_at": draw.draw_at.isoformat() if draw.draw_at else "",
    }
    for event in inbox.record_draw_settled(s, draw_id, facts, now):
        uow.emit(event)
