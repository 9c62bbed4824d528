"""Serving ASGI apps over real HTTP from a test: uvicorn in a thread on 127.0.0.1, a free port.

`RecordingApp` wraps an app and keeps the raw headers and body of every webhook it receives
(to replay a provider's exact delivery).
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

STARTUP_SECONDS = 10


class Servers:
    """`with Servers() as s: url = s.serve(app)`; every server stops when the block ends."""

    def __init__(self) -> None:
        self._running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def serve(self, app: Any) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        self._running.append((server, thread))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    def __enter__(self) -> Servers:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for server, _ in self._running:
            server.should_exit = True
        for _, thread in self._running:
            thread.join(timeout=10)


class RecordingApp:
    """Our API behind a recorder of the webhook requests it receives (raw headers and body)."""

    def __init__(self, app: object) -> None:
        self.app = app
        self.received: list[tuple[dict[str, str], bytes]] = []

    async def __call__(self, scope: dict, receive: object, send: object) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/webhooks/"):
            await self.app(scope, receive, send)  # type: ignore[operator]
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()  # type: ignore[operator]
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        self.received.append((headers, body))
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if sent:
                return await receive()  # type: ignore[operator,no-any-return]  # waits for the disconnect
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)  # type: ignore[operator]
