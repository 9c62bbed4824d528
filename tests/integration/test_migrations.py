"""Alembic migrations and the SQLModel tables describe the same schema on every engine."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import casino_app.persistence.tables  # noqa: F401  (registers the tables)
from casino_app.persistence.db import Database
from tests.support import alembic_config


def _diff(db: Database, metadata: sa.MetaData) -> list[object]:
    with db.write_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def test_models_and_migrations_agree(db: Database) -> None:
    assert _diff(db, SQLModel.metadata) == []


def test_schema_comparison_notices_a_model_the_migrations_lack(db: Database) -> None:
    metadata = sa.MetaData()
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(metadata)
    metadata.tables["users"].append_column(sa.Column("nickname", sa.String(32)))
    diff = _diff(db, metadata)
    assert [(d[0], d[3].name) for d in diff if isinstance(d, tuple)] == [("add_column", "nickname")]


def test_database_is_at_the_single_head_revision(db: Database) -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1
    with db.write_engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == heads[0]
