"""Calling services from Reflex handlers: off the event loop, errors as messages."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from casino_app.adapters.clock import clock
from casino_app.domain.errors import DomainError

P = ParamSpec("P")
T = TypeVar("T")


async def call(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a sync service function in a worker thread so no client waits on another."""
    return await asyncio.to_thread(fn, *args, **kwargs)


def now():
    return clock.now()


def message(err: Exception) -> str:
    """The message a person sees; internal errors never leak details."""
    if isinstance(err, DomainError):
        return err.message
    return "Something went wrong on our side. Please try again."
