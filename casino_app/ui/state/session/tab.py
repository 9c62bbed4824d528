"""A tab and the browser it belongs to: the session cookie its websocket carried, and the scripts
that ask the server to set or clear it (`assets/session.js`, `api/browser_session.py`).

The cookie is HttpOnly: scripts never see it. The websocket handshake carries it, so Reflex
hands it to every event in `router.headers.cookie` (never to the frontend). A tab's state is
owned by the digest of the cookie it was signed in with; a connection presenting another cookie
(or none) is a different browser that got hold of the tab's client token, and gets nothing.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import urlsplit

import reflex as rx

from casino_app.config import LOOPBACK_HOSTS
from casino_app.services.identity.sessions import cookies as cookie_sessions


def cookie_token(state: rx.State) -> str:
    """The session token in the cookie this connection's websocket handshake carried."""
    return cookie_sessions.read(state.router.headers.cookie)


def digest(token: str) -> str:
    """How a tab remembers its browser's cookie without keeping it ("" for no cookie)."""
    return hashlib.sha256(token.encode()).hexdigest() if token else ""


def api_base(state: rx.State) -> str:
    """Where the page reaches `/api/session`: its own origin ("") wherever pages and API share one
    (production serves both on one port, or behind one proxy that may rewrite `Host`), else the
    dev backend on this machine's other port (the websocket's `Host`)."""
    headers = state.router.headers
    origin, host = urlsplit(headers.origin or ""), (headers.host or "").lower()
    if not host or not origin.netloc or origin.netloc.lower() == host:
        return ""
    backend = urlsplit(f"//{host}").hostname or ""
    if backend in LOOPBACK_HOSTS and (origin.hostname or "") in LOOPBACK_HOSTS:
        return f"{origin.scheme}://{host}"
    return ""


def _call(method: str, *args: str) -> Any:
    arguments = ", ".join(json.dumps(a) for a in args)
    return rx.call_script(f"window.kasynoSession.{method}({arguments})")


def bind(state: rx.State, grant: str, target: str) -> Any:
    """The page swaps a sign-in's one-time grant for the cookie, then opens `target` afresh."""
    return _call("bind", api_base(state), grant, target)


def drop(state: rx.State, target: str) -> Any:
    """The page has the server end the session and clear the cookie, then opens `target` afresh."""
    return _call("drop", api_base(state), target)


def fresh() -> Any:
    """The page forgets its tab token and reloads: a connection from another browser."""
    return _call("fresh")
