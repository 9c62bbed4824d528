"""Reflex tabs for handler tests: a state tree whose connection carried a given session cookie."""

from __future__ import annotations

import uuid
from datetime import datetime

import reflex as rx

from casino_app.bootstrap import Wiring
from casino_app.services.identity.sessions import cookies as cookie_sessions
from casino_app.services.identity.sessions import server as sessions


def browser_cookie(wiring: Wiring, user_id: int, now: datetime, *, step_up: bool = False) -> tuple[str, int]:
    """A browser session for `user_id`, as its cookie holds it: (token, session id)."""
    uow = wiring.uow()
    with uow:
        grant, session_id = sessions.open_browser_session(
            uow, user_id, sessions.ClientInfo("192.0.2.10", "pytest"), now, step_up=step_up
        )
        uow.commit()
    return cookie_sessions.exchange_grant(wiring.uow(), grant, now), session_id


def tab(cookie_token: str = "", *, client_token: str = "", root: rx.State | None = None) -> rx.State:
    """A tab's root state as its websocket connected: with this cookie (or none) and client token.

    Pass `root` to reconnect an existing tab's state from another connection.
    """
    root = root or rx.State(_reflex_internal_init=True)
    headers = {"cookie": f"{cookie_sessions.COOKIE}={cookie_token}"} if cookie_token else {}
    data = {
        "headers": {"host": "testserver", "origin": "http://testserver", "user-agent": "pytest", **headers},
        "token": client_token or str(uuid.uuid4()),
        "sid": uuid.uuid4().hex,
        "ip": "192.0.2.10",
        "pathname": "/",
    }
    root.router_data = root._update_router_vars(data, root.router_data or {})
    return root


async def signed_in_tab(
    wiring: Wiring, user_id: int, now: datetime, *, step_up: bool = False
) -> tuple[rx.State, str, int]:
    """A tab of a browser signed in as `user_id`, after its first event took the session up:
    (root state, cookie token, session id). Install `wiring` first (`ui.wiring.install`)."""
    from casino_app.ui.state.session.session import SessionState

    token, session_id = browser_cookie(wiring, user_id, now, step_up=step_up)
    root = tab(token)
    assert await (await root.get_state(SessionState))._check_session() is not None
    return root, token, session_id
