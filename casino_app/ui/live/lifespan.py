"""The live channel's lifespan task: one hub per backend worker, on that worker's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from typing import Any

from reflex.config import get_config

from casino_app.adapters.live_redis import DEFAULT_CHANNEL, RedisChannel
from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.services.inbox.notifications import notices_to_push
from casino_app.ui.live import hub as live_hub
from casino_app.ui.live.hub import LiveHub, LocalTransport, Transport
from casino_app.ui.state.session.live import deliver

log = logging.getLogger(__name__)
RETRY_S = 2.0
LIVE = Actor.system("live")


def _connected_on(app: Any) -> Any:
    """Whether a client token still has a socket this worker knows of (else it is pruned)."""

    def connected(token: str) -> bool:
        manager = getattr(getattr(app, "event_namespace", None), "_token_manager", None)
        return manager is None or token in manager.token_to_socket

    return connected


def _transport(redis_url: str | None, channel: str) -> Transport:
    return RedisChannel(redis_url, channel) if redis_url else LocalTransport()


async def run_forever(wiring: Wiring, app: Any, channel: str = DEFAULT_CHANNEL) -> None:
    """Start this worker's hub, subscribe it to the wiring's events and receive pushes until stopped.

    With `REFLEX_REDIS_URL` set every worker publishes and subscribes on one Redis channel;
    otherwise pushes stay in this process.
    """
    transport = _transport(get_config().redis_url, channel)
    hub = LiveHub(
        functools.partial(deliver, app),
        transport,
        connected=_connected_on(app),
        lookup=lambda ids: notices_to_push(wiring.uow(), LIVE, ids),
    )
    hub.bind(asyncio.get_running_loop())
    live_hub.install(hub)
    subscribe = getattr(wiring.events, "subscribe", None)
    if subscribe is not None:
        subscribe(hub.on_event)
    try:
        while True:
            try:
                await hub.run()
            except Exception:
                log.exception("live channel lost; retrying in %s s", RETRY_S)
                await asyncio.sleep(RETRY_S)
    finally:
        hub.unbind()
        live_hub.install(None)
        if isinstance(transport, RedisChannel):
            with contextlib.suppress(Exception):
                await transport.close()
