"""Calling services from Reflex handlers: off the event loop, errors as messages."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import ParamSpec, TypeVar

from casino_app.domain.errors import DomainError
from casino_app.persistence.uow import UnitOfWork
from casino_app.ui import wiring
from casino_app.ui.i18n.catalog import DEFAULT_LANGUAGE, catalog, text

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


def message(err: Exception, lang: str = DEFAULT_LANGUAGE) -> str:
    """The message a person sees, in their language; internal errors never leak details.

    English keeps the error's own sentence (it names the detail); other languages read the
    catalog's sentence for the error's code (`errors.<code>`).
    """
    if not isinstance(err, DomainError):
        return text(lang, "errors.internal")
    if lang == DEFAULT_LANGUAGE:
        return err.message
    key = f"errors.{err.code}"
    return text(lang, key) if key in catalog(lang) else err.message
