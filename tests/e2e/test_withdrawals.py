"""Withdrawals in the browser: the player confirms their email and that it is them, the cash goes
on hold, an operator with the finance permission pays it from the back-office queue with a fresh code."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_player_loop import DESKTOP, PASSWORD, PHONE, _goto, join, totp_code

pytestmark = pytest.mark.e2e


def _new_cashier(page: Page, url: str, app_env: dict[str, str]) -> str:
    """A finance operator of this test's own (its own code budget), signed in; their TOTP secret."""
    email = f"cashier-{uuid.uuid4().hex[:8]}@example.com"
    subprocess.run(
        [sys.executable, "-m", "casino_app", "operator", "create", email, PASSWORD, "--role", "finance"],
        env=app_env,
        check=True,
        capture_output=True,
    )
    _goto(page, f"{url}/ops/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#ops-login-submit")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.fill("#ops-code", totp_code(secret))
    page.click("#ops-enroll-submit")
    expect(page.locator(".recovery-code")).to_have_count(10)
    page.click("#codes-saved")
    page.wait_for_url(re.compile(rf"{re.escape(url)}/ops/?$"))
    return secret


def test_withdrawal_needs_confirmation_goes_on_hold_and_the_operator_pays_it(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    player = browser.new_context(viewport=PHONE, device_scale_factor=2).new_page()
    email = f"wd-{uuid.uuid4().hex[:8]}@example.com"
    join(player, app_url, email, "1988-02-02")
    _goto(player, f"{app_url}/wallet")
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

    # An address nobody confirmed cannot withdraw: confirm it from the player's own demo mailbox.
    player.fill("#withdraw_amount", "10")
    player.fill("#confirm", PASSWORD)
    player.click("#withdraw")
    expect(player.locator("#withdraw-error")).to_contain_text("confirm your email")
    expect(player.locator("#wallet-balance")).to_have_text("€30.00")
    _goto(player, f"{app_url}/mailbox")
    _goto(player, player.locator(".mail-message").first.locator(".mail-link").get_attribute("href") or "")
    expect(player.locator("#verify-result")).to_contain_text("confirmed")
    _goto(player, f"{app_url}/wallet")

    player.fill("#withdraw_amount", "10")
    player.fill("#confirm", PASSWORD)
    player.click("#withdraw")
    expect(player.locator("#wallet-balance")).to_have_text("€20.00")
    expect(player.locator("#wallet-pending")).to_contain_text("€10.00")
    expect(player.locator("#withdrawals")).to_contain_text("ON HOLD")
    shot(player, "phone-wallet-withdrawal")

    ops = browser.new_context(viewport=DESKTOP).new_page()
    secret = _new_cashier(ops, app_url, app_env)
    _goto(ops, f"{app_url}/ops/withdrawals")
    row = ops.locator(".withdrawal").filter(has_text=email)
    expect(row).to_contain_text("€10.00")
    row.locator(".reject").click()
    expect(ops.get_by_text("reason for the rejection")).to_be_visible()
    shot(ops, "desktop-operator-withdrawals")
    # Paying takes a code from the operator who pays (with the Pay action): a wrong one pays nothing.
    ops.fill("#pay-code", "000000")
    row.locator(".pay").click()
    expect(ops.get_by_text("not right").first).to_be_visible()
    expect(row).to_have_count(1)
    ops.fill("#pay-code", totp_code(secret))
    row.locator(".pay").click()
    expect(ops.locator(".withdrawal").filter(has_text=email)).to_have_count(0)

    _goto(player, f"{app_url}/wallet")
    expect(player.locator("#withdrawals")).to_contain_text("PAID")
    expect(player.locator("#wallet-pending")).to_contain_text("€0.00")
    expect(player.locator("#wallet-balance")).to_have_text("€20.00")
    player.context.close()
    ops.context.close()
