"""`SessionGuard`: before every event, whose connection is this, and may it go on?

- A connection denied more than `denials.DROP_AFTER` times in a minute is closed (the event is
  dropped; the frontend does not reconnect after a server disconnect).
- A connection whose browser does not own the tab (another browser holding a copied client
  token, without the cookie the tab was signed in with) gets no state: it is told to start a
  fresh tab, and the tab's state is left untouched for its owner.
- Otherwise the tab follows the cookie its websocket carried: signed in, or signed out when the
  session ended (idle, expired, revoked).
"""

from __future__ import annotations

import logging
from typing import Any

from reflex.event import Event
from reflex.middleware import Middleware
from reflex.state import StateUpdate

from casino_app.ui import wiring
from casino_app.ui.state.session import tab
from casino_app.ui.state.session.session import SessionState

_log = logging.getLogger(__name__)


async def _drop(app: Any, sid: str) -> None:
    namespace = getattr(app, "event_namespace", None)
    if namespace is not None and sid:
        await namespace.disconnect(sid)


class SessionGuard(Middleware):
    """See the module docstring."""

    async def preprocess(self, app: Any, state: Any, event: Event) -> StateUpdate | None:
        session = await state.get_state(SessionState)
        source = session._source()
        if wiring.current().denials.should_drop(source, wiring.current().clock.now()):
            _log.warning("closing a connection that keeps being denied (%s)", source)
            await _drop(app, session.router.session.session_id)
            return StateUpdate()
        if session._foreign():
            return StateUpdate(events=Event.from_event_type([tab.fresh()]))
        await session._check_session()
        return None
