"""Live updates in Chromium: a second device of the same player sees a draw's win appear at once.

Two browser contexts are two devices signed in as one player; an operator runs the draw in the
app process (the dashboard's demo tool). Without any reload, the second device's balance pill,
its ticket list and its inbox badge change and a toast says what happened; the inbox keeps it.
Assumes the player layout carries `live_listener()` and `inbox_badge()` in its header and
`LiveState.register` on load (ui/components/live.py).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from casino_app.adapters.keys import LocalKeyring
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.amounts import Money, format_money
from casino_app.persistence.db import Database
from casino_app.services.games import lotto
from tests.e2e.test_player_loop import _goto, _stable_open_draw, join, operator_sign_in, sign_in
from tests.support import make_wiring

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
# Quick 5/35 pays a match of two. The numbers fall into four blocks (1-9, 10-18, 19-27, 28-35), so
# five drawn numbers put two into one block (pigeonhole), and these 19 lines cover every pair of
# numbers inside each block: one of them matches at least two, whatever the draw. Nobody can
# know the numbers before the draw (the seed is sealed), so a sure win has to be bought honestly.
COVERING = (
    (1, 2, 3, 4, 5), (1, 6, 7, 8, 9), (2, 3, 4, 6, 7), (2, 3, 4, 8, 9), (5, 6, 7, 8, 9),
    (10, 11, 12, 13, 14), (10, 15, 16, 17, 18), (11, 12, 13, 15, 16), (11, 12, 13, 17, 18),
    (14, 15, 16, 17, 18), (19, 20, 21, 22, 23), (19, 24, 25, 26, 27), (20, 21, 22, 24, 25),
    (20, 21, 22, 26, 27), (23, 24, 25, 26, 27), (28, 29, 30, 31, 32), (28, 29, 33, 34, 35),
    (30, 31, 32, 33, 34), (28, 30, 31, 32, 35),
)  # fmt: skip


def _eur(minor: int) -> str:
    return format_money(Money(minor, "EUR"))


def _deposit(page, url: str, amount: str) -> None:
    _goto(page, f"{url}/wallet")
    page.fill("#amount", amount)
    page.get_by_text("•••• 4242").click()
    page.wait_for_timeout(500)
    page.click("#deposit")
    expect(page.locator("#balance")).to_have_text(f"€{amount}.00")


def _newest_player(db: Database) -> int:
    with db.read_engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT MAX(id) FROM users WHERE role = 'player'")).scalar_one())


def _buy_the_covering(app_env: dict[str, str], db: Database, player_id: int) -> None:
    """The 19 tickets, bought through the lotto service as the player (1.00 each)."""
    _stable_open_draw(db, "quick535")
    wiring = make_wiring(db, keys=LocalKeyring(Path(app_env["CASINO_KEYRING_PATH"])))
    for i, line in enumerate(COVERING):
        cmd = lotto.PlaceLottoTicket("quick535", line, 1_00, f"cover-{player_id}-{i}")
        lotto.place_lotto_ticket(wiring.uow(), Actor.player(player_id), cmd, datetime.now(UTC))


def _won(db: Database, player_id: int) -> int:
    with db.read_engine.connect() as conn:
        return int(
            conn.execute(
                sa.text("SELECT COALESCE(SUM(win), 0) FROM bets WHERE user_id = :u AND status <> 'pending'"),
                {"u": player_id},
            ).scalar_one()
        )


def test_a_second_device_sees_the_win_of_a_draw_live_and_an_inbox_entry(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    db = Database(app_env["REFLEX_DB_URL"])
    email = f"live-{uuid.uuid4().hex[:8]}@example.com"
    laptop_ctx = browser.new_context(viewport=DESKTOP)
    laptop = laptop_ctx.new_page()
    join(laptop, app_url, email, "1991-04-02")
    _deposit(laptop, app_url, "50")
    player_id = _newest_player(db)
    _buy_the_covering(app_env, db, player_id)

    phone_ctx = browser.new_context(viewport=PHONE)
    phone = phone_ctx.new_page()
    sign_in(phone, app_url, email)
    _goto(phone, f"{app_url}/history")
    expect(phone.locator(".ticket")).to_have_count(len(COVERING))
    expect(phone.locator("#balance")).to_have_text("€31.00")
    phone.evaluate("window.__sameDocument = true")  # gone if the page reloads

    ops_ctx = browser.new_context(viewport=DESKTOP)
    ops = ops_ctx.new_page()
    operator_sign_in(ops, app_url, app_env)
    ops.get_by_role("button", name="Quick 5/35").first.click()

    # The phone, untouched: toast, balance, the tickets' results and the badge, with no reload.
    expect(phone.locator(".live-toast").first).to_be_visible(timeout=15_000)
    won = _won(db, player_id)
    assert won >= 1_00  # the covering always wins
    expect(phone.locator(".live-toast").first).to_contain_text(_eur(won))
    expect(phone.locator("#balance")).to_have_text(_eur(31_00 + won))
    expect(phone.locator(".ticket", has_text="WIN").first).to_be_visible()
    expect(phone.locator("#inbox-unread")).to_be_visible()
    assert phone.evaluate("window.__sameDocument === true")
    expect(laptop.locator("#balance")).to_have_text(_eur(31_00 + won))  # every device of the player
    shot(phone, "phone-live-win")

    phone.click("#inbox-badge")
    phone.wait_for_url(f"{app_url}/inbox")
    entries = phone.locator(".inbox-entry")
    expect(entries.first).to_contain_text(_eur(won))
    expect(entries.filter(has_text="€50.00")).to_have_count(1)  # the deposit's notice
    shot(phone, "phone-inbox")
    phone.click("#mark-all-read")
    expect(phone.locator("#inbox-unread")).to_have_count(0)
    expect(phone.locator('.inbox-entry[data-read="false"]')).to_have_count(0)
    for ctx in (laptop_ctx, phone_ctx, ops_ctx):
        ctx.close()
    db.dispose()
