"""The worker's fan-out: committed notices to the tabs of their player, on the app's event loop.

`on_event` is a subscriber of the wiring's publisher. Services publish from worker threads
(handlers run them in `asyncio.to_thread`) and from lifespan jobs, so it never touches the tabs
itself: it hands the push to the loop captured when the hub started
(`asyncio.run_coroutine_threadsafe`) and returns at once. The transport carries it to every
worker (only this one in-process; all of them over Redis pub/sub) and each worker's
`deliver_local` updates the tabs registered with it. The tab whose own handler caused the fact
is skipped: that handler shows the result itself, and modifying its state from inside it would
wait on its own lock.

A settled draw notes every player who played it at once: that fact travels as a few
`notifications.created` events naming (player, notification) pairs, not one push per player.
Each worker keeps the pairs of the players whose tabs it serves, reads just their notices
(`lookup`, in a thread) and delivers those; a draw of 100,000 players is ten messages.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from casino_app.domain.events import DomainEvent
from casino_app.domain.inbox.notices import NOTIFIED, NOTIFIED_MANY
from casino_app.ui.live.registry import TabRegistry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Push:
    """A notice on its way to a player's tabs (data only: each tab renders it in its language)."""

    user_id: int
    notification_id: int
    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    origin: str = ""  # the client token whose handler caused the fact ("" from jobs)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Push:
        return cls(
            int(data["user_id"]),
            int(data["notification_id"]),
            str(data["kind"]),
            dict(data.get("params") or {}),
            str(data.get("origin") or ""),
        )


Deliver = Callable[[str, Push], Awaitable[None]]
# notification ids -> (player id, kind, params) of those that exist (inbox.notices_to_push)
Lookup = Callable[[list[int]], dict[int, tuple[int, str, dict[str, Any]]]]
Receiver = Callable[[str], Awaitable[None]]


class Transport(Protocol):
    async def send(self, payload: str) -> None: ...

    async def listen(self, handler: Receiver, ready: asyncio.Event | None = None) -> None: ...


class LocalTransport:
    """One worker, no Redis: a push goes straight to this worker's tabs."""

    def __init__(self) -> None:
        self._handler: Receiver | None = None

    async def send(self, payload: str) -> None:
        if self._handler is not None:
            await self._handler(payload)

    async def listen(self, handler: Receiver, ready: asyncio.Event | None = None) -> None:
        self._handler = handler
        if ready is not None:
            ready.set()
        await asyncio.Event().wait()  # until cancelled


def _origin_token() -> str:
    """The client token of the Reflex event being handled on this thread, if any."""
    try:
        from reflex_base.event.context import EventContext

        return EventContext.get().token
    except (ImportError, LookupError):
        return ""


class LiveHub:
    """Registry, transport and delivery of one worker."""

    def __init__(
        self,
        deliver: Deliver,
        transport: Transport | None = None,
        *,
        registry: TabRegistry | None = None,
        connected: Callable[[str], bool] = lambda _token: True,
        lookup: Lookup | None = None,
    ) -> None:
        self.registry = registry or TabRegistry()
        self.transport: Transport = transport or LocalTransport()
        self._deliver = deliver
        self._connected = connected
        self._lookup = lookup
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver on `loop` from now on (the app's loop, captured by the lifespan task)."""
        self._loop = loop

    def unbind(self) -> None:
        self._loop = None

    def on_event(self, event: DomainEvent) -> None:
        """Publisher subscriber, from any thread: hand a committed notice to the loop."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        if event.name == NOTIFIED_MANY:
            payload = json.dumps({"notices": event.data.get("notices") or []})
            asyncio.run_coroutine_threadsafe(self._send_payload(payload, "a draw's notices"), loop)
            return
        if event.name != NOTIFIED or event.user_id is None:
            return
        push = Push(
            event.user_id,
            int(event.data.get("notification_id", 0)),
            str(event.data.get("kind", "")),
            dict(event.data.get("params") or {}),
            _origin_token(),
        )
        asyncio.run_coroutine_threadsafe(
            self._send_payload(push.to_json(), f"notification {push.notification_id}"), loop
        )

    async def _send_payload(self, payload: str, what: str) -> None:
        try:
            await self.transport.send(payload)
        except Exception:
            log.exception("live push could not be sent for %s", what)

    async def receive(self, payload: str) -> None:
        """A push from the transport (any worker's): deliver it to the tabs here."""
        data = json.loads(payload)
        if "notices" in data:
            await self.deliver_many([(int(u), int(n)) for u, n in data["notices"]])
        else:
            await self.deliver_local(Push.from_data(data))

    async def deliver_many(self, pairs: list[tuple[int, int]]) -> int:
        """Deliver the named notices of the players with tabs here (their rows read in a
        thread, only theirs); returns how many tabs were updated."""
        here = [(user_id, nid) for user_id, nid in pairs if self.registry.tabs_of(user_id)]
        if not here or self._lookup is None:
            return 0
        try:
            found = await asyncio.to_thread(self._lookup, [nid for _, nid in here])
        except Exception:
            log.exception("live push could not read %s notices", len(here))
            return 0
        delivered = 0
        for user_id, nid in here:
            notice = found.get(nid)
            if notice is not None and notice[0] == user_id:
                delivered += await self.deliver_local(Push(user_id, nid, notice[1], notice[2]))
        return delivered

    async def deliver_local(self, push: Push) -> int:
        """Update every tab of the player registered here (but the origin); returns how many."""
        targets = []
        for token in self.registry.tabs_of(push.user_id):
            if token == push.origin:
                continue
            if not self._connected(token):
                self.registry.remove(token)
                continue
            targets.append(token)
        results = await asyncio.gather(*(self._deliver(t, push) for t in targets), return_exceptions=True)
        for token, result in zip(targets, results, strict=True):
            if isinstance(result, BaseException):
                log.warning("live push to a tab failed: %r", result)
                self.registry.remove(token)
        return sum(1 for r in results if not isinstance(r, BaseException))

    async def run(self, ready: asyncio.Event | None = None) -> None:
        """Receive pushes until cancelled (bind first)."""
        await self.transport.listen(self.receive, ready)


_hub: LiveHub | None = None


def install(hub: LiveHub | None) -> None:
    """Make `hub` this worker's (the lifespan task does; tests install their own)."""
    global _hub
    _hub = hub


def current() -> LiveHub | None:
    """This worker's hub, None until the live lifespan task started."""
    return _hub
