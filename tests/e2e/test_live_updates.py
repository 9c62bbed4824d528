"""Live updates in Chromium: a second device of the same player sees a draw's win appear at once.

Two browser contexts are two devices signed in as one player; an operator runs the draw in the
app process (the dashboard's demo tool). Without any reload, the second device's balance pill,
its ticket list and its inbox badge change and a toast says what happened; the inbox keeps it.
Assumes the player layout carries `live_listener()` and `inbox_badge()` in its header and
`LiveState.register` on load (ui/components/live.py).
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from casino_app.domain.games import lotto as rules
from casino_app.persistence.db import Database
from tests.e2e.test_player_loop import _goto, _stable_open_draw, join, operator_sign_in, sign_in

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
LOTTO649 = rules.LottoRules(6, 49, ((3, 10), (4, 100), (5, 5000), (6, 1_000_000)), 100, 10_000)


def _deposit(page, url: str, amount: str) -> None:
    _goto(page, f"{url}/wallet")
    page.fill("#amount", amount)
    page.get_by_text("•••• 4242").click()
    page.wait_for_timeout(500)
    page.click("#deposit")
    expect(page.locator("#balance")).to_have_text(f"€{amount}.00")


def _buy_three_matches(page, url: str, db: Database) -> None:
    """A 2.00 ticket that matches three of the coming draw's numbers (it wins 10 x stake)."""
    code, seed = _stable_open_draw(db, "lotto649")
    winning = rules.draw_numbers(LOTTO649, seed, code)
    ticket = sorted(winning[:3] + [n for n in range(1, 50) if n not in winning][:3])
    _goto(page, f"{url}/play")
    page.get_by_text("Lotto 6/49").first.click()
    for n in ticket:
        page.click(f'[data-number="{n}"]')
    page.fill("#stake", "2.00")
    page.wait_for_timeout(600)
    page.click("#play")
    expect(page.locator("#receipt-validation")).to_be_visible()


def test_a_second_device_sees_the_win_of_a_draw_live_and_an_inbox_entry(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    db = Database(app_env["REFLEX_DB_URL"])
    email = f"live-{uuid.uuid4().hex[:8]}@example.com"
    laptop_ctx = browser.new_context(viewport=DESKTOP)
    laptop = laptop_ctx.new_page()
    join(laptop, app_url, email, "1991-04-02")
    _deposit(laptop, app_url, "50")
    _buy_three_matches(laptop, app_url, db)
    expect(laptop.locator("#balance")).to_have_text("€48.00")

    phone_ctx = browser.new_context(viewport=PHONE)
    phone = phone_ctx.new_page()
    sign_in(phone, app_url, email)
    _goto(phone, f"{app_url}/history")
    expect(phone.locator(".ticket")).to_have_count(1)
    expect(phone.locator("#balance")).to_have_text("€48.00")
    phone.evaluate("window.__sameDocument = true")  # gone if the page reloads

    ops_ctx = browser.new_context(viewport=DESKTOP)
    ops = ops_ctx.new_page()
    operator_sign_in(ops, app_url, app_env)
    ops.get_by_role("button", name="Lotto 6/49").first.click()

    # The phone, untouched: toast, balance, the ticket's result and the badge, with no reload.
    expect(phone.locator(".live-toast").first).to_contain_text("€20.00", timeout=15_000)
    expect(phone.locator("#balance")).to_have_text("€68.00")
    expect(phone.locator(".ticket").first).to_contain_text("€20.00")
    expect(phone.locator("#inbox-unread")).to_be_visible()
    assert phone.evaluate("window.__sameDocument === true")
    expect(laptop.locator("#balance")).to_have_text("€68.00")  # every device of the player
    shot(phone, "phone-live-win")

    phone.click("#inbox-badge")
    phone.wait_for_url(f"{app_url}/inbox")
    entries = phone.locator(".inbox-entry")
    expect(entries.first).to_contain_text("€20.00")
    expect(entries.filter(has_text="€50.00")).to_have_count(1)  # the deposit's notice
    shot(phone, "phone-inbox")
    phone.click("#mark-all-read")
    expect(phone.locator("#inbox-unread")).to_have_count(0)
    expect(phone.locator('.inbox-entry[data-read="false"]')).to_have_count(0)
    for ctx in (laptop_ctx, phone_ctx, ops_ctx):
        ctx.close()
    db.dispose()
