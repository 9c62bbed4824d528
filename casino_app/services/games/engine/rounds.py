"""Rounds of instant and provider games: opened and finished inside the game's own transaction.

Lotto draws are scheduled by the draw cycle (lotto/draws/cycle.py); an instant game opens a round, stakes,
decides the outcome and settles in one unit of work, so a round is never half-played.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from casino_app.domain.errors import NotFound
from casino_app.domain.games.vocabulary import ROUND_TRANSITIONS, RoundStatus
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games.catalog import GameFacts
from casino_app.services.games.engine.stake import new_public_id

_ROUNDS = Round.__table__  # type: ignore[attr-defined]


def open_round_in(
    uow: UnitOfWork,
    game: GameFacts,
    now: datetime,
    *,
    closes_at: datetime | None = None,
    code: str | None = None,
) -> int:
    """Open a round of `game` (at the version given) inside the caller's transaction; its id.

    `code`: the round's public code when the caller needs it without reading it back."""
    result = uow.session.execute(
        sa.insert(_ROUNDS)
        .values(
            game_id=game.id,
            game_version=game.version,
            code=code or new_public_id(),
            status=RoundStatus.OPEN,
            opened_at=now,
            closes_at=closes_at,
        )
        .returning(_ROUNDS.c.id)
    )
    return int(result.scalar_one())


# One conditional statement: the round moves to settled only from a state allowed to.
_FINISH = (
    sa.update(_ROUNDS)
    .where(
        (_ROUNDS.c.id == sa.bindparam("round_id"))
        & _ROUNDS.c.status.in_(ROUND_TRANSITIONS.sources(RoundStatus.SETTLED))
    )
    .values(
        status=RoundStatus.SETTLED,
        outcome=sa.bindparam("outcome"),
        resulted_at=sa.bindparam("now"),
        settled_at=sa.bindparam("now"),
    )
    .returning(_ROUNDS.c.id)
)


def finish_round_in(uow: UnitOfWork, round_id: int, outcome: str, now: datetime) -> None:
    """Record an open round's outcome and mark it settled (its bets settle in the same transaction).

    Raises:
        NotFound: no such round. InvalidTransition: the round is not open any more.
    """
    finished = uow.session.execute(
        _FINISH, {"round_id": round_id, "outcome": outcome[:255], "now": now}
    ).first()
    if finished is None:  # not moved: say why
        status = uow.session.execute(sa.select(_ROUNDS.c.status).where(_ROUNDS.c.id == round_id)).scalar()
        if status is None:
            raise NotFound("Unknown round.")
        ROUND_TRANSITIONS.check(RoundStatus(status), RoundStatus.SETTLED)
