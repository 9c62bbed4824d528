"""Calling services from Reflex handlers: off the event loop, errors as messages."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import ParamSpec, TypeVar

from casino_app.domain.errors import DomainError
from casino_app.persistence.uow import UnitOfWork
from casino_app.ui import wiring

P = ParamSpec("P")
T = TypeVar("T")


async def call(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a sync service function in a worker thread so no client waits on another."""
    return await asyncio.to_thread(fn, *args, **kwargs)


def uow() -> UnitOfWork:
    """A unit of work from the app's wiring."""
    return wiring.current().uow()


def now() -> datetime:
    return wiring.current().clock.now()


def message(err: Exception) -> str:
    """The message a person sees; internal errors never leak details."""
    if isinstance(err, DomainError):
        return err.message
    return "Something went wrong on our side. Please try again."
