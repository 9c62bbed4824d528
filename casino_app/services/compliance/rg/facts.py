"""The responsible-gaming facts of a stake, loaded inside the stake's transaction.

Registered as the "rg" loader of the bet engine (services/games/engine/facts.py). PostgreSQL:
one call of `casino_rg_facts` (migration 0009), which takes the player's RG advisory lock and
then reads block, session, limits in force and, only when a loss or wager limit exists, the month of
hourly usage totals, in a fresh snapshot. SQLite: two plain cursor calls under the writer lock
the stake already holds. No ledger or bets scan: at most ~745 hourly rows of one player.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from casino_app.config import Settings
from casino_app.domain.compliance.checks import RgFacts
from casino_app.domain.compliance.exclusion import NO_BLOCK, Block
from casino_app.domain.compliance.limits import Limits, Usage, Window
from casino_app.domain.compliance.reality import PlaySession
from casino_app.domain.compliance.vocabulary import BlockKind, LimitKind, LimitPeriod
from casino_app.domain.errors import NotFound
from casino_app.services.compliance.rg.state import profile_of, window_starts

_PERIODS = (LimitPeriod.DAY, LimitPeriod.WEEK, LimitPeriod.MONTH)
# The order of the limit columns both queries return.
_LIMIT_KEYS = tuple((kind, period) for kind in (LimitKind.LOSS, LimitKind.WAGER) for period in _PERIODS)
_PG = "SELECT * FROM casino_rg_facts(%s, %s, %s, %s, %s)"
_SQLITE_STATE = (
    "SELECT u.country, p.block_kind, p.block_until, p.session_started_at, p.reality_due_at, "
    "p.session_ends_at, l.loss_day, l.loss_week, l.loss_month, l.wager_day, l.wager_week, l.wager_month "
    "FROM users u LEFT JOIN rg_players p ON p.user_id = u.id "
    "LEFT JOIN rg_wallet_limits l ON l.user_id = u.id AND l.currency = ? WHERE u.id = ?"
)
_SQLITE_USAGE = (
    "SELECT COALESCE(SUM(CASE WHEN hour >= ? THEN staked END), 0), "
    "COALESCE(SUM(CASE WHEN hour >= ? THEN won END), 0), "
    "COALESCE(SUM(CASE WHEN hour >= ? THEN staked END), 0), "
    "COALESCE(SUM(CASE WHEN hour >= ? THEN won END), 0), "
    "COALESCE(SUM(staked), 0), COALESCE(SUM(won), 0) "
    "FROM rg_usage WHERE user_id = ? AND currency = ? AND hour >= ?"
)


def load(session: Session, user_id: int, currency: str, now: datetime, settings: Settings) -> RgFacts:
    """The RG facts of one stake in `currency` at `now` (the caller's transaction; locks the player).

    Raises:
        NotFound: no such player.
    """
    conn = session.connection()  # driver-level SQL: no compile step, still seen by engine events
    if conn.dialect.name == "postgresql":
        return load_postgres(conn, user_id, currency, now, settings)
    raw = conn.connection.dbapi_connection
    assert raw is not None
    return load_sqlite(raw.cursor(), user_id, currency, now, settings)


def load_postgres(conn: Any, user_id: int, currency: str, now: datetime, settings: Settings) -> RgFacts:
    """One call of `casino_rg_facts` in the connection's open transaction (it takes the lock).

    `conn`: a SQLAlchemy Connection, or the stake's psycopg connection (the engine's fast path).
    """
    starts = window_starts(now)
    params = (user_id, currency, *(starts[p] for p in _PERIODS))
    if isinstance(conn, sa.Connection):
        row = conn.exec_driver_sql(_PG, params).first()
    else:
        row = conn.execute(_PG, params).fetchone()
    if row is None:
        raise NotFound("Unknown player.")
    return _facts(settings, row[:12], row[12:] if row[12] is not None else None)


def load_sqlite(cur: Any, user_id: int, currency: str, now: datetime, settings: Settings) -> RgFacts:
    """Plain sqlite3 cursor calls under the writer lock the stake holds (usage only with a limit)."""
    row = cur.execute(_SQLITE_STATE, (currency, user_id)).fetchone()
    if row is None:
        raise NotFound("Unknown player.")
    totals = None
    if any(v is not None for v in row[6:12]):
        starts = window_starts(now)
        day, week, month = (_text(starts[p]) for p in _PERIODS)
        totals = cur.execute(_SQLITE_USAGE, (day, day, week, week, user_id, currency, month)).fetchone()
    return _facts(settings, row, totals)


def _facts(settings: Settings, row: Sequence[Any], totals: Sequence[Any] | None) -> RgFacts:
    country, kind, until, started, due, ends = row[:6]
    amounts = {key: int(v) for key, v in zip(_LIMIT_KEYS, row[6:12], strict=True) if v is not None}
    block = Block(BlockKind(kind), _utc(until)) if kind else NO_BLOCK
    session = PlaySession(_utc(started), _utc(due), _utc(ends))
    usage = Usage()
    if totals is not None:
        values = [int(v or 0) for v in totals]
        usage = Usage({p: Window(values[2 * i], values[2 * i + 1]) for i, p in enumerate(_PERIODS)})
    profile = profile_of(settings, country or "")
    return RgFacts(profile.code, block, session, Limits(amounts), usage)


def _text(value: datetime) -> str:
    """SQLite keeps UTC as naive text in SQLAlchemy's format (comparisons are textual)."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _utc(value: object) -> datetime | None:
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
