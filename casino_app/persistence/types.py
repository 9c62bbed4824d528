"""Column types: timezone-aware UTC datetimes on every engine."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """Stores aware UTC datetimes; SQLite returns naive ones, so re-attach UTC on read."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store timezone-aware UTC values only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Every vocabulary constraint by name: (column, enum). tests/integration/test_vocabulary_constraints.py
# reads each back from the migrated database, so a new one is checked without being listed.
VOCABULARY_CHECKS: dict[str, tuple[str, type[StrEnum]]] = {}


def check_in(column: str, enum: type[StrEnum], name: str) -> sa.CheckConstraint:
    """A CHECK constraint that admits exactly the enum's values (the vocabulary lives in the domain)."""
    allowed = ", ".join(f"'{member.value}'" for member in enum)
    VOCABULARY_CHECKS[name] = (column, enum)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=name)
