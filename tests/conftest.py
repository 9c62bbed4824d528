"""Shared fixtures: a migrated database per test on SQLite (always) and PostgreSQL (when given).

Each engine's schema is built once per session with `alembic upgrade head` and then copied
per test: a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL.

Environment:
    CASINO_TEST_POSTGRES_URL: run every database test on PostgreSQL too.
    CASINO_REQUIRE_POSTGRES=1: a missing or unreachable PostgreSQL fails the run (CI).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from alembic import command
from casino_app.adapters.clock import FixedClock
from casino_app.adapters.keys import LocalKeyring
from casino_app.adapters.sandbox_payments import APPROVE_TOKEN
from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database, normalize_url
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.backoffice import seed
from casino_app.services.dto import UserView
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.identity.accounts import registration as registration_service
from casino_app.services.payments.deposits import deposits
from tests.support import (
    FIXED_NOW,
    PASSWORD,
    alembic_config,
    confirm_email,
    make_wiring,
    open_draws,
    registration,
)

PG_URL_ENV = "CASINO_TEST_POSTGRES_URL"
REQUIRE_PG_ENV = "CASINO_REQUIRE_POSTGRES"


def _pg_url() -> str | None:
    raw = os.environ.get(PG_URL_ENV, "").strip()
    return normalize_url(raw) if raw else None


def _pg_required() -> bool:
    return os.environ.get(REQUIRE_PG_ENV, "").strip() == "1"


def _engine_params() -> list[object]:
    params: list[object] = ["sqlite"]
    if _pg_url() or _pg_required():
        params.append(pytest.param("postgres", marks=pytest.mark.postgres))
    return params


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: the session's sync Playwright keeps an event loop running,
    which would break later tests that call `asyncio.run`."""
    items.sort(key=lambda item: "e2e" in item.path.parts)


def alembic_upgrade(url: str) -> None:
    """Run `alembic upgrade head` against `url` with the repository's alembic.ini."""
    command.upgrade(alembic_config(url), "head")


@pytest.fixture(scope="session")
def test_keyring(tmp_path_factory: pytest.TempPathFactory) -> LocalKeyring:
    """A throwaway keyring for the whole session, so tests never touch data/keyring.json."""
    return LocalKeyring(tmp_path_factory.mktemp("keys") / "keyring.json")


# --- SQLite -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, built once per session; tests copy it."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    alembic_upgrade(f"sqlite:///{path}")
    # Fold the WAL into the main file so that a plain file copy is complete.
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    return path


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh migrated SQLite database for one test."""
    path = tmp_path / "casino.db"
    shutil.copyfile(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


# --- PostgreSQL -------------------------------------------------------------------------


def _admin_engine(url: URL) -> Engine:
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def _reachable_admin(url: str) -> Engine:
    """An autocommit engine on the server of `url`; falls back to the `postgres` database."""
    base = make_url(url)
    errors = []
    for candidate in (base, base.set(database="postgres")):
        engine = _admin_engine(candidate)
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return engine
        except sa.exc.OperationalError as err:
            errors.append(str(err).splitlines()[0])
            engine.dispose()
    raise ConnectionError("; ".join(errors))


def _need_postgres() -> str:
    url = _pg_url()
    if url is None:
        if _pg_required():
            pytest.fail(f"{REQUIRE_PG_ENV}=1 but {PG_URL_ENV} is not set")
        pytest.skip(f"{PG_URL_ENV} is not set")
    return url


@pytest.fixture(scope="session")
def pg_server() -> Iterator[tuple[Engine, URL, str]]:
    """(admin engine, base URL, template database name) with the schema migrated once."""
    url = _need_postgres()
    try:
        admin = _reachable_admin(url)
    except ConnectionError as err:
        if _pg_required():
            pytest.fail(f"PostgreSQL at {PG_URL_ENV} is unreachable: {err}")
        pytest.skip(f"PostgreSQL is unreachable: {err}")
    template = f"casino_tmpl_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{template}"'))
    base = make_url(url)
    try:
        alembic_upgrade(base.set(database=template).render_as_string(hide_password=False))
        yield admin, base, template
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_db(pg_server: tuple[Engine, URL, str]) -> Iterator[Database]:
    """A fresh migrated PostgreSQL database for one test (a copy of the session template)."""
    admin, base, template = pg_server
    name = f"casino_t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    database = Database(base.set(database=name).render_as_string(hide_password=False))
    try:
        yield database
    finally:
        database.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# --- Engine-independent fixtures ---------------------------------------------------------


@pytest.fixture(params=_engine_params())
def db(request: pytest.FixtureRequest) -> Database:
    """A fresh migrated database: SQLite always, PostgreSQL when configured."""
    fixture = "pg_db" if request.param == "postgres" else "sqlite_db"
    return request.getfixturevalue(fixture)  # type: ignore[no-any-return]


@pytest.fixture
def clock() -> FixedClock:
    """The wiring's clock, fixed at `FIXED_NOW` until a test moves it."""
    return FixedClock(FIXED_NOW)


@pytest.fixture
def wiring(db: Database, clock: FixedClock, test_keyring: LocalKeyring) -> Wiring:
    """The composition root of one test: its database, a fixed clock, the test keyring."""
    return make_wiring(db, clock=clock, keys=test_keyring)


@pytest.fixture
def uow(wiring: Wiring) -> UnitOfWork:
    return wiring.uow()


@pytest.fixture
def now() -> datetime:
    """A fixed, timezone-aware UTC instant that every test starts from."""
    return FIXED_NOW


@pytest.fixture
def register(uow: UnitOfWork, now: datetime) -> Callable[..., UserView]:
    """Register a player (no money): `register("a@example.com")`."""

    def _register(email: str = "player@example.com", password: str = PASSWORD) -> UserView:
        return registration_service.register_player(uow, registration(email, password), now)

    return _register


@pytest.fixture
def funded_player(
    register: Callable[..., UserView], uow: UnitOfWork, now: datetime
) -> Callable[..., UserView]:
    """Register a player with a confirmed email and deposit through the wiring's provider.

    `funded_player(amount_minor=50_00)`.
    """
    counter = iter(range(1, 10_000))

    def _funded(email: str | None = None, amount_minor: int = 100_00) -> UserView:
        n = next(counter)
        user = register(email or f"player{n}@example.com")
        confirm_email(uow, user.id, now)  # a player who can withdraw (issue 14.8)
        cmd = deposits.Deposit(f"order-{user.id}-{n}", amount_minor, user.currency, APPROVE_TOKEN)
        deposits.deposit(uow, Actor.player(user.id), cmd, now)
        return user

    return _funded


@pytest.fixture
def games(uow: UnitOfWork, now: datetime) -> dict[str, Round]:
    """The seeded lotto games, each with one draw open for sales at `now`; code -> its draw round."""
    seed.seed_games(uow, now)
    draws.schedule(uow, now)
    return open_draws(uow, now)


@pytest.fixture
def funded_player_on(now: datetime, test_keyring: LocalKeyring) -> Callable[[Database, int], UserView]:
    """Register and fund a player on a given database (for tests that pick the engine)."""
    counter = iter(range(1, 10_000))

    def _funded(database: Database, amount_minor: int) -> UserView:
        n = next(counter)
        uow = make_wiring(database, keys=test_keyring).uow()
        user = registration_service.register_player(uow, registration(f"racer{n}@example.com"), now)
        confirm_email(uow, user.id, now)
        cmd = deposits.Deposit(f"race-{user.id}-{n}", amount_minor, user.currency, APPROVE_TOKEN)
        deposits.deposit(uow, Actor.player(user.id), cmd, now)
        return user

    return _funded
