"""Unit of work: one database transaction around one use case, with the wiring's context."""

from __future__ import annotations

from types import TracebackType

from sqlmodel import Session

from casino_app.context import Context
from casino_app.domain.events import DomainEvent
from casino_app.persistence import inbox
from casino_app.persistence.db import Database


class UnitOfWork:
    """`with uow:` opens a session; leaving without `commit()` rolls everything back.

    Events emitted in the block are published after the commit that makes them true, and
    dropped with a rollback. `context` carries settings, clock, keys, publisher and checks.
    """

    def __init__(self, database: Database, context: Context, *, write: bool = True) -> None:
        self.database = database
        self.context = context
        self.write = write
        self._session: Session | None = None
        self._events: list[DomainEvent] = []

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside `with`")
        return self._session

    @property
    def dialect(self) -> str:
        return self.database.dialect

    def __enter__(self) -> UnitOfWork:
        if self.write:
            self.database.write_lock.__enter__()
        self._session = self.database.session(write=self.write)
        self._events = []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        # close() rolls back anything uncommitted without expiring loaded objects,
        # so DTOs can still be built from them after the block.
        try:
            self._session.close()
        finally:
            self._session = None
            self._events = []
            if self.write:
                self.database.write_lock.__exit__(None, None, None)

    def emit(self, event: DomainEvent) -> None:
        """Publish `event` once this unit of work commits."""
        self._events.append(event)

    def commit(self) -> None:
        self._note_for_players()
        self.session.commit()
        self.publish_after_commit()

    def _note_for_players(self) -> None:
        """Write the inbox rows of the player-facing events in this transaction (persistence/inbox.py)."""
        if self._events and self.write:
            self._events += inbox.record(self.session, self._events, self.context.clock.now())

    def publish_after_commit(self) -> None:
        """Hand the committed events to the publisher (hot paths that commit on their own call it)."""
        events, self._events = self._events, []
        for event in events:
            self.context.events.publish(event)

    def rollback(self) -> None:
        self.session.rollback()
        self._events = []

    def reader(self) -> UnitOfWork:
        """A read-only unit of work on the same database (plain BEGIN on SQLite)."""
        return UnitOfWork(self.database, self.context, write=False)

    def fresh(self) -> UnitOfWork:
        """Another unit of work on the same database and context (for a nested transaction)."""
        return UnitOfWork(self.database, self.context, write=self.write)
