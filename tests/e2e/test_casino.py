"""The casino in Chromium: dice, roulette and the slot played for real, a seed rotated, rounds
verified by the browser verifier, a signed receipt checked offline with tools/verify_receipt.py."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_player_loop import DESKTOP, PHONE, _goto, deposit, join, sign_in

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _finish_free_spins(page: Page) -> None:
    """A spin that starts free spins (about 1 in 117): play them, one tap each, at the pace."""
    while page.locator("#free-spin").count():
        expect(page.locator("#free-spin")).to_be_enabled(timeout=10_000)
        page.click("#free-spin")
        page.wait_for_timeout(300)


def _play_dice(page: Page, url: str) -> str:
    _goto(page, f"{url}/dice")
    commitment = page.locator("#pf-commitment-shown").inner_text().strip()
    assert HEX64.match(commitment), commitment
    expect(page.locator("#dice-rtp")).to_contain_text("99.00%")
    page.fill("#stake", "0")
    page.wait_for_timeout(500)
    page.click("#roll")
    expect(page.locator("#dice-error")).to_contain_text("greater than zero")
    page.fill("#stake", "1.00")
    page.wait_for_timeout(500)
    page.click("#roll")
    expect(page.locator("#dice-roll")).to_have_text(re.compile(r"^\d{1,2}\.\d\d$"))
    expect(page.locator(".round-row")).to_have_count(1)
    expect(page.locator("#session-elapsed")).to_have_text(re.compile(r"^\d+:\d\d"))
    expect(page.locator("#session-net")).to_have_text(re.compile(r"€"))
    return commitment


def _play_roulette(page: Page, url: str) -> None:
    _goto(page, f"{url}/roulette")
    page.click('[data-spot="red"]')
    page.click('[data-number="17"]')
    page.click('[data-number="17"]')
    expect(page.locator(".roulette-bet")).to_have_count(2)
    expect(page.locator("#roulette-total")).to_have_text("€3.00")
    page.click("#spin-wheel")
    expect(page.locator("#roulette-pocket")).to_have_text(re.compile(r"^\d{1,2}$"))
    expect(page.locator(".round-row")).to_have_count(1)


def _play_slot(page: Page, url: str) -> None:
    _goto(page, f"{url}/slots")
    expect(page.locator("#slot-rtp")).to_contain_text("95.98%")
    page.click("#spin")
    expect(page.locator("#slot-result")).to_be_visible()
    _finish_free_spins(page)
    # The server paces spins (2.5 s): the button rests meanwhile, then wakes for the next spin.
    expect(page.locator("#spin")).to_be_disabled()
    expect(page.locator("#spin")).to_be_enabled(timeout=10_000)
    page.click("#spin")
    _settle_slot(page)
    expect(page.locator(".round-row")).to_have_count(2, timeout=10_000)


def _settle_slot(page: Page) -> None:
    """Wait until the last spin's state is on screen (spin or free spin ready), then finish any
    free spins, so no round is left open (a seed rotation is refused while one is)."""
    while True:
        page.locator("#spin:enabled, #free-spin:enabled").first.wait_for(timeout=15_000)
        if not page.locator("#free-spin").count():
            return
        page.click("#free-spin")


def _verify_on_fairness_page(page: Page, url: str, commitment: str, tmp_path: Path) -> None:
    _goto(page, f"{url}/fairness")
    old_client_seed = page.locator("#pf-client-seed-shown").inner_text().strip()
    page.fill("#seed-input", "my e2e seed ✓")
    page.wait_for_timeout(400)
    page.click("#rotate-seed")
    revealed = page.locator("#pf-revealed-seed")
    expect(revealed).to_have_text(HEX64)
    assert hashlib.sha256(bytes.fromhex(revealed.inner_text().strip())).hexdigest() == commitment
    expect(page.locator("#pf-client-seed-shown")).to_have_text("my e2e seed ✓")
    expect(page.locator("#pf-nonce-shown")).to_have_text("0")
    rows = page.locator(".round-row")
    expect(rows).to_have_count(4)
    for i in range(4):
        rows.nth(i).locator(".verify-round").click()
        expect(rows.nth(i).locator('[data-verified="yes"]')).to_be_visible()
    # The manual form: the first round (nonce 0, the dice roll) from the revealed seed alone.
    page.select_option("#pf-game", "dice")
    page.fill("#pf-server-seed", revealed.inner_text().strip())
    page.fill("#pf-commitment", commitment)
    page.fill("#pf-client-seed", old_client_seed)
    page.fill("#pf-nonce", "0")
    page.click("#pf-verify")
    expect(page.locator("#pf-output [data-verified='yes']")).to_contain_text("Roll ")
    with page.expect_download() as download:
        rows.first.locator(".download-receipt").click()
    receipt = tmp_path / "receipt.json"
    download.value.save_as(receipt)
    checked = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "verify_receipt.py"),
            str(receipt),
            "--key-url",
            f"{url}/.well-known/kasyno-receipt-key.json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_play_each_casino_game_rotate_the_seed_and_verify_rounds_in_the_browser(
    app_url: str, browser, shot, tmp_path: Path
) -> None:
    ctx = browser.new_context(viewport=PHONE, device_scale_factor=2, accept_downloads=True)
    page = ctx.new_page()
    email = f"casino-{uuid.uuid4().hex[:8]}@example.com"
    join(page, app_url, email, "1991-03-03")
    deposit(page, app_url, "50")
    _goto(page, app_url)
    casino = page.locator("#casino-section")
    for name in ("Dice", "European Roulette", "Golden Fives"):
        expect(casino).to_contain_text(name)
    shot(page, "phone-lobby-casino")

    commitment = _play_dice(page, app_url)
    shot(page, "phone-dice")
    _play_roulette(page, app_url)
    shot(page, "phone-roulette")
    _play_slot(page, app_url)
    shot(page, "phone-slots")
    expect(page.locator("#balance")).to_have_text(re.compile(r"^€\d+\.\d\d$"))  # always in view
    _verify_on_fairness_page(page, app_url, commitment, tmp_path)
    shot(page, "phone-fairness")
    ctx.close()

    desktop = browser.new_context(viewport=DESKTOP)
    d = desktop.new_page()
    sign_in(d, app_url, email)
    for route, name in (
        ("/dice", "dice"),
        ("/roulette", "roulette"),
        ("/slots", "slots"),
        ("/fairness", "fairness"),
        ("/", "lobby-casino"),
    ):
        _goto(d, f"{app_url}{route}")
        expect(d.locator("#balance")).to_be_visible()
        shot(d, f"desktop-{name}")
    desktop.close()
