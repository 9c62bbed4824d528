"""`@requires(permission)`: every guarded Reflex handler checks its permission itself.

Any connected client can call any public handler, so a page guard is not enough. The
decorator validates the server-side session, checks the permission matrix (a denial is
audited) and only then runs the handler. `GUARDED` lists every guarded handler, so the RBAC
test can enumerate them.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any

import reflex as rx

from casino_app.services import authz
from casino_app.ui import routes
from casino_app.ui.i18n.catalog import text
from casino_app.ui.state.session.locale import lang_of
from casino_app.ui.state.session.session import SessionState

# "StateClass.handler" -> permission
GUARDED: dict[str, str] = {}


def requires(permission: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Run the handler only for a live session whose role holds `permission`.

    Put it under `@rx.event`. The handler reads the caller with
    `(await self.get_state(SessionState))._actor()` and hands that `Actor` to the services.
    """
    if permission not in authz.PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        guarded = _streaming(fn, permission) if inspect.isasyncgenfunction(fn) else _plain(fn, permission)
        guarded.permission = permission  # type: ignore[attr-defined]
        GUARDED[fn.__qualname__] = permission
        return guarded

    return decorate


def _plain(fn: Callable[..., Any], permission: str) -> Callable[..., Any]:
    @functools.wraps(fn)
    async def guarded(self: rx.State, *args: Any, **kwargs: Any) -> Any:
        session = await self.get_state(SessionState)
        if await session._authorize(permission) is None:
            return await _denied(session, permission)
        result = fn(self, *args, **kwargs)
        return await result if inspect.isawaitable(result) else result

    return guarded


def _streaming(fn: Callable[..., Any], permission: str) -> Callable[..., Any]:
    """The same check for a handler that yields updates while it works (a busy spinner, a toast)."""

    @functools.wraps(fn)
    async def guarded(self: rx.State, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        session = await self.get_state(SessionState)
        if await session._authorize(permission) is None:
            yield await _denied(session, permission)
            return
        async for update in fn(self, *args, **kwargs):
            yield update

    return guarded


async def _denied(session: SessionState, permission: str) -> Any:
    lang = await lang_of(session)
    if session._signed_in_id() is None:
        target = routes.LOGIN if permission.startswith("player.") else routes.OPS_LOGIN
        return [rx.toast.error(text(lang, "auth.please_sign_in")), rx.redirect(target)]
    return rx.toast.error(text(lang, "errors.permission_denied"))  # authz.DENIED in English
