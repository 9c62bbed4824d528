"""Web hygiene middleware: headers, CSP hashes, no-store, body limits, websocket Origin (issue 4)."""

from __future__ import annotations

import base64
import gzip
import hashlib

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket, WebSocketDisconnect

from casino_app.api.security import SecurityMiddleware

PAGE = (
    b"<html><head><script>window.a=1;</script><script src='/x.js'></script></head><body>"
    b"<script type='module'>import('/y.js');</script></body></html>"
)
ALLOWED = "http://127.0.0.1:3000"


async def page(_: Request) -> Response:
    return HTMLResponse(PAGE)


async def gz_page(_: Request) -> Response:
    return Response(gzip.compress(PAGE), media_type="text/html", headers={"content-encoding": "gzip"})


async def api(request: Request) -> Response:
    body = await request.body()
    return JSONResponse({"size": len(body)}, headers={"cache-control": "max-age=600"})


async def asset(_: Request) -> Response:
    return Response("x", media_type="text/javascript", headers={"cache-control": "public, max-age=31536000"})


async def event(ws: WebSocket) -> None:
    await ws.accept()
    await ws.send_text("hello")
    await ws.close()


def _client(**kw: object) -> TestClient:
    app = Starlette(
        routes=[
            Route("/wallet", page),
            Route("/gz", gz_page),
            Route("/api/v1/thing", api, methods=["GET", "POST"]),
            Route("/assets/app.js", asset),
            WebSocketRoute("/_event/", event),
        ]
    )
    options = {"allowed_origins": (ALLOWED,), "api_max_body": 1024, "max_body": 4096, **kw}
    return TestClient(SecurityMiddleware(app, **options))  # type: ignore[arg-type]


def _sha(script: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"


@pytest.mark.parametrize("path", ["/wallet", "/gz"])
def test_pages_get_a_csp_with_the_hashes_of_their_inline_scripts(path: str) -> None:
    resp = _client().get(path)
    assert resp.status_code == 200 and resp.content == PAGE
    csp = resp.headers["content-security-policy"]
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert _sha(b"window.a=1;") in script_src and _sha(b"import('/y.js');") in script_src
    assert "'unsafe-inline'" not in script_src  # injected inline scripts stay blocked
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["referrer-policy"] == "no-referrer"
    assert resp.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in resp.headers


def test_hsts_only_over_tls_or_when_forced() -> None:
    tls = TestClient(_client().app, base_url="https://testserver").get("/wallet")
    assert tls.headers["strict-transport-security"].startswith("max-age=63072000")
    forced = _client(force_hsts=True).get("/wallet")
    assert "strict-transport-security" in forced.headers


def test_api_answers_are_no_store_and_static_assets_keep_their_caching() -> None:
    client = _client()
    assert client.get("/api/v1/thing").headers["cache-control"] == "no-store"
    assert client.get("/assets/app.js").headers["cache-control"] == "public, max-age=31536000"


def test_a_request_body_over_the_limit_gets_413_problem_json() -> None:
    client = _client()
    ok = client.post("/api/v1/thing", content=b"x" * 1024)
    assert ok.status_code == 200 and ok.json() == {"size": 1024}
    big = client.post("/api/v1/thing", content=b"x" * 1025)
    assert big.status_code == 413
    assert big.headers["content-type"] == "application/problem+json"
    assert big.json()["code"] == "payload_too_large"


def test_a_chunked_body_over_the_limit_gets_413() -> None:
    def chunks():  # no Content-Length: the middleware counts while reading
        for _ in range(3):
            yield b"y" * 500

    client = _client()
    assert client.post("/api/v1/thing", content=chunks()).status_code == 413
    small = client.post("/api/v1/thing", content=iter([b"a" * 100, b"b" * 100]))
    assert small.status_code == 200 and small.json() == {"size": 200}


def test_the_websocket_refuses_a_foreign_origin_and_accepts_an_allowed_one() -> None:
    client = _client()
    with client.websocket_connect("/_event/", headers={"origin": ALLOWED}) as ws:
        assert ws.receive_text() == "hello"
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect("/_event/", headers={"origin": "https://evil.example"}) as ws,
    ):
        ws.receive_text()


def test_brotli_is_not_offered_so_pages_can_be_hashed() -> None:
    seen: list[str | None] = []

    async def echo(request: Request) -> Response:
        seen.append(request.headers.get("accept-encoding"))
        return HTMLResponse("<p>x</p>")

    client = TestClient(
        SecurityMiddleware(
            Starlette(routes=[Route("/", echo)]), allowed_origins=(), api_max_body=1, max_body=1
        )
    )  # type: ignore[arg-type]
    client.get("/", headers={"accept-encoding": "br, gzip;q=0.9, zstd"})
    assert seen == ["gzip;q=0.9"]


def test_a_page_sent_with_pathsend_still_gets_its_script_hashes(tmp_path) -> None:
    """Granian and uvicorn let FileResponse hand the file to the server (http.response.pathsend)."""
    import asyncio

    from starlette.responses import FileResponse

    page_file = tmp_path / "index.html"
    page_file.write_bytes(PAGE)
    app = SecurityMiddleware(FileResponse(page_file), allowed_origins=(), api_max_body=1, max_body=1)
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [],
        "query_string": b"",
        "extensions": {"http.response.pathsend": {}},
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.pathsend"]
    csp = dict(sent[0]["headers"])[b"content-security-policy"].decode()
    assert _sha(b"window.a=1;") in csp
