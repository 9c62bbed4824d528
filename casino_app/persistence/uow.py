"""Unit of work: one database transaction around one use case."""

from __future__ import annotations

from types import TracebackType

from sqlmodel import Session

from casino_app.persistence.db import Database, get_database


class UnitOfWork:
    """`with uow:` opens a session; leaving without `commit()` rolls everything back."""

    def __init__(self, database: Database | None = None, *, write: bool = True) -> None:
        self.database = database or get_database()
        self.write = write
        self._session: Session | None = None

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
            if self.write:
                self.database.write_lock.__exit__(None, None, None)

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def reader(self) -> UnitOfWork:
        """A read-only unit of work on the same database (plain BEGIN on SQLite)."""
        return UnitOfWork(self.database, write=False)
