"""Loading the database facts that pre-debit checks ask for, inside the stake transaction.

Each fact group has one loader, given the stake's `FactsRequest` (player, currency, time,
settings). The player is locked for the rest of the transaction (PostgreSQL: the users row
`FOR UPDATE`, or the RG advisory lock; SQLite: the writer lock), so the stakes of one player that need facts
are serialized: two parallel bets cannot both pass a limit that only one of them fits under.
Responsible gaming ("rg", services/compliance/rg/facts.py) loads here; KYC and bonus checks
add their loaders the same way. A group may also have a direct loader, run on the stake's own
connection outside the ORM (PostgreSQL: the raw psycopg connection; SQLite: the sqlite3 cursor of the
`BEGIN IMMEDIATE` transaction): when every group needed has one, `place_stake` keeps the
engine's fast path (`persistence/stakes.place_checked_alone`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from casino_app.config import Settings
from casino_app.domain.compliance.checks import RG
from casino_app.domain.errors import NotFound
from casino_app.domain.games.checks import PLAYER, PlayerFacts
from casino_app.persistence.tables import User
from casino_app.services.compliance.rg import facts as rg_facts

_USERS = User.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class FactsRequest:
    """Whose facts a stake needs: the player, the stake's currency and time, the deployment's settings."""

    user_id: int
    currency: str
    now: datetime
    settings: Settings


def _player(session: Session, request: FactsRequest) -> PlayerFacts:
    user_id = request.user_id
    query = sa.select(
        _USERS.c.id, _USERS.c.status, _USERS.c.country, _USERS.c.currency, _USERS.c.email_verified_at
    ).where(_USERS.c.id == user_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = session.execute(query).first()
    if row is None:
        raise NotFound("Unknown player.")
    return PlayerFacts(row.id, row.status, row.country, row.currency, row.email_verified_at is not None)


def _rg(session: Session, request: FactsRequest) -> Any:
    return rg_facts.load(session, request.user_id, request.currency, request.now, request.settings)


LOADERS: dict[str, Callable[[Session, FactsRequest], Any]] = {PLAYER: _player, RG: _rg}


def _rg_direct(handle: Any, dialect: str, request: FactsRequest) -> Any:
    user, currency, now, settings = request.user_id, request.currency, request.now, request.settings
    if dialect == "postgresql":
        return rg_facts.load_postgres(handle, user, currency, now, settings)
    return rg_facts.load_sqlite(handle, user, currency, now, settings)


# handle: the psycopg connection on PostgreSQL, a sqlite3 cursor on SQLite (both in the stake's transaction).
DIRECT_LOADERS: dict[str, Callable[[Any, str, FactsRequest], Any]] = {RG: _rg_direct}


def loads_directly(needs: frozenset[str]) -> bool:
    """Whether every fact group in `needs` has a direct loader (the fast path applies)."""
    return needs <= DIRECT_LOADERS.keys()


def load_direct(handle: Any, dialect: str, needs: frozenset[str], request: FactsRequest) -> dict[str, Any]:
    """The fact groups of `needs` through their direct loaders, in the stake's transaction."""
    return {name: DIRECT_LOADERS[name](handle, dialect, request) for name in sorted(needs)}


def load(session: Session, needs: frozenset[str], request: FactsRequest) -> dict[str, Any]:
    """Every fact group in `needs` for the stake; an unknown group is a wiring mistake."""
    unknown = needs - LOADERS.keys()
    if unknown:
        raise LookupError(f"no loader for stake facts {sorted(unknown)}")
    return {name: LOADERS[name](session, request) for name in sorted(needs)}
