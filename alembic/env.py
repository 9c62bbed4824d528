"""Alembic environment on SQLModel.metadata; the URL comes from the app's settings."""

from __future__ import annotations

from sqlmodel import SQLModel

import casino_app.persistence.tables  # noqa: F401  (registers the tables)
from alembic import context
from casino_app.config import load_settings
from casino_app.persistence.db import create_db_engine, normalize_url

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    return normalize_url(config.get_main_option("sqlalchemy.url") or load_settings().db_url)


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        compare_type=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_db_engine(_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, compare_type=True, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
