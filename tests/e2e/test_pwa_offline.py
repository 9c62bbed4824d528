"""The installable app in Chromium: manifest and service worker, the offline page, lotto tickets
queued offline and sent once when the connection is back, and money buttons that never take
effect silently after a reconnect."""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys

import pytest
import sqlalchemy as sa
from playwright.sync_api import BrowserContext, Page, WebSocketRoute, expect

from casino_app.domain.identity.demo import DEMO_PLAYER
from casino_app.persistence.db import Database
from tests.e2e.test_player_loop import _goto, sign_in

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
QUEUED = "b.idempotency_key LIKE 'api:off-%'"


def _png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", body[16:24])
    return int(width), int(height)


def _bets(db: Database, where: str) -> list[tuple[str, str]]:
    """(public id, idempotency key) of the bets matching `where` (only the queue's keys start off-)."""
    sql = f"SELECT b.public_id, b.idempotency_key FROM bets b WHERE {where} ORDER BY b.id"
    with db.read_engine.connect() as conn:
        return [(r[0], r[1]) for r in conn.execute(sa.text(sql))]


def _controlled(page: Page, url: str) -> None:
    """Load the app until its service worker controls the page."""
    _goto(page, url)
    page.evaluate("navigator.serviceWorker.ready")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        _goto(page, url)
    assert page.evaluate("!!navigator.serviceWorker.controller")


def _signed_in_on_play(ctx: BrowserContext, url: str) -> Page:
    page = ctx.new_page()
    sign_in(page, url, DEMO_PLAYER[0], DEMO_PLAYER[1])
    _controlled(page, f"{url}/play")
    expect(page.locator("#play-draw")).to_be_visible()
    page.wait_for_function("() => !!JSON.parse(localStorage.getItem('kl_last_draw') || 'null')")
    return page


def _shown_draw(page: Page) -> dict:
    return dict(json.loads(page.evaluate("localStorage.getItem('kl_last_draw')")))


def _queue_ticket(page: Page, numbers: list[int] | None) -> None:
    """Prepare one ticket in the offline builder: these numbers, or a quick pick line."""
    if numbers is None:
        page.click("#offline-quick-pick")
    else:
        for n in numbers:
            page.click(f'#offline-builder [data-offline-number="{n}"]')
    page.click("#offline-queue-ticket")
    expect(page.locator("#offline-message")).not_to_have_text("")


def test_the_manifest_and_service_worker_meet_the_install_criteria(app_url: str, browser, shot) -> None:
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    _controlled(page, app_url)
    manifest = page.request.get(f"{app_url}/manifest.webmanifest").json()
    assert manifest["name"] == "Kasyno Lotto" and manifest["short_name"]
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    assert manifest["theme_color"] and manifest["background_color"]
    found = {}
    for icon in manifest["icons"]:
        if icon["type"] != "image/png":
            continue
        response = page.request.get(f"{app_url}{icon['src']}")
        assert response.ok and response.headers["content-type"] == "image/png"
        width, height = _png_size(response.body())
        assert f"{width}x{height}" == icon["sizes"]
        found.setdefault(icon.get("purpose", "any"), set()).add(width)
    assert {192, 512} <= found["any"] and 512 in found["maskable"]
    assert page.locator('link[rel="manifest"]').get_attribute("href") == "/manifest.webmanifest"
    registration = page.evaluate(
        """async () => { const r = await navigator.serviceWorker.getRegistration('/');
             return {scope: r.scope, active: r.active && r.active.state,
                     script: r.active && r.active.scriptURL}; }"""
    )
    assert registration == {"scope": f"{app_url}/", "active": "activated", "script": f"{app_url}/sw.js"}
    # The CSP of the page lets the worker and the manifest load.
    csp = page.request.get(f"{app_url}/").headers["content-security-policy"]
    assert "worker-src 'self'" in csp and "manifest-src 'self'" in csp
    # Nothing of the API or the event channel is in any cache.
    cached = page.evaluate(
        """async () => { const out = [];
             for (const name of await caches.keys()) {
               for (const req of await (await caches.open(name)).keys()) out.push(new URL(req.url).pathname);
             } return out; }"""
    )
    assert "/offline.html" in cached
    assert not [p for p in cached if p.startswith(("/api", "/_event", "/_upload"))]
    assert not [p for p in cached if p in ("/", "/play")]  # pages are never cached
    shot(page, "desktop-lobby-installable")
    ctx.close()


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_page_opened_without_network_shows_the_offline_page_in_the_players_language(
    app_url: str, browser, shot, viewport: dict, name: str
) -> None:
    ctx = browser.new_context(viewport=viewport, device_scale_factor=2 if viewport is PHONE else 1)
    page = ctx.new_page()
    _controlled(page, app_url)
    ctx.set_offline(True)
    page.goto(f"{app_url}/wallet")
    expect(page.locator("#offline-page h1")).to_have_text("You are offline")
    expect(page.locator("#offline-retry")).to_be_visible()
    expect(page.locator("#offline-no-draw")).to_be_visible()  # no draw seen yet: nothing to prepare
    shot(page, f"{name}-offline-page")
    ctx.add_cookies([{"name": "kl_lang", "value": "pl", "url": app_url}])
    page.goto(f"{app_url}/history")
    expect(page.locator("#offline-page h1")).to_have_text("Jesteś offline")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    shot(page, f"{name}-offline-page-pl")
    ctx.set_offline(False)
    page.goto(f"{app_url}/history")
    expect(page.locator("#offline-page")).to_have_count(0)  # online: the real page again
    ctx.close()


def test_two_tickets_queued_offline_are_bought_once_each_when_the_connection_is_back(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    db = Database(app_env["REFLEX_DB_URL"])
    before = _bets(db, QUEUED)
    ctx = browser.new_context(viewport=PHONE, device_scale_factor=2)
    page = _signed_in_on_play(ctx, app_url)
    shown = _shown_draw(page)
    ctx.set_offline(True)
    page.goto(f"{app_url}/play")
    expect(page.locator("#offline-draw")).to_contain_text(shown["drawName"])
    _queue_ticket(page, [3, 11, 19, 27, 35, 43])
    _queue_ticket(page, None)
    waiting = page.locator('#offline-queue .kq-item[data-status="waiting"]')
    expect(waiting).to_have_count(2)
    expect(waiting.first).to_contain_text("Waiting to send")
    shot(page, "phone-offline-two-tickets-waiting")
    assert _bets(db, QUEUED) == before  # nothing leaves the device while offline

    ctx.set_offline(False)
    expect(page.locator('#offline-queue .kq-item[data-status="sent"]')).to_have_count(2, timeout=30_000)
    shot(page, "phone-offline-two-tickets-sent")
    page.reload()  # another flush finds nothing left to send
    page.wait_for_load_state("networkidle")
    after = _bets(db, QUEUED)
    new = after[len(before) :]
    assert len(new) == 2 and len({key for _, key in new}) == 2  # two tickets, each once
    sent_ids = page.evaluate(
        "async () => (await window.kasynoTickets.all())"
        ".filter(t => t.status === 'sent').map(t => t.result.ticketId)"
    )
    assert sorted(sent_ids) == sorted(public for public, _ in new)
    _goto(page, f"{app_url}/history")
    for public, _ in new:
        expect(page.locator(".ticket").filter(has_text=public)).to_have_count(1)
    ctx.close()


class EventChannel:
    """The page's event websocket, routed through the test: it can hold Play presses on the way."""

    def __init__(self, page: Page) -> None:
        self.hold = False
        self.held: list[str] = []
        self.live: list[tuple[WebSocketRoute, WebSocketRoute]] = []
        page.route_web_socket(re.compile(r"/_event"), self._connect)

    def _connect(self, ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        self.live.append((ws, server))
        ws.on_message(lambda message: self._from_page(server, message))
        server.on_message(lambda message: ws.send(message))

    def _from_page(self, server: WebSocketRoute, message: str | bytes) -> None:
        if self.hold and isinstance(message, str) and 'play_state.play"' in message:
            self.held.append(message)
        else:
            server.send(message)

    def release(self) -> None:
        """Send the held presses on, late."""
        self.hold = False
        server = self.live[-1][1]
        while self.held:
            server.send(self.held.pop(0))


def test_a_money_button_never_takes_effect_silently_after_the_connection_was_down(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    db = Database(app_env["REFLEX_DB_URL"])
    ctx = browser.new_context(viewport=PHONE, device_scale_factor=2)
    page = ctx.new_page()
    channel = EventChannel(page)
    sign_in(page, app_url, DEMO_PLAYER[0], DEMO_PLAYER[1])
    _goto(page, f"{app_url}/play")
    page.click("#quick-pick")
    expect(page.locator("#play")).to_be_enabled()
    before = _bets(db, "1 = 1")

    # A press that reaches the server long after it was made (as when Reflex replays its queue
    # after a reconnect; here held on the way) is refused, and the player is told.
    channel.hold = True
    page.click("#play")
    for _ in range(50):
        if channel.held:
            break
        page.wait_for_timeout(100)
    assert channel.held, "the Play event should be held on its way"
    page.wait_for_timeout(11_500)  # past the press window
    channel.release()
    expect(page.locator("#play-error")).to_contain_text("connection was down")
    assert _bets(db, "1 = 1") == before
    shot(page, "phone-play-stale-press-refused")
    ctx.close()


def test_a_queued_ticket_whose_draw_closed_is_reported_and_not_moved_to_another_draw(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    db = Database(app_env["REFLEX_DB_URL"])
    before = _bets(db, QUEUED)
    ctx = browser.new_context(viewport=DESKTOP)
    page = _signed_in_on_play(ctx, app_url)
    shown = _shown_draw(page)
    ctx.set_offline(True)
    page.goto(f"{app_url}/play")
    _queue_ticket(page, [1, 2, 3, 4, 5, 6])
    expect(page.locator('#offline-queue .kq-item[data-status="waiting"]')).to_have_count(1)
    # The draw closes (and is drawn) while the player is offline.
    subprocess.run(
        [sys.executable, "-m", "casino_app", "draw", "now", shown["game"]],
        env=app_env,
        check=True,
        capture_output=True,
    )
    ctx.set_offline(False)
    refused = page.locator('#offline-queue .kq-item[data-status="refused"]')
    expect(refused).to_have_count(1, timeout=30_000)
    expect(refused).to_contain_text("Not sent")
    expect(refused).to_contain_text("the draw closed")
    shot(page, "desktop-offline-ticket-draw-closed")
    assert _bets(db, QUEUED) == before  # not bought for the next draw either
    ctx.close()
