"""Withdrawals in the browser: the player confirms it is them, the cash goes on hold, an
operator with the finance permission pays it from the back-office queue."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.test_player_loop import DESKTOP, PASSWORD, PHONE, _goto, _register, operator_sign_in

pytestmark = pytest.mark.e2e


def test_withdrawal_needs_confirmation_goes_on_hold_and_the_operator_pays_it(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    player = browser.new_context(viewport=PHONE, device_scale_factor=2).new_page()
    email = f"wd-{uuid.uuid4().hex[:8]}@example.com"
    _register(player, app_url, email, "1988-02-02")
    player.wait_for_url(f"{app_url}/wallet")
    player.fill("#amount", "30")
    player.wait_for_timeout(500)
    player.click("#deposit")
    expect(player.locator("#wallet-balance")).to_have_text("€30.00")

    player.fill("#withdraw_amount", "10")
    player.click("#withdraw")
    expect(player.locator("#withdraw-error")).to_contain_text("enter your password")
    player.fill("#withdraw_amount", "10")
    player.fill("#confirm", "not-my-password")
    player.click("#withdraw")
    expect(player.locator("#withdraw-error")).to_contain_text("password is not right")
    expect(player.locator("#wallet-balance")).to_have_text("€30.00")

    player.fill("#withdraw_amount", "10")
    player.fill("#confirm", PASSWORD)
    player.click("#withdraw")
    expect(player.locator("#wallet-balance")).to_have_text("€20.00")
    expect(player.locator("#wallet-pending")).to_contain_text("€10.00")
    expect(player.locator("#withdrawals")).to_contain_text("ON HOLD")
    shot(player, "phone-wallet-withdrawal")

    ops = browser.new_context(viewport=DESKTOP).new_page()
    operator_sign_in(ops, app_url, app_env)
    _goto(ops, f"{app_url}/ops/withdrawals")
    row = ops.locator(".withdrawal").filter(has_text=email)
    expect(row).to_contain_text("€10.00")
    row.locator(".reject").click()
    expect(ops.get_by_text("reason for the rejection")).to_be_visible()
    shot(ops, "desktop-operator-withdrawals")
    row.locator(".pay").click()
    expect(ops.locator(".withdrawal").filter(has_text=email)).to_have_count(0)

    _goto(player, f"{app_url}/wallet")
    expect(player.locator("#withdrawals")).to_contain_text("PAID")
    expect(player.locator("#wallet-pending")).to_contain_text("€0.00")
    expect(player.locator("#wallet-balance")).to_have_text("€20.00")
    player.context.close()
    ops.context.close()
