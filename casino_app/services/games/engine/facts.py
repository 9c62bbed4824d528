"""Loading the database facts that pre-debit checks ask for, inside the stake transaction.

Each fact group has one loader. The player's row is locked for the rest of the transaction
(PostgreSQL `FOR UPDATE`; SQLite's writer lock), so the stakes of one player that need facts
are serialized: two parallel bets cannot both pass a limit that only one of them fits under.
Responsible-gaming, KYC and bonus checks add their loaders here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from casino_app.domain.errors import NotFound
from casino_app.domain.games.checks import PLAYER, PlayerFacts
from casino_app.persistence.tables import User

_USERS = User.__table__  # type: ignore[attr-defined]


def _player(session: Session, user_id: int) -> PlayerFacts:
    query = sa.select(
        _USERS.c.id, _USERS.c.status, _USERS.c.country, _USERS.c.currency, _USERS.c.email_verified_at
    ).where(_USERS.c.id == user_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = session.execute(query).first()
    if row is None:
        raise NotFound("Unknown player.")
    return PlayerFacts(row.id, row.status, row.country, row.currency, row.email_verified_at is not None)


LOADERS: dict[str, Callable[[Session, int], Any]] = {PLAYER: _player}


def load(session: Session, needs: frozenset[str], user_id: int) -> dict[str, Any]:
    """Every fact group in `needs` for the player; an unknown group is a wiring mistake."""
    unknown = needs - LOADERS.keys()
    if unknown:
        raise LookupError(f"no loader for stake facts {sorted(unknown)}")
    return {name: LOADERS[name](session, user_id) for name in sorted(needs)}
