"""Stored failure counters for throttling and lockout (`auth_throttles`), one row per key.

Keys: "ip:<address>" (per client address), "login:<email blind index>" (per account, also for
emails nobody registered, so lockout does not reveal which accounts exist), "code:<user id>"
(second-factor attempts), "reauth:<user id>" (the password re-entered while signed in),
"register:<address>" (registrations), "reset-ip:<address>" and "reset:<email blind index>"
(password-reset requests, per client and per address). Rows are locked while updated (PostgreSQL
`FOR UPDATE`; SQLite's writer lock), so concurrent attempts all count.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from casino_app.domain.identity.throttle import Counter
from casino_app.persistence.tables import AuthThrottle

_TABLE = AuthThrottle.__table__  # type: ignore[attr-defined]


def ip_key(ip: str) -> str:
    return f"ip:{(ip or 'unknown')[:64]}"


def login_key(email_index: str) -> str:
    return f"login:{email_index}"


def code_key(user_id: int) -> str:
    return f"code:{user_id}"


def reauth_key(user_id: int) -> str:
    return f"reauth:{user_id}"


def registration_key(ip: str) -> str:
    return f"register:{(ip or 'unknown')[:64]}"


def reset_ip_key(ip: str) -> str:
    return f"reset-ip:{(ip or 'unknown')[:64]}"


def reset_key(email_index: str) -> str:
    return f"reset:{email_index}"


def _counter(row: AuthThrottle | None) -> Counter:
    if row is None:
        return Counter()
    return Counter(row.failures, row.first_failure_at, row.last_failure_at, row.locked_at, row.locked_until)


def peek(session: Session, key: str) -> Counter:
    """The stored counter for `key` (an empty one when there is none); no lock taken."""
    return _counter(session.get(AuthThrottle, key))


def lock(session: Session, key: str) -> Counter:
    """The counter for `key`, its row created if missing and locked for this transaction."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(_TABLE).values(key=key, failures=0).on_conflict_do_nothing())
    query = select(AuthThrottle).where(AuthThrottle.key == key).with_for_update()
    row = session.exec(query.execution_options(populate_existing=True)).one()
    return _counter(row)


def store(session: Session, key: str, counter: Counter) -> None:
    """Write `counter` to the (locked) row of `key`."""
    session.execute(
        sa.update(_TABLE)
        .where(_TABLE.c.key == key)
        .values(
            failures=counter.failures,
            first_failure_at=counter.first_failure_at,
            last_failure_at=counter.last_failure_at,
            locked_at=counter.locked_at,
            locked_until=counter.locked_until,
        )
    )


def clear(session: Session, key: str) -> None:
    """Forget the failures and any lock of `key`."""
    store(session, key, Counter())
