"""The signed-in browser is its HttpOnly session cookie, in Chromium against the real app:
a second tab and a reloaded deep link stay signed in, another browser given the first tab's
websocket client token is not signed in (and receives none of its data), and after logout or
revocation every tab is signed out."""

from __future__ import annotations

import json
import re
import uuid

import pytest
import sqlalchemy as sa
from playwright.sync_api import BrowserContext, Page, expect

from casino_app import bootstrap
from casino_app.config import load_settings
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.services.identity.sessions import cookies as cookie_sessions
from casino_app.services.identity.sessions import server as sessions
from tests.e2e.test_player_loop import _goto, _register

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct-horse-battery"


def _wait_at(page: Page, url: str, path: str) -> None:
    """Wait for `path`, reached by the router or by a full page load (which adds a slash)."""
    page.wait_for_url(re.compile(re.escape(f"{url}{path}") + "/?$"))


def _login(page: Page, url: str, email: str) -> None:
    _goto(page, f"{url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    _wait_at(page, url, "/")
    expect(page.locator("#balance")).to_contain_text("€")


def _signed_in_at(page: Page, url: str, path: str) -> None:
    _goto(page, f"{url}{path}")
    expect(page.locator("#balance")).to_contain_text("€")
    assert page.url.rstrip("/") == f"{url}{path}"  # a deep link loads as /path/


def _signed_out_at(page: Page, url: str, path: str) -> None:
    page.goto(f"{url}{path}")
    _wait_at(page, url, "/login")
    expect(page.locator("#balance")).to_have_count(0)


def _session_cookie(ctx: BrowserContext) -> dict:
    found = [c for c in ctx.cookies() if c["name"] == cookie_sessions.COOKIE]
    assert len(found) == 1, ctx.cookies()
    return dict(found[0])


def _frames(page: Page) -> list[str]:
    """Every websocket frame the page receives, as text."""
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))
    return frames


def test_the_cookie_signs_in_every_tab_of_this_browser_and_nowhere_else(app_url: str, browser) -> None:
    email = f"cookie-{uuid.uuid4().hex[:8]}@example.com"
    ctx = browser.new_context(viewport=PHONE)
    first = ctx.new_page()
    _register(first, app_url, email, "1990-05-05")
    _wait_at(first, app_url, "/login")
    _login(first, app_url, email)

    # The session is an HttpOnly, SameSite=Strict cookie: no script can read it.
    cookie = _session_cookie(ctx)
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert cookie_sessions.COOKIE not in first.evaluate("document.cookie")

    # A second tab (Ctrl-click, an emailed link) and a reloaded deep link are signed in.
    second = ctx.new_page()
    _signed_in_at(second, app_url, "/wallet")
    _signed_in_at(first, app_url, "/history")
    first.reload()
    first.wait_for_load_state("networkidle")
    expect(first.locator("#balance")).to_contain_text("€")
    assert first.url.rstrip("/") == f"{app_url}/history"

    # Another browser given the first tab's websocket client token (the tab gone): not signed in.
    client_token = first.evaluate("sessionStorage.getItem('token')")
    first.close()
    thief_ctx = browser.new_context(viewport=PHONE)
    steal = (
        f"sessionStorage.setItem('stolen', '1'); sessionStorage.setItem('token', {json.dumps(client_token)});"
    )
    # On the first page load only, as a pasted token would be.
    thief_ctx.add_init_script(f"if (!sessionStorage.getItem('stolen')) {{ {steal} }}")
    thief = thief_ctx.new_page()
    frames = _frames(thief)
    _signed_out_at(thief, app_url, "/history")
    assert not [f for f in frames if email in f], "the other browser received the tab's data"
    assert not thief_ctx.cookies() or all(c["name"] != cookie_sessions.COOKIE for c in thief_ctx.cookies())
    thief_ctx.close()

    # The browser that owns the session is still signed in.
    _signed_in_at(second, app_url, "/wallet")

    # Logout in one tab: every tab is signed out, and the cookie is gone.
    waiting = ctx.new_page()
    _signed_in_at(waiting, app_url, "/history")
    second.click("#logout")
    _wait_at(second, app_url, "/login")
    assert all(c["name"] != cookie_sessions.COOKIE for c in ctx.cookies())
    _signed_out_at(waiting, app_url, "/wallet")
    _signed_out_at(ctx.new_page(), app_url, "/history")
    ctx.close()


def test_revoking_the_session_signs_out_every_tab(app_url: str, app_env: dict[str, str], browser) -> None:
    email = f"revoked-{uuid.uuid4().hex[:8]}@example.com"
    ctx = browser.new_context(viewport=PHONE)
    first = ctx.new_page()
    _register(first, app_url, email, "1991-06-06")
    _wait_at(first, app_url, "/login")
    _login(first, app_url, email)
    second = ctx.new_page()
    _signed_in_at(second, app_url, "/wallet")

    wiring = bootstrap.build(load_settings(app_env))
    try:
        db: Database = wiring.database
        with db.read_engine.connect() as conn:
            session_id, user_id = conn.execute(
                sa.text(
                    "SELECT id, user_id FROM user_sessions WHERE kind = 'browser' AND revoked_at IS NULL "
                    "ORDER BY created_at DESC, id DESC LIMIT 1"
                )
            ).one()
        sessions.revoke(wiring.uow(), Actor.player(user_id, session_id), session_id, wiring.now())
    finally:
        wiring.dispose()

    _signed_out_at(first, app_url, "/history")
    _signed_out_at(second, app_url, "/wallet")
    ctx.close()
