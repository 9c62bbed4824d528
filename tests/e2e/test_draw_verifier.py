"""The public draw pages in Chromium: anyone verifies a draw and a ticket in the browser.

A player buys a ticket; the operator runs the draw from the dashboard; a guest (no sign-in)
finds the draw from the lobby's results link, presses Verify and sees every check pass (Web
Crypto, assets/draw-verifier.js); a changed seed shows the commitment and numbers checks fail.
The ticket checker finds the ticket by its validation number (typed loosely), shows its draw
and result and verifies its inclusion; a changed leaf shows the inclusion check fail.
"""

from __future__ import annotations

import re
import time
import uuid

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from casino_app.persistence.db import Database
from tests.e2e.test_live_updates import _deposit
from tests.e2e.test_player_loop import _goto, _stable_open_draw, join, operator_sign_in

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
NUMBERS = (5, 12, 19, 26, 33, 40)


def _buy_ticket(page: Page, url: str) -> str:
    """One Lotto 6/49 ticket through the play page; its validation number."""
    _goto(page, f"{url}/play")
    page.get_by_text("Lotto 6/49").first.click()
    for n in NUMBERS:
        page.click(f'[data-number="{n}"]')
    page.fill("#stake", "1.00")
    page.wait_for_timeout(600)
    page.click("#play")
    receipt = page.locator("#receipt-validation")
    expect(receipt).to_have_text(re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$"))
    return receipt.inner_text()


def _draw_of(db: Database, validation_number: str) -> tuple[int, str]:
    """The ticket's draw once it is drawn: (id, status); waits for the scheduler's work."""
    for _ in range(60):
        with db.read_engine.connect() as conn:
            row = conn.execute(
                sa.text(
                    "SELECT r.id, r.status FROM bets b JOIN rounds r ON r.id = b.round_id "
                    "WHERE b.public_id = :n"
                ),
                {"n": validation_number},
            ).one()
        if row[1] in ("drawn", "settled"):
            return int(row[0]), str(row[1])
        time.sleep(0.5)
    raise AssertionError("the draw did not run")


def _statuses(page: Page, result: str) -> dict[str, str]:
    rows = page.locator(f"#{result} [data-check]")
    return {
        rows.nth(i).get_attribute("data-check") or "": rows.nth(i).get_attribute("data-status") or ""
        for i in range(rows.count())
    }


def _verify(page: Page, panel: str) -> None:
    page.click(f"#{panel}-button")
    expect(page.locator(f"#{panel}-result")).to_have_attribute("data-verified", re.compile("^(yes|no)$"))


def test_anyone_verifies_a_real_draw_and_a_ticket_in_the_browser_and_sees_a_tampered_one_fail(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    db = Database(app_env["REFLEX_DB_URL"])
    player_ctx = browser.new_context(viewport=DESKTOP)
    player = player_ctx.new_page()
    join(player, app_url, f"verify-{uuid.uuid4().hex[:8]}@example.com", "1990-02-03")
    _deposit(player, app_url, "10")
    _stable_open_draw(db, "lotto649")
    number = _buy_ticket(player, app_url)

    ops_ctx = browser.new_context(viewport=DESKTOP)
    ops = ops_ctx.new_page()
    operator_sign_in(ops, app_url, app_env)
    ops.get_by_role("button", name="Lotto 6/49").first.click()
    draw_id, _ = _draw_of(db, number)

    # A guest on a phone: the lobby's results link, the archive, the draw's page.
    guest_ctx = browser.new_context(viewport=PHONE)
    guest = guest_ctx.new_page()
    _goto(guest, app_url)
    guest.click("#lobby-all-results")
    guest.wait_for_url(f"{app_url}/results")
    guest.select_option("#results-game", "lotto649")
    expect(guest.locator(f'.result-row[href$="id={draw_id}"]')).to_be_visible()
    shot(guest, "phone-results-archive")
    guest.locator(f'.result-row[href$="id={draw_id}"]').click()
    guest.wait_for_url(re.compile(rf"/results/draw\?id={draw_id}$"))
    expect(guest.locator("#draw-numbers")).to_be_visible()
    expect(guest.locator("#draw-tickets")).not_to_have_text("0")

    _verify(guest, "draw-verify")
    expect(guest.locator("#draw-verify-result")).to_have_attribute("data-verified", "yes")
    assert _statuses(guest, "draw-verify-result") == {"commitment": "ok", "numbers": "ok"}
    expect(guest.locator("#draw-verify-result .dv-sum-yes")).to_be_visible()
    shot(guest, "phone-draw-verified")

    # A changed seed: the page's own verifier names the checks it breaks.
    seed = guest.locator("#dv-server-seed").input_value()
    guest.fill("#dv-server-seed", ("0" if seed[0] != "0" else "1") + seed[1:])
    _verify(guest, "draw-verify")
    expect(guest.locator("#draw-verify-result")).to_have_attribute("data-verified", "no")
    expect(guest.locator("#draw-verify-result")).to_have_attribute("data-failed", "commitment numbers")
    expect(guest.locator('#draw-verify-result [data-check="commitment"] .dv-s-failed')).to_be_visible()
    # The script writes values only (the words are the page's, in the reader's language).
    expect(guest.locator('#draw-verify-result [data-check="commitment"] [data-detail]')).to_have_text(
        re.compile(r"^[0-9a-f]{64}$")
    )
    expect(guest.locator('#draw-verify-result [data-check="numbers"] [data-detail]')).to_have_text(
        re.compile(r"^\d+(, \d+){5}$")
    )
    shot(guest, "phone-draw-tampered")

    # The ticket checker: the number as people type it; the draw, the result, the proof verified.
    _goto(guest, f"{app_url}/results/ticket")
    guest.fill("#ticket-number", number.lower().replace("-", " "))
    guest.click("#ticket-check")
    expect(guest.locator("#ticket-validation")).to_have_text(number)
    expect(guest.locator("#ticket-draw")).to_have_attribute("href", f"/results/draw?id={draw_id}")
    expect(guest.locator("#ticket-outcome")).to_have_text(re.compile(r"^(Won €\d+\.\d\d|No win)$"))
    _verify(guest, "ticket-verify")
    expect(guest.locator("#ticket-verify-result")).to_have_attribute("data-verified", "yes")
    assert _statuses(guest, "ticket-verify-result") == {
        "commitment": "ok",
        "numbers": "ok",
        "inclusion": "ok",
    }
    shot(guest, "phone-ticket-verified")
    leaf = guest.locator("#dv-leaf").input_value()
    guest.fill("#dv-leaf", leaf.replace('"stake":100', '"stake":10000'))
    _verify(guest, "ticket-verify")
    expect(guest.locator("#ticket-verify-result")).to_have_attribute("data-failed", "inclusion")
    expect(guest.locator("#ticket-error")).to_have_count(0)
    guest.fill("#ticket-number", "AAAA-BBBB-CCCC-DDDD")
    guest.click("#ticket-check")
    expect(guest.locator("#ticket-error")).to_be_visible()

    # The same pages on a desktop, by link (a shared URL), in Polish.
    desk_ctx = browser.new_context(viewport=DESKTOP)
    desk = desk_ctx.new_page()
    _goto(desk, f"{app_url}/results/ticket?number={number}")
    expect(desk.locator("#ticket-validation")).to_have_text(number)
    _verify(desk, "ticket-verify")
    expect(desk.locator("#ticket-verify-result")).to_have_attribute("data-verified", "yes")
    shot(desk, "desktop-ticket-verified")
    _goto(desk, f"{app_url}/results/draw?id={draw_id}")
    desk.click("#lang-pl")
    expect(desk.get_by_role("heading", name="Sprawdź w przeglądarce")).to_be_visible()
    _verify(desk, "draw-verify")
    expect(desk.locator("#draw-verify-result .dv-sum-yes")).to_contain_text("Wszystkie testy zgodne")
    shot(desk, "desktop-draw-verified-pl")
    _goto(player, f"{app_url}/fairness")  # the fairness page (players) links the results
    expect(player.locator("#fairness-results-link")).to_have_attribute("href", "/results")
    for ctx in (player_ctx, ops_ctx, guest_ctx, desk_ctx):
        ctx.close()
    db.dispose()
