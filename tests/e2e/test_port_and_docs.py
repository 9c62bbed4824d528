"""The real app on a port that is not 3000 (no origin or public-URL overrides): the UI connects,
a refused connection reads "Reconnecting…" (no raw websocket URL), /api/docs renders under the
CSP, and a wrong method on /api/ is a 405 problem."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from casino_app.services.backoffice.seed import DEMO_PLAYER
from tests.e2e.conftest import CHROMIUM_FLAGS, _chromium
from tests.e2e.test_web_hygiene import CSP_WATCH

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def test_the_app_on_a_non_3000_port_connects_with_derived_origins(app_url: str, app_env, browser) -> None:
    port = int(app_env["CASINO_E2E_PORT"])
    assert port != 3000 and "CASINO_CORS_ORIGINS" not in app_env and "CASINO_PUBLIC_URL" not in app_env
    with urllib.request.urlopen(f"{app_url}/login", timeout=20) as resp:
        csp = resp.headers["Content-Security-Policy"]
    assert f"ws://localhost:{port}" in csp
    ctx = browser.new_context(viewport=PHONE)
    ctx.add_init_script(CSP_WATCH)
    page = ctx.new_page()
    page.goto(f"{app_url}/login")
    page.fill("#email", DEMO_PLAYER[0])
    page.fill("#password", DEMO_PLAYER[1])
    page.click("#login-submit")
    page.wait_for_url(f"{app_url}/")
    expect(page.locator("#balance")).to_contain_text("€")  # state arrived over the websocket
    expect(page.locator("#reconnecting")).to_have_count(0)
    assert page.evaluate("window.__csp") == []
    ctx.close()


def test_a_refused_connection_shows_a_calm_reconnecting_notice(app_url: str, app_env, browser) -> None:
    # The page loaded from an origin the app does not allow (another host name for the loopback,
    # where the test app listens): its websocket is refused with 403, as every page's was on
    # `PORT=8000 make run`.
    foreign = f"http://foreign.test:{app_env['CASINO_E2E_PORT']}"
    other = browser.browser_type.launch(
        executable_path=_chromium(),
        args=[*CHROMIUM_FLAGS, "--host-resolver-rules=MAP foreign.test 127.0.0.1"],
    )
    ctx = other.new_context(viewport=PHONE)
    page = ctx.new_page()
    page.goto(f"{foreign}/login")
    expect(page.locator("#reconnecting")).to_be_visible(timeout=20_000)
    expect(page.locator("#reconnecting")).to_have_text("Reconnecting…")
    page.wait_for_timeout(3000)  # give a connection-error toast every chance to appear
    body = page.locator("body").inner_text()
    assert "ws://" not in body and "Cannot connect" not in body
    assert page.locator("[data-sonner-toast]").count() == 0
    ctx.close()
    other.close()


def test_api_docs_render_under_the_csp(app_url: str, browser) -> None:
    ctx = browser.new_context()
    ctx.add_init_script(CSP_WATCH)
    page = ctx.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{app_url}/api/docs")
    expect(page.locator("#api-title")).to_have_text("Kasyno Lotto API")
    expect(page.get_by_text("/api/v1/auth/login", exact=True)).to_be_visible()
    assert page.evaluate("window.__csp") == []
    assert all(url.startswith(app_url) for url in requests), requests
    ctx.close()


def test_a_wrong_method_on_the_api_is_a_405_problem_not_the_html_404(app_url: str) -> None:
    try:
        urllib.request.urlopen(f"{app_url}/api/v1/auth/login", timeout=20)
    except urllib.error.HTTPError as err:
        status, headers, body = err.code, err.headers, err.read()
    else:  # pragma: no cover - the request must fail
        raise AssertionError("GET on a POST-only route succeeded")
    assert status == 405
    assert headers["Content-Type"] == "application/problem+json"
    assert headers["Allow"] == "POST"
    assert json.loads(body)["code"] == "method_not_allowed"
