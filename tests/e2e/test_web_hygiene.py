"""Web hygiene against the running app (issue 4): headers, CSP in a real browser, CORS,
body limits, the websocket Origin check, and no secrets in URLs, logs or script-readable browser
storage (the session token lives only in the HttpOnly session cookie)."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import socket
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from casino_app.persistence.db import Database
from casino_app.services.backoffice.seed import DEMO_PLAYER
from casino_app.services.identity.sessions import cookies as cookie_sessions

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
EVIL = "https://evil.example"
TOKENISH = re.compile(r"[A-Za-z0-9_\-]{32,}")
CSP_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def _request(
    url: str, *, method: str = "GET", headers: dict[str, str] | None = None, data: bytes | None = None
):
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def _handshake(app_url: str, origin: str | None) -> int:
    """Status of a raw websocket upgrade on the event endpoint (101 = accepted)."""
    parts = urlsplit(app_url)
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        "GET /_event/?EIO=4&transport=websocket HTTP/1.1",
        f"Host: {parts.netloc}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
    ] + ([f"Origin: {origin}"] if origin else [])
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = sock.recv(4096).decode("latin-1")
    return int(head.split()[1])


@pytest.mark.parametrize("path", ["/", "/wallet", "/privacy", "/ops"])
def test_pages_carry_the_security_headers_and_are_not_cached(app_url: str, path: str) -> None:
    status, headers, body = _request(app_url + path, headers={"Accept-Encoding": "gzip, br"})
    assert status == 200 and body
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'sha256-" in script_src
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in headers  # plain http here; https gets HSTS


def test_the_api_is_no_store_and_cors_only_answers_configured_origins(app_url: str) -> None:
    status, headers, _ = _request(app_url + "/api/health", headers={"Origin": app_url})
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert headers["Access-Control-Allow-Origin"] == app_url
    _, foreign, _ = _request(app_url + "/api/health", headers={"Origin": EVIL})
    assert foreign.get("Access-Control-Allow-Origin") in (None, "")
    preflight = {"Origin": EVIL, "Access-Control-Request-Method": "POST"}
    status, headers, _ = _request(app_url + "/api/health", method="OPTIONS", headers=preflight)
    assert headers.get("Access-Control-Allow-Origin") in (None, "") and status >= 400


def test_an_oversized_api_request_gets_413_problem_json(app_url: str) -> None:
    status, headers, body = _request(
        app_url + "/api/health",
        method="POST",
        data=b"x" * (64 * 1024 + 1),
        headers={"Content-Type": "text/plain"},
    )
    assert status == 413
    assert headers["Content-Type"] == "application/problem+json"
    assert b'"payload_too_large"' in body


def test_the_event_websocket_refuses_a_foreign_origin_and_accepts_the_app(app_url: str) -> None:
    assert _handshake(app_url, EVIL) == 403
    assert _handshake(app_url, "null") == 403
    assert _handshake(app_url, app_url) == 101


def _storage(page: Page) -> list[str]:
    """Everything a script on the page can read: local and session storage, document.cookie."""
    values = page.evaluate(
        "() => [localStorage, sessionStorage].flatMap(s => Object.keys(s).flatMap(k => [k, s.getItem(k)]))"
    )
    return [str(v) for v in values] + [str(page.evaluate("document.cookie"))]


def _cookies_but_the_session(page: Page) -> list[str]:
    """The browser's other cookies: only the HttpOnly session cookie may hold a session token."""
    jar = page.context.cookies()
    session = [c for c in jar if c["name"] == cookie_sessions.COOKIE]
    assert [(c["httpOnly"], c["sameSite"]) for c in session] == [(True, "Strict")]
    return [f"{c['name']}={c['value']}" for c in jar if c["name"] != cookie_sessions.COOKIE]


def _session_token_hashes(db: Database) -> set[str]:
    found: set[str] = set()
    with db.read_engine.connect() as conn:
        for table in ("user_sessions", "api_tokens"):
            if sa.inspect(conn).has_table(table):
                found |= {h for h in conn.execute(sa.text(f"SELECT token_hash FROM {table}")).scalars() if h}
    return found


def _leaks(texts: list[str], secrets: list[str], token_hashes: set[str]) -> list[str]:
    leaks = [s for s in secrets for t in texts if s.lower() in t.lower()]
    for text in texts:
        for candidate in TOKENISH.findall(text):
            if hashlib.sha256(candidate.encode()).hexdigest() in token_hashes:
                leaks.append(f"session token {candidate[:6]}...")
    return leaks


def test_player_pages_work_under_the_csp_and_leak_nothing(
    app_url: str, app_env: dict[str, str], app_log: Path, browser, shot
) -> None:
    ctx = browser.new_context(viewport=PHONE)
    ctx.add_init_script(CSP_WATCH)
    page = ctx.new_page()
    console: list[str] = []
    urls: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    page.on("request", lambda r: urls.append(r.url))
    page.goto(f"{app_url}/login")
    page.wait_for_load_state("networkidle")
    page.fill("#email", DEMO_PLAYER[0])
    page.fill("#password", DEMO_PLAYER[1])
    page.click("#login-submit")
    page.wait_for_url(f"{app_url}/")
    expect(page.locator("#balance")).to_have_text(re.compile(r"€\d"))
    for route in ("/play", "/wallet", "/history", "/privacy", "/"):
        page.goto(app_url + route)
        page.wait_for_load_state("networkidle")
        expect(page.locator("#balance")).to_have_text(re.compile(r"€\d"))  # the websocket works
        assert page.evaluate("window.__csp") == [], f"CSP violations on {route}"
    # Server-sent client actions (a toast) run under the CSP too.
    page.goto(f"{app_url}/privacy")
    page.wait_for_load_state("networkidle")
    with page.expect_download():
        page.click("#download-data")
    expect(page.get_by_text("Your data is downloading.")).to_be_visible()
    assert page.evaluate("window.__csp") == []
    assert not [m for m in console if "Content Security Policy" in m]

    db = Database(app_env["REFLEX_DB_URL"])
    hashes = _session_token_hashes(db)
    secrets = [DEMO_PLAYER[1], DEMO_PLAYER[0]]
    assert _leaks(_storage(page), secrets, hashes) == []
    assert _leaks(_cookies_but_the_session(page), secrets, hashes) == []
    assert _leaks(urls, secrets, hashes) == []
    log = app_log.read_text(errors="replace")
    assert _leaks([log], secrets, hashes) == []
    assert "security checks failed" not in log and "audit chain verification failed" not in log
    assert "Content Security Policy" not in log  # the frontend reports its exceptions here
    ctx.close()
    db.dispose()
