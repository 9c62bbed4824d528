"""Key rotation: a new KEK version, every sealed record re-wrapped in resumable batches.

Rotation finds every ``*_enc`` column in `SQLModel.metadata` (tables keyed by ``id``). For each
table it re-wraps the data keys of a batch of rows and moves the table's cursor in
`key_rotations` in the same transaction, so a crash resumes after the last committed batch.
Only wrapped data keys change; ciphertexts stay as they are. A row written concurrently by the
app is left alone (compare-and-set): the app seals with the current version anyway.
Every operation is guarded by `ops.security.manage` and uses the wiring's key provider
(`uow.context.keys`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from casino_app.adapters.keys import KeyProvider
from casino_app.domain.errors import KeyStillInUse, KeyUnavailable
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import KeyRotation
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.security import audit, crypto

ROTATION_DUE_DAYS = 90
DEFAULT_BATCH = 500
_CURSORS = KeyRotation.__table__  # type: ignore[attr-defined]
ENC_SUFFIX = crypto.ENC_SUFFIX
Tables = list[tuple[sa.Table, list[sa.Column[Any]]]]


@dataclass(frozen=True)
class RotationReport:
    version: int
    resumed: bool
    rewrapped: int
    tables: tuple[str, ...]


@dataclass(frozen=True)
class KeyStatus:
    """What the dashboard and `keys status` show; never key material."""

    current_version: int
    current_created_at: datetime
    age_days: int
    rotation_due: bool
    active_versions: tuple[int, ...]
    running_rotation: int | None


def sealed_tables(metadata: sa.MetaData | None = None) -> Tables:
    """Every table with ``*_enc`` columns and an ``id`` primary key, with those columns."""
    found = []
    for table in (metadata or SQLModel.metadata).sorted_tables:
        columns = [c for c in table.columns if c.name.endswith(ENC_SUFFIX)]
        if columns and "id" in table.c and table.c.id.primary_key:
            found.append((table, columns))
    return found


@authz.guard("ops.security.manage")
def rotate(
    uow: UnitOfWork,
    actor: Actor,
    now: datetime,
    *,
    batch_size: int = DEFAULT_BATCH,
    tables: Tables | None = None,
    after_batch: Callable[[str, int], None] | None = None,
) -> RotationReport:
    """Create a new key version (or resume an unfinished rotation) and re-wrap every record.

    Args:
        uow: the unit of work (its context carries the key provider); each batch commits on its own.
        actor: who rotates (audited).
        now: the aware UTC time.
        batch_size: rows per transaction.
        tables: the sealed tables (default: discovered from the metadata).
        after_batch: called with (table, last id) after each committed batch (tests inject a crash).
    """
    keys = uow.context.keys
    targets = tables if tables is not None else sealed_tables()
    version, resumed = _start(uow, actor, [t.name for t, _ in targets], now)
    total = 0
    for table, columns in targets:
        total += _rotate_table(uow, keys, version, table, columns, batch_size, after_batch, now)
    _finish(uow, actor, version, total, now)
    return RotationReport(version, resumed, total, tuple(t.name for t, _ in targets))


def _start(uow: UnitOfWork, actor: Actor, names: list[str], now: datetime) -> tuple[int, bool]:
    with uow:
        running = uow.session.exec(select(KeyRotation).where(KeyRotation.status == "running")).all()
        if running:
            return max(r.version for r in running), True
    version = uow.context.keys.create_version(now)
    with uow:
        for name in names:
            uow.session.add(KeyRotation(version=version, table_name=name, started_at=now, updated_at=now))
        audit.record(
            uow.session,
            actor=actor.audit_name,
            action="keys.rotation_started",
            subject=f"kek:{version}",
            details={"tables": names},
            now=now,
        )
        uow.commit()
    return version, False


def _cursor(session: Session, version: int, table: str) -> KeyRotation | None:
    return session.exec(
        select(KeyRotation).where(KeyRotation.version == version, KeyRotation.table_name == table)
    ).first()


def _rotate_table(
    uow: UnitOfWork,
    keys: KeyProvider,
    version: int,
    table: sa.Table,
    columns: list[sa.Column[Any]],
    batch_size: int,
    after_batch: Callable[[str, int], None] | None,
    now: datetime,
) -> int:
    done = 0
    while True:
        with uow:
            cursor = _cursor(uow.session, version, table.name)
            if cursor is None or cursor.status == "done":
                return done
            rows = uow.session.execute(
                sa.select(table.c.id, *columns)
                .where(table.c.id > cursor.last_id)
                .order_by(table.c.id)
                .limit(batch_size)
            ).all()
            rewrapped = _rewrap_rows(uow.session, keys, version, table, columns, rows)
            cursor.last_id = int(rows[-1][0]) if rows else cursor.last_id
            cursor.status = "running" if len(rows) == batch_size else "done"
            cursor.rewrapped += rewrapped
            cursor.updated_at = now
            uow.session.add(cursor)
            uow.commit()
        done += rewrapped
        if after_batch is not None and rows:
            after_batch(table.name, int(rows[-1][0]))
        if len(rows) < batch_size:
            return done


def _rewrap_rows(
    session: Session,
    keys: KeyProvider,
    version: int,
    table: sa.Table,
    columns: list[sa.Column[Any]],
    rows: Sequence[Any],
) -> int:
    count = 0
    for i, column in enumerate(columns, start=1):
        params = [
            {"row_id": row[0], "old": row[i], "new": crypto.rewrap(row[i], version, keys=keys)}
            for row in rows
            if row[i] is not None and crypto.key_version(row[i]) != version
        ]
        if not params:
            continue
        # Compare-and-set: a value the app re-sealed meanwhile is newer and already current.
        stmt = (
            sa.update(table)
            .where(table.c.id == sa.bindparam("row_id"), column == sa.bindparam("old"))
            .values({column.name: sa.bindparam("new")})
        )
        result = session.connection().execute(stmt, params)  # one executemany per column
        count += _changed(result, session, column, params)
    return count


def _changed(result: Any, session: Session, column: sa.Column[Any], params: list[dict[str, Any]]) -> int:
    """Rows an executemany changed; counted again when the driver cannot tell (-1)."""
    rowcount = int(cast("sa.CursorResult[Any]", result).rowcount)
    if rowcount >= 0:
        return rowcount
    new_values = [p["new"] for p in params]
    found = session.execute(sa.select(sa.func.count()).where(column.in_(new_values))).scalar_one()
    return int(found)


def _finish(uow: UnitOfWork, actor: Actor, version: int, total: int, now: datetime) -> None:
    with uow:
        cursors = uow.session.exec(select(KeyRotation).where(KeyRotation.version == version)).all()
        if any(c.status != "done" for c in cursors):
            return
        audit.record(
            uow.session,
            actor=actor.audit_name,
            action="keys.rotation_finished",
            subject=f"kek:{version}",
            details={"rewrapped": sum(c.rewrapped for c in cursors), "this_run": total},
            now=now,
        )
        uow.commit()


@authz.guard("ops.security.manage")
def records_using(
    uow: UnitOfWork, actor: Actor, version: int, tables: Tables | None = None
) -> dict[str, int]:
    """Per ``table.column``, how many values are still wrapped with KEK `version`."""
    return _records_using(uow, version, tables)


def _records_using(uow: UnitOfWork, version: int, tables: Tables | None) -> dict[str, int]:
    prefix = f"{crypto.TOKEN_PREFIX}.{version}.%"
    counts: dict[str, int] = {}
    with uow.reader() as reader:
        for table, columns in tables if tables is not None else sealed_tables():
            for column in columns:
                n = reader.session.execute(
                    sa.select(sa.func.count()).select_from(table).where(column.like(prefix))
                ).scalar_one()
                if n:
                    counts[f"{table.name}.{column.name}"] = int(n)
    return counts


@authz.guard("ops.security.manage")
def retire(
    uow: UnitOfWork, actor: Actor, version: int, now: datetime, *, tables: Tables | None = None
) -> None:
    """Destroy KEK `version` once no record uses it.

    Raises:
        KeyStillInUse: records are still wrapped with it (finish the rotation first).
        KeyUnavailable: the version is unknown or current.
    """
    keys = uow.context.keys
    if version == keys.current_version():
        raise KeyUnavailable(f"Key version {version} is current; rotate before retiring it.")
    in_use = _records_using(uow, version, tables)
    if in_use:
        where = ", ".join(f"{name}: {n}" for name, n in sorted(in_use.items()))
        raise KeyStillInUse(
            f"Key version {version} still protects {sum(in_use.values())} value(s) ({where})."
        )
    keys.retire_version(version, now)
    with uow:
        audit.record(
            uow.session,
            actor=actor.audit_name,
            action="keys.retired",
            subject=f"kek:{version}",
            details={},
            now=now,
        )
        uow.commit()


@authz.guard("ops.security.manage")
def retire_old(uow: UnitOfWork, actor: Actor, now: datetime) -> list[int]:
    """Retire every active version older than the current one; refuses like `retire`."""
    keys = uow.context.keys
    current = keys.current_version()
    old = [v.version for v in keys.versions() if v.active and v.version != current]
    for version in old:
        retire(uow, actor, version, now)
    return old


@authz.guard("ops.security.manage")
def status(uow: UnitOfWork, actor: Actor, now: datetime) -> KeyStatus:
    """The current key version, its age, whether rotation is due (90 days) and any unfinished rotation."""
    return key_status(uow, now)


def key_status(uow: UnitOfWork, now: datetime) -> KeyStatus:
    """`status` for the periodic checks (which are guarded themselves); never key material."""
    keys = uow.context.keys
    versions = keys.versions()
    current = keys.current_version()
    created = next(v.created_at for v in versions if v.version == current)
    age = now - created
    with uow.reader() as reader:
        running = reader.session.execute(
            sa.select(sa.func.max(_CURSORS.c.version)).where(_CURSORS.c.status == "running")
        ).scalar()
    return KeyStatus(
        current_version=current,
        current_created_at=created,
        age_days=age.days,
        rotation_due=age >= timedelta(days=ROTATION_DUE_DAYS),
        active_versions=tuple(v.version for v in versions if v.active),
        running_rotation=int(running) if running is not None else None,
    )
