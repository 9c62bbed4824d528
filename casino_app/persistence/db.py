"""Engines and sessions. SQLite: WAL, busy timeout, BEGIN IMMEDIATE for writes."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 10_000


def normalize_url(url: str) -> str:
    """Use the psycopg 3 driver for plain `postgresql://` URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def create_db_engine(url: str, *, write: bool = True) -> Engine:
    """Create an engine; on SQLite, `write=True` makes every transaction BEGIN IMMEDIATE."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # No pre-ping: it costs a round trip per checkout, doubling a bet's. Connections are
        # recycled instead, and services retry once on a connection found dead.
        return sa.create_engine(url, pool_recycle=1800, pool_size=10, max_overflow=40)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
    event.listen(engine, "connect", _sqlite_pragmas)
    begin = "BEGIN IMMEDIATE" if write else "BEGIN"
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql(begin))
    return engine


class Database:
    """A write engine and a read engine for one URL (the same engine off SQLite).

    SQLite allows one writer at a time. Threads of this process queue for it on
    `write_lock` instead of spinning in SQLite's busy handler, whose sleeps grow to
    100 ms and ruin tail latency; other processes still wait through the busy timeout.
    """

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self.write_engine = create_db_engine(self.url, write=True)
        sqlite = self.write_engine.dialect.name == "sqlite"
        self.read_engine = create_db_engine(self.url, write=False) if sqlite else self.write_engine
        self.write_lock: AbstractContextManager[object] = threading.RLock() if sqlite else nullcontext()

    @property
    def dialect(self) -> str:
        return self.write_engine.dialect.name

    def session(self, *, write: bool = True) -> Session:
        engine = self.write_engine if write else self.read_engine
        return Session(engine, expire_on_commit=False)

    def dispose(self) -> None:
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()
