"""Bulk writes on PostgreSQL with one parameter per column: `unnest` of typed arrays.

A multi-row `VALUES` list of n rows binds n x columns parameters, which the driver splits and
the server parses and plans anew for each size; arrays bind once per column whatever the
number of rows, so inserting or updating 20,000 rows costs about as much SQL as 20 (the
settlement of a big draw, services/money/ledger_batch.py, services/games/engine/settlement.py).
SQLite keeps its own batched statements: these helpers are for PostgreSQL only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session


def _arrays(columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]) -> tuple[str, dict[str, Any]]:
    """`unnest(CAST(:c0 AS type[]), ...) AS v(name, ...)` and its parameters, one list per column."""
    unnest = ", ".join(f"CAST(:c{i} AS {kind}[])" for i, (_, kind) in enumerate(columns))
    names = ", ".join(name for name, _ in columns)
    params = {f"c{i}": [row[i] for row in rows] for i in range(len(columns))}
    return f"unnest({unnest}) AS v({names})", params


def insert_rows(
    session: Session,
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Any]],
    *,
    constants: dict[str, Any] | None = None,
    suffix: str = "",
    types: dict[str, sa.types.TypeEngine[Any]] | None = None,
) -> sa.CursorResult[Any]:
    """INSERT INTO table (columns, constants) SELECT ... FROM unnest(...) [suffix].

    `columns`: (name, SQL type) per value in each row; `constants`: the same value for every
    row (bound once); `suffix`: ON CONFLICT / RETURNING.
    """
    source, params = _arrays(columns, rows)
    fixed = constants or {}
    names = [name for name, _ in columns] + list(fixed)
    values = [f"v.{name}" for name, _ in columns] + [f":k_{name}" for name in fixed]
    statement = sa.text(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} FROM {source} {suffix}"
    )
    if types:
        statement = statement.bindparams(*(sa.bindparam(f"k_{n}", type_=t) for n, t in types.items()))
    return session.execute(statement, {**params, **{f"k_{n}": v for n, v in fixed.items()}})  # type: ignore[return-value]


def update_rows(
    session: Session,
    table: str,
    key: tuple[str, str],
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Any]],
    *,
    where: str = "",
    extra: str = "",
    params: dict[str, Any] | None = None,
    types: dict[str, sa.types.TypeEngine[Any]] | None = None,
) -> int:
    """UPDATE table SET column = v.column ... FROM unnest(...) WHERE table.key = v.key [AND where].

    Each row is (key, *columns); `extra`: more assignments (", settled_at = :now").
    """
    source, arrays = _arrays([key, *columns], rows)
    sets = ", ".join(f"{name} = v.{name}" for name, _ in columns) + extra
    condition = f"{table}.{key[0]} = v.{key[0]}" + (f" AND {where}" if where else "")
    statement = sa.text(f"UPDATE {table} SET {sets} FROM {source} WHERE {condition}")
    if types:
        statement = statement.bindparams(*(sa.bindparam(n, type_=t) for n, t in types.items()))
    result = session.execute(statement, {**arrays, **(params or {})})
    return int(getattr(result, "rowcount", 0) or 0)


def one_of(session: Session, column: sa.ColumnElement[Any], values: Sequence[Any], kind: str) -> Any:
    """`column IN values` as one array parameter on PostgreSQL (`= ANY(CAST(:x AS kind[]))`:
    one bind and one plan for any number of values), the usual expanding `IN` elsewhere."""
    if session.get_bind().dialect.name != "postgresql":
        return column.in_(values)
    return column == sa.any_(
        sa.cast(sa.bindparam(None, list(values), literal_execute=False), sa.ARRAY(_TYPES[kind]))
    )


_TYPES: dict[str, Any] = {"text": sa.Text(), "bigint": sa.BigInteger()}
