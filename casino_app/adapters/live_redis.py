"""Redis pub/sub for live pushes: every backend worker subscribes, any worker publishes.

Used when the app runs with `REFLEX_REDIS_URL` (several workers sharing Redis); the messages
are small JSON strings (ui/live/hub.py), each worker delivering to the tabs connected to it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from redis import asyncio as aioredis

log = logging.getLogger(__name__)
DEFAULT_CHANNEL = "kasyno:live"
Handler = Callable[[str], Awaitable[None]]


class RedisChannel:
    """One pub/sub channel; make it on the event loop that will use it."""

    def __init__(self, url: str, channel: str = DEFAULT_CHANNEL) -> None:
        self.channel = channel
        self._client = aioredis.from_url(url)

    async def send(self, payload: str) -> None:
        """Publish `payload` to every subscribed worker (this one included)."""
        await self._client.publish(self.channel, payload)

    async def listen(self, handler: Handler, ready: asyncio.Event | None = None) -> None:
        """Hand each message to `handler` until cancelled; `ready` is set once subscribed."""
        async with self._client.pubsub() as pubsub:
            await pubsub.subscribe(self.channel)
            if ready is not None:
                ready.set()
            async for message in pubsub.listen():
                if message.get("type") != "message":
                    continue
                data = message["data"]
                try:
                    await handler(data.decode() if isinstance(data, bytes) else str(data))
                except Exception:
                    log.exception("live push handler failed")

    async def close(self) -> None:
        await self._client.aclose()
