"""Web hygiene as one ASGI middleware around the whole backend (pages, API and the event websocket).

- Security headers on every HTTP response: a Content-Security-Policy whose script-src lists the
  SHA-256 of each inline script of the page it is sent with (no 'unsafe-inline' for scripts;
  'unsafe-eval' because Reflex evaluates server-sent actions such as toasts),
  nosniff, Referrer-Policy, frame-ancestors 'none', and HSTS when the request came over TLS.
- `Cache-Control: no-store` on HTML pages and API answers, so account pages never sit in a
  shared or back/forward cache.
- Request bodies over the limit (64 KiB on /api, 1 MiB elsewhere) answer 413 problem+json.
- The event websocket refuses a foreign `Origin` (cross-site websocket hijacking).

Applied through `rx.App(api_transformer=[create_api(), security_middleware])`; in production
(`reflex run --env prod`) the compiled pages are served by the same ASGI app, so pages get the
headers too.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import json
import re
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from casino_app.config import Settings, require_own_origin

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

EVENT_PATH = "/_event"
API_PREFIX = "/api/"
_INLINE_SCRIPT = re.compile(rb"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.S | re.I)
_STATIC_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
]


def content_security_policy(script_hashes: list[str], extra_connect: tuple[str, ...] = ()) -> str:
    """The policy for a page whose inline scripts have `script_hashes` ("sha256-...")."""
    # 'unsafe-eval': Reflex runs server-sent client actions (every rx.toast, rx.call_script)
    # through eval(). Inline <script> stays blocked unless its hash is listed.
    scripts = " ".join(["'self'", "'unsafe-eval'", *(f"'{h}'" for h in sorted(set(script_hashes)))])
    connect = " ".join(["'self'", *extra_connect])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",  # emotion and Radix inject styles at runtime
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src {connect}",
            "manifest-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def inline_script_hashes(html: bytes) -> list[str]:
    """CSP source expressions for every inline <script> body in `html`."""
    return [
        "sha256-" + base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode()
        for m in _INLINE_SCRIPT.finditer(html)
    ]


def _origin(value: str) -> str:
    parts = urlsplit(value.strip())
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def _websocket_sources(origins: tuple[str, ...]) -> tuple[str, ...]:
    """The ws(s):// forms of the allowed origins (for a backend on another port in dev)."""
    out = []
    for origin in origins:
        scheme, _, rest = origin.partition("://")
        out.append(("wss" if scheme == "https" else "ws") + "://" + rest)
    return tuple(out)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def problem(status: int, code: str, title: str, detail: str) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """An RFC 9457 problem+json body with its headers."""
    body = json.dumps(
        {"type": "about:blank", "title": title, "status": status, "code": code, "detail": detail}
    )
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    return headers, body.encode()


class SecurityMiddleware:
    """See the module docstring."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        allowed_origins: tuple[str, ...],
        api_max_body: int,
        max_body: int,
        force_hsts: bool = False,
        hsts_max_age: int = 63_072_000,
    ) -> None:
        self.app = app
        self.allowed_origins = frozenset(o for o in (_origin(x) for x in allowed_origins) if o)
        self.api_max_body = api_max_body
        self.max_body = max_body
        self.force_hsts = force_hsts
        self.hsts = f"max-age={hsts_max_age}; includeSubDomains".encode()
        self.ws_sources = _websocket_sources(tuple(sorted(self.allowed_origins)))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    # --- websocket ---------------------------------------------------------------------------

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin = _header(scope, b"origin")
        # Browsers always send Origin on a websocket handshake; non-browser clients may not.
        if origin is not None and _origin(origin) not in self.allowed_origins:
            await send({"type": "websocket.close", "code": 1008, "reason": "origin not allowed"})
            return
        await self.app(scope, receive, send)

    # --- http ----------------------------------------------------------------------------------

    def _limit(self, scope: Scope) -> int:
        return self.api_max_body if scope["path"].startswith(API_PREFIX) else self.max_body

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self._limit(scope)
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._too_large(scope, send, limit)
            return
        if declared is None and _header(scope, b"transfer-encoding") is not None:
            buffered = await _read_body(receive, limit)
            if buffered is None:
                await self._too_large(scope, send, limit)
                return
            receive = _replay(buffered, receive)
        if scope["method"] in ("GET", "HEAD"):
            scope = _only_gzip(scope)
        await self.app(scope, receive, _ResponseHeaders(self, scope, send))

    async def _too_large(self, scope: Scope, send: Send, limit: int) -> None:
        headers, body = problem(
            413, "payload_too_large", "Payload too large", f"Request bodies are limited to {limit} bytes."
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": headers + self.headers_for(scope, [], True),
            }
        )
        await send({"type": "http.response.body", "body": body})

    def headers_for(
        self, scope: Scope, script_hashes: list[str], no_store: bool
    ) -> list[tuple[bytes, bytes]]:
        """The security headers for one response."""
        csp = content_security_policy(script_hashes, self.ws_sources).encode()
        headers = [*_STATIC_HEADERS, (b"content-security-policy", csp)]
        if self.force_hsts or scope.get("scheme") == "https":
            headers.append((b"strict-transport-security", self.hsts))
        if no_store:
            headers.append((b"cache-control", b"no-store"))
        return headers


class _ResponseHeaders:
    """Wraps `send`: adds the headers; buffers HTML bodies to hash their inline scripts."""

    def __init__(self, mw: SecurityMiddleware, scope: Scope, send: Send) -> None:
        self.mw, self.scope, self.send = mw, scope, send
        self.start: Message | None = None
        self.chunks: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            if not self._is_html(message):
                await self._send_start([])
            return
        if message["type"] == "http.response.body" and self.start is not None and self._buffering:
            self.chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(self.chunks)
            await self._send_start(inline_script_hashes(_decoded(body, self.start)))
            await self.send({"type": "http.response.body", "body": body})
            return
        if message["type"] == "http.response.pathsend" and self._buffering:
            # The server sends the file itself (granian, uvicorn): read it here only to hash.
            assert self.start is not None
            html = await asyncio.to_thread(Path(message["path"]).read_bytes)
            await self._send_start(inline_script_hashes(_decoded(html, self.start)))
        await self.send(message)

    @property
    def _buffering(self) -> bool:
        return self.start is not None and not self.start.get("_sent", False)

    def _is_html(self, message: Message) -> bool:
        for key, value in message.get("headers", []):
            if key.lower() == b"content-type":
                return bool(value.lower().startswith(b"text/html"))
        return False

    async def _send_start(self, script_hashes: list[str]) -> None:
        assert self.start is not None
        start = self.start
        path = self.scope["path"]
        no_store = self._is_html(start) or path.startswith(API_PREFIX)
        drop = {b"cache-control"} if no_store else set()
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in drop]
        headers += self.mw.headers_for(self.scope, script_hashes, no_store)
        start["_sent"] = True
        await self.send({"type": "http.response.start", "status": start["status"], "headers": headers})


def _decoded(body: bytes, start: Message) -> bytes:
    encoding = b""
    for key, value in start.get("headers", []):
        if key.lower() == b"content-encoding":
            encoding = value.lower().strip()
    if encoding == b"gzip":
        try:
            return gzip.decompress(body)
        except (OSError, EOFError, zlib.error):
            return b""
    return body


def _only_gzip(scope: Scope) -> Scope:
    """Let pages come back plain or gzip (which the CSP hashing can read), not br/zstd."""
    accepted = _header(scope, b"accept-encoding")
    if accepted is None:
        return scope
    keep = ", ".join(
        p.strip() for p in accepted.split(",") if p.strip().split(";")[0] in ("gzip", "identity")
    )
    headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
    if keep:
        headers.append((b"accept-encoding", keep.encode("latin-1")))
    return {**scope, "headers": headers}


async def _read_body(receive: Receive, limit: int) -> list[Message] | None:
    """Read a chunked body into memory; None when it exceeds `limit`."""
    messages, size = [], 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages
        size += len(message.get("body", b""))
        if size > limit:
            return None
        if not message.get("more_body", False):
            return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


def security_middleware(app: ASGIApp, *, settings: Settings) -> ASGIApp:
    """The `api_transformer` hook: wrap the backend with the configured web hygiene.

    Raises:
        ConfigError: the app's own origin is not allowed (its pages could not connect).
    """
    require_own_origin(settings)
    security = settings.security
    return SecurityMiddleware(
        app,
        allowed_origins=settings.cors_origins,
        api_max_body=security.api_max_body_bytes,
        max_body=security.max_body_bytes,
        force_hsts=security.force_hsts,
        hsts_max_age=security.hsts_max_age,
    )
