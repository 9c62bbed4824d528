"""Inbox rows written in the fact's own transaction: the unit of work calls `record` before commit.

The player-facing events a use case emitted (domain/inbox/notices.py) become `notifications`
rows in the same transaction, in a few statements however many players a draw settles: one
read of the withdrawals, an insert that skips facts already noted. A settled lotto draw notes
every player who played it with one `INSERT ... SELECT ... GROUP BY` over its tickets
(`record_draw_settled`): the totals are summed where the tickets are. Each row actually
written is announced after the commit (what the live channel pushes to the player's open
tabs): a single notice as a `notification.created` event with its parameters, a draw's notices
as a few `notifications.created` events that name them (player and notification ids only).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from casino_app.domain.events import DomainEvent
from casino_app.domain.inbox import notices
from casino_app.domain.inbox.notices import Notice
from casino_app.domain.inbox.vocabulary import NotificationKind
from casino_app.persistence.tables import Notification, Withdrawal
from casino_app.persistence.types import UtcDateTime


def record(session: Session, events: Sequence[DomainEvent], now: datetime) -> list[DomainEvent]:
    """Write the notices of `events`; returns the `notification.created` events to publish."""
    wanted = [e for e in events if notices.is_notice_event(e)]
    if not wanted:
        return []
    found = _notices(session, wanted)
    return _insert(session, found, now) if found else []


def _notices(session: Session, events: list[DomainEvent]) -> list[Notice]:
    withdrawals = _withdrawals(session, events)
    found: list[Notice | None] = []
    for event in events:
        if event.name in notices.WITHDRAWAL_EVENTS:
            amount, currency = withdrawals.get(int(event.data.get("withdrawal_id", 0)), (0, ""))
            found.append(notices.withdrawal_notice(event, amount, currency) if currency else None)
        else:
            found.append(notices.simple_notice(event))
    return [n for n in found if n is not None]


def _withdrawals(session: Session, events: list[DomainEvent]) -> dict[int, tuple[int, str]]:
    ids = [int(e.data["withdrawal_id"]) for e in events if e.name in notices.WITHDRAWAL_EVENTS]
    if not ids:
        return {}
    rows = session.exec(
        select(Withdrawal.id, Withdrawal.amount, Withdrawal.currency).where(col(Withdrawal.id).in_(ids))
    ).all()
    return {int(r[0] or 0): (r[1], r[2]) for r in rows}


def _insert(session: Session, found: list[Notice], now: datetime) -> list[DomainEvent]:
    """One statement for every notice (SQLAlchemy's batched "insert many values" when there
    are several: a draw notes every player who played it); a fact already noted is skipped."""
    rows = [
        {
            "user_id": n.user_id,
            "kind": n.kind.value,
            "params": json.dumps(n.params, sort_keys=True),
            "source_key": n.source_key[:128],
            "created_at": now,
        }
        for n in _distinct(found)
    ]
    table = Notification.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    statement = insert.on_conflict_do_nothing(index_elements=["user_id", "source_key"]).returning(
        table.c.id, table.c.user_id, table.c.kind, table.c.params
    )
    written = (
        session.execute(statement, rows).all()
        if len(rows) > 1
        else session.execute(statement.values(rows)).all()
    )
    return [_created(r) for r in sorted(written, key=lambda r: r[0])]


def _distinct(found: list[Notice]) -> list[Notice]:
    """One notice per (player, fact): an insert may not name the same row twice."""
    seen: dict[tuple[int, str], Notice] = {}
    for notice in found:
        seen.setdefault((notice.user_id, notice.source_key[:128]), notice)
    return list(seen.values())


def _created(row: sa.Row[tuple[int, int, str, str]]) -> DomainEvent:
    data = {"notification_id": row[0], "kind": row[2], "params": json.loads(row[3])}
    return DomainEvent(notices.NOTIFIED, row[1], data)


_SETTLED = "('win', 'lose', 'push')"


def record_draw_settled(
    session: Session, draw_id: int, facts: dict[str, str], now: datetime
) -> list[DomainEvent]:
    """One `draw_settled` notice per player of a settled draw, with the player's totals, in one
    statement (key `draw:<draw id>`: a second call notes nobody again); returns the
    `notifications.created` events to publish (`notices.many_notified`: one per 10,000 players,
    naming the rows written; each worker reads the parameters of the few whose tabs it serves).

    `facts`: the draw's own parameters (`notices.DRAW_FACTS`: game, game_code, draw, draw_at).
    """
    pg = session.get_bind().dialect.name == "postgresql"
    build = "json_build_object" if pg else "json_object"
    fact = (lambda name: f"CAST(:fact_{name} AS text)") if pg else (lambda name: f":fact_{name}")
    totals = {
        "currency": "max(currency)",
        "stake_minor": "sum(stake)",
        "tickets": "count(*)",
        "winning": "sum(CASE WHEN win > 0 THEN 1 ELSE 0 END)",
        "won_minor": "sum(win)",
    }
    assert set(totals) == set(notices.DRAW_TOTALS)
    fields = {**{name: fact(name) for name in notices.DRAW_FACTS}, **totals}
    params = f"{build}(" + ", ".join(f"'{k}', {fields[k]}" for k in sorted(fields)) + ")"
    statement = sa.text(
        "INSERT INTO notifications (user_id, kind, params, source_key, created_at) "
        f"SELECT user_id, :kind, {params}{'::text' if pg else ''}, :key, :now FROM bets "
        f"WHERE round_id = :draw AND status IN {_SETTLED} GROUP BY user_id ORDER BY user_id "
        "ON CONFLICT (user_id, source_key) DO NOTHING RETURNING user_id, id"
    ).bindparams(sa.bindparam("now", type_=UtcDateTime()))
    values = {f"fact_{name}": str(facts.get(name, "")) for name in notices.DRAW_FACTS}
    written = session.execute(
        statement,
        {
            **values,
            "kind": NotificationKind.DRAW_SETTLED.value,
            "key": f"draw:{draw_id}",
            "draw": draw_id,
            "now": now,
        },
    ).all()
    return notices.many_notified([(int(r[0]), int(r[1])) for r in written])
