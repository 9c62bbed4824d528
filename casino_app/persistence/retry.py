"""Retry a unit of work on transient database errors (deadlock, serialization, busy)."""

from __future__ import annotations

import functools
import secrets
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError

P = ParamSpec("P")
T = TypeVar("T")
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected
ATTEMPTS = 6


def is_transient(err: BaseException) -> bool:
    """True for errors that a fresh attempt of the same transaction can get past."""
    if not isinstance(err, DBAPIError):
        return False
    if err.connection_invalidated:  # a pooled connection the server had closed
        return True
    sqlstate = getattr(err.orig, "sqlstate", None)
    if sqlstate in TRANSIENT_SQLSTATES:
        return True
    return "database is locked" in str(err.orig)


def retry_transient(fn: Callable[P, T]) -> Callable[P, T]:
    """Run `fn` again (with jittered backoff) when it fails on a transient database error."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(ATTEMPTS):
            try:
                return fn(*args, **kwargs)
            except DBAPIError as err:
                if not is_transient(err) or attempt == ATTEMPTS - 1:
                    raise
                time.sleep((2**attempt) * 0.002 + secrets.randbelow(1000) / 1_000_000)
        raise AssertionError("unreachable")

    return wrapper
