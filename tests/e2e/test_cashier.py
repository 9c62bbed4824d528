"""The cashier in Chromium with the sandbox payment service running beside the app: choose the card,
pay on the provider's page, come back, and the pending deposit turns into cash without a reload.
The card number typed there appears nowhere on our side (database, app log, the page we render)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.test_player_loop import PHONE, _goto, join

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PAN = "4242424242424242"


@pytest.fixture
def sandbox(app_env: dict[str, str], app_url: str, tmp_path: Path) -> Iterator[str]:
    """The sandbox service where the app expects it (its port + 10), webhooks to the app."""
    port = int(app_env["CASINO_E2E_PORT"])
    log = (tmp_path / "sandbox.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "casino_app.payments_sandbox",
            "--port",
            str(port + 10),
            "--webhook-url",
            f"http://127.0.0.1:{port}/api/webhooks/sandbox",
            "--fault-rate",  # every webhook comes late: the player is back before the provider's word
            "1",
            "--faults",
            "late_webhook",
            "--late-seconds",
            "4",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port + 10}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_a_card_deposit_on_the_providers_page_is_credited_in_the_open_wallet(
    app_url: str, app_env: dict[str, str], app_log: Path, sandbox: str, browser, shot
) -> None:
    page = browser.new_context(viewport=PHONE, device_scale_factor=2).new_page()
    join(page, app_url, f"cashier-{uuid.uuid4().hex[:8]}@example.com", "1990-04-04")
    _goto(page, f"{app_url}/wallet")
    expect(page.locator("#wallet-balance")).to_have_text("€0.00")
    page.fill("#amount", "42")
    page.get_by_text("Card (on the provider's secure page)").click()
    page.wait_for_timeout(300)
    page.click("#deposit")
    page.wait_for_url(f"{sandbox}/pay/**")
    expect(page.locator("#amount")).to_contain_text("42.00 EUR")
    page.fill("#number", PAN)
    page.fill("#exp", "12/34")
    page.fill("#cvc", "123")
    page.fill("#name", "Erin Example")
    shot(page, "phone-sandbox-card-page")
    page.click("#pay")

    page.wait_for_url(f"{app_url}/wallet?payment=**")
    expect(page.locator("#deposit-notice")).to_contain_text("being confirmed")
    expect(page.locator("#deposits")).to_contain_text("PENDING")
    # the webhook comes when it comes; the open page picks it up by itself
    expect(page.locator("#wallet-balance")).to_have_text("€42.00", timeout=20_000)
    expect(page.locator("#deposits")).to_contain_text("CREDITED")
    expect(page.locator("#deposits")).to_contain_text("•••• 4242")
    shot(page, "phone-wallet-after-hosted-deposit")

    assert PAN not in page.content()
    db_file = Path(app_env["REFLEX_DB_URL"].removeprefix("sqlite:///"))
    with sqlite3.connect(db_file) as conn:
        dump = "\n".join(conn.iterdump())
    assert PAN not in dump and "4242" in dump  # the last four are kept
    stored = b"".join(p.read_bytes() for p in db_file.parent.glob(db_file.name + "*"))
    assert PAN.encode() not in stored
    assert PAN not in app_log.read_text(errors="replace")
