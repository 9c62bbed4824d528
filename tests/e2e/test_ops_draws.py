"""The back office's draws page and the lobby's jackpot, in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.test_player_loop import DESKTOP, _goto, operator_sign_in


def _euros(text: str) -> float:
    found = re.search(r"€\s?([\d,]+(?:\.\d\d)?)", text)
    assert found, text
    return float(found.group(1).replace(",", ""))


def test_the_lobby_shows_each_games_jackpot(app_url: str, browser, shot) -> None:
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    _goto(page, f"{app_url}/")
    expect(page.locator(".jackpot").first).to_contain_text("€", timeout=20_000)
    expect(page.locator(".jackpot")).to_have_count(2)  # both lotto games have one
    # Each pot is at least its seed (Quick 5/35 €20,000, Lotto 6/49 €1,000,000); earlier tests'
    # tickets may have grown them since.
    amounts = sorted(_euros(t) for t in page.locator(".jackpot").all_inner_texts())
    assert amounts[0] >= 20_000 and amounts[1] >= 1_000_000, amounts
    shot(page, "lobby-jackpot")
    ctx.close()


def test_an_operator_reads_a_games_draws_and_cancels_one_with_a_reason(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    ctx = browser.new_context(viewport=DESKTOP)
    op = ctx.new_page()
    operator_sign_in(op, app_url, app_env)
    op.get_by_role("link", name="Draws").click()
    op.wait_for_url(f"{app_url}/ops/draws")
    op.wait_for_load_state("networkidle")
    cards = op.locator(".ops-draw")
    expect(cards.first).to_be_visible(timeout=20_000)
    expect(cards.first).to_contain_text("Commitment")
    scheduled = op.locator(".ops-draw", has=op.locator(".draw-status", has_text="scheduled")).first
    code = scheduled.locator(".draw-code").inner_text()
    op.fill("#cancel-reason", "Public holiday: no draw")
    scheduled.locator(".cancel-draw").click()
    expect(op.get_by_text("Draw cancelled")).to_be_visible(timeout=15_000)
    cancelled = op.locator(".ops-draw", has_text=code)
    expect(cancelled.locator(".draw-status")).to_have_text("void")
    shot(op, "operator-draws")
    ctx.close()
