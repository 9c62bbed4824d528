"""Accounts in Chromium: 2FA enrollment and login with a code, sessions list and revoke, the mailbox,
lockout and unlock, password reset, and an operator's first sign-in that enrolls TOTP."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from casino_app.adapters.keys import LocalKeyring
from casino_app.persistence.db import Database
from casino_app.services.security import crypto
from tests.e2e.test_player_loop import DESKTOP, PHONE, _goto, join, operator_sign_in, totp_code

pytestmark = pytest.mark.e2e
PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "a-brand-new-long-secret"
MARKUP_NAME = '<img src=x onerror="window.pwned=1"> Mallory'


@pytest.fixture()
def snap(shot):
    """`shot`, from the top of the page (the sticky header stays where it belongs)."""

    def take(page: Page, name: str) -> None:
        page.evaluate("window.scrollTo(0, 0)")
        shot(page, name)

    return take


def _email(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:8]}@example.com"


def _password_login(page: Page, url: str, email: str, password: str = PASSWORD) -> None:
    """Submit the login form, waiting out any backoff the server asks for."""
    _goto(page, f"{url}/login")
    for _ in range(10):
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("#login-submit")
        page.wait_for_timeout(800)
        error = page.locator("#form-error")
        if error.count() and "Try again in" in error.inner_text():
            seconds = int(re.search(r"in (\d+) second", error.inner_text()).group(1))  # type: ignore[union-attr]
            time.sleep(seconds + 0.5)
            continue
        return
    raise AssertionError("still throttled")


def _mail_link(page: Page, url: str, to: str, subject: str) -> str:
    """A link from the signed-in player's own demo mailbox."""
    _goto(page, f"{url}/mailbox")
    message = page.locator(".mail-message").filter(has_text=to).filter(has_text=subject).first
    expect(message).to_be_visible()
    return message.locator(".mail-link").first.get_attribute("href") or ""


def _relayed_link(app_env: dict[str, str], to: str, subject: str) -> str:
    """The link in the newest mail to `to`, as a mail relay delivers it.

    The demo mailbox shows a signed-in player their own mail only, so mail for someone who
    cannot sign in (locked out, a new operator) is read from the outbox, like a real inbox.
    """
    db = Database(app_env["REFLEX_DB_URL"])
    keys = LocalKeyring(Path(app_env["CASINO_KEYRING_PATH"]))
    try:
        with db.read_engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT * FROM mail_outbox ORDER BY id DESC")).mappings().all()
    finally:
        db.dispose()
    for row in rows:
        sealed = {c: row[c] for c in ("recipient_enc", "body_enc")}
        opened = {
            c: crypto.unseal(v, table="mail_outbox", column=c, row_id=row["id"], keys=keys)
            for c, v in sealed.items()
        }
        if opened["recipient_enc"] == to and subject in row["subject"]:
            return next(word for word in opened["body_enc"].split() if word.startswith("http"))
    raise AssertionError(f"no mail {subject!r} to {to}")


def test_player_enrolls_2fa_signs_in_with_a_code_and_revokes_a_session(app_url: str, browser, snap) -> None:
    email = _email("twofa")
    phone_ctx = browser.new_context(viewport=PHONE, device_scale_factor=2)
    phone = phone_ctx.new_page()
    join(phone, app_url, email, "1990-04-01", full_name=MARKUP_NAME)

    # The account page: markup in the name is shown as text, never run.
    _goto(phone, f"{app_url}/account")
    expect(phone.locator("#profile-name")).to_have_text(MARKUP_NAME)
    assert phone.evaluate("window.pwned") is None
    expect(phone.locator("#previous-login")).to_contain_text("first sign-in")
    snap(phone, "phone-account")

    # Enroll: QR code and key, a first code turns it on, ten recovery codes are shown once.
    phone.click("#mfa-start")
    expect(phone.locator("#totp-qr")).to_be_visible()
    secret = phone.locator("#totp-secret").inner_text().strip()
    snap(phone, "phone-account-2fa-enroll")
    phone.fill("#enroll-code", "000000")
    phone.click("#enroll-submit")
    expect(phone.locator("#mfa-error")).to_contain_text("not right")
    phone.fill("#enroll-code", totp_code(secret))
    phone.click("#enroll-submit")
    expect(phone.locator(".recovery-code")).to_have_count(10)
    recovery = phone.locator(".recovery-code").first.inner_text().strip()
    snap(phone, "phone-recovery-codes")
    phone.click("#codes-saved")
    expect(phone.locator("#mfa-status")).to_have_text("On")

    # A second browser signs in: password, then a code; a wrong code is refused.
    desk_ctx = browser.new_context(viewport=DESKTOP)
    desk = desk_ctx.new_page()
    _password_login(desk, app_url, email)
    expect(desk.locator("#code")).to_be_visible()
    desk.fill("#code", "123456")
    desk.click("#code-submit")
    expect(desk.locator("#form-error")).to_contain_text("not right")
    snap(desk, "desktop-login-code")
    desk.fill("#code", totp_code(secret))
    desk.click("#code-submit")
    desk.wait_for_url(f"{app_url}/")
    expect(desk.get_by_text("Your previous login")).to_be_visible()
    _goto(desk, f"{app_url}/account")
    expect(desk.locator(".session-row")).to_have_count(2)
    snap(desk, "desktop-account")

    # The phone signs the desktop out; the desktop's next page load goes to the login.
    _goto(phone, f"{app_url}/account")
    expect(phone.locator(".session-row")).to_have_count(2)
    phone.locator(".revoke-session").first.click()
    expect(phone.locator(".session-row")).to_have_count(1)
    _goto(desk, f"{app_url}/wallet")
    desk.wait_for_url(f"{app_url}/login")
    desk_ctx.close()

    # Turning 2FA off needs a fresh code (a recovery code works too).
    phone.click("#mfa-action-off")
    phone.fill("#confirm-code", recovery)
    phone.click("#mfa-manage-submit")
    expect(phone.locator("#mfa-start")).to_be_visible()

    # The verification mail is in the player's own demo mailbox (nobody else's mail is);
    # its link confirms the email once.
    link = _mail_link(phone, app_url, email, "Confirm your email address")
    expect(phone.locator("#demo-banner")).to_be_visible()
    expect(phone.locator(".mail-message").filter(has_text="demo@kasyno.example")).to_have_count(0)
    snap(phone, "phone-mailbox")
    _goto(phone, link)
    expect(phone.locator("#verify-result")).to_contain_text("confirmed")
    assert "token=" not in phone.url
    _goto(phone, link)
    expect(phone.locator("#verify-error")).to_contain_text("no longer valid")
    phone_ctx.close()


def test_three_failures_lock_the_account_and_email_unlocks_then_password_reset(
    app_url: str, app_env: dict[str, str], browser, snap
) -> None:
    email = _email("locked")
    desk_ctx = browser.new_context(viewport=DESKTOP)
    desk = desk_ctx.new_page()
    _goto(desk, f"{app_url}/register")
    expect(desk.locator("#demo-banner")).to_be_visible()
    snap(desk, "desktop-register")
    _goto(desk, f"{app_url}/mailbox")  # nobody's mail for a visitor who is not signed in
    desk.wait_for_url(f"{app_url}/login")
    desk_ctx.close()
    ctx = browser.new_context(viewport=PHONE, device_scale_factor=2)
    page = ctx.new_page()
    join(page, app_url, email, "1988-09-09")
    page.click("#logout")
    page.wait_for_url(f"{app_url}/login")

    for _ in range(3):
        _password_login(page, app_url, email, "wrong-password-123")
    expect(page.locator("#locked-message")).to_contain_text("locked")
    snap(page, "phone-login-locked")
    _password_login(page, app_url, email)  # even the right password is refused now
    expect(page.locator("#locked-message")).to_contain_text("locked")

    _goto(page, _relayed_link(app_env, email, "Your account was locked"))
    expect(page.locator("#verify-result")).to_contain_text("unlocked")

    # Forgot password: the link moves out of the URL; a weak password is refused, a good one works.
    _goto(page, f"{app_url}/forgot-password")
    page.fill("#email", email)
    page.click("#forgot-submit")
    expect(page.locator("#reset-requested")).to_be_visible()
    _goto(page, _relayed_link(app_env, email, "Reset your password"))
    page.wait_for_url(f"{app_url}/reset-password")
    page.fill("#password", "qwerty123456")
    page.click("#reset-submit")
    expect(page.locator("#form-error")).to_contain_text("too common")
    page.fill("#password", NEW_PASSWORD)
    page.click("#reset-submit")
    page.wait_for_url(f"{app_url}/login")
    expect(page.locator("#form-notice")).to_contain_text("password is changed")
    _password_login(page, app_url, email, NEW_PASSWORD)
    page.wait_for_url(f"{app_url}/")
    ctx.close()


def test_a_new_operator_enrolls_totp_at_the_first_sign_in(
    app_url: str, app_env: dict[str, str], browser, snap
) -> None:
    email = _email("support")
    subprocess.run(
        [sys.executable, "-m", "casino_app", "operator", "create", email, PASSWORD, "--role", "support"],
        env=app_env,
        check=True,
        capture_output=True,
    )
    for viewport, prefix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        ctx = browser.new_context(viewport=viewport)
        page = ctx.new_page()
        _goto(page, f"{app_url}/ops/login")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.click("#ops-login-submit")
        if prefix == "desktop":
            expect(page.locator("#totp-qr")).to_be_visible()
            secret = page.locator("#totp-secret").inner_text().strip()
            snap(page, f"{prefix}-ops-enroll")
            page.fill("#ops-code", totp_code(secret))
            page.click("#ops-enroll-submit")
            expect(page.locator(".recovery-code")).to_have_count(10)
            snap(page, f"{prefix}-ops-recovery-codes")
            page.click("#codes-saved")
        else:
            expect(page.locator("#ops-code")).to_be_visible()
            snap(page, f"{prefix}-ops-code")
            page.fill("#ops-code", totp_code(secret))
            page.click("#ops-code-submit")
        page.wait_for_url(f"{app_url}/ops")
        # Support may look players up but not manage operators.
        _goto(page, f"{app_url}/ops/operators")
        page.wait_for_url(f"{app_url}/ops")
        _goto(page, f"{app_url}/ops/players")
        page.fill("#player-search", "demo@kasyno.example")
        page.click("#player-search-submit")
        expect(page.locator("#player-email")).to_have_text("demo@kasyno.example")
        snap(page, f"{prefix}-ops-players")
        ctx.close()
    assert pyotp.TOTP(secret).now()

    # The admin sees the team and invites a colleague, who gets a set-your-password link.
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    operator_sign_in(page, app_url, app_env)
    page.wait_for_url(f"{app_url}/ops")
    _goto(page, f"{app_url}/ops/operators")
    expect(page.get_by_text(email, exact=True)).to_be_visible()
    invitee = _email("kyc")
    page.fill("#invite-email", invitee)
    page.click("#invite-submit")
    expect(page.get_by_text(invitee, exact=True)).to_be_visible()
    snap(page, "desktop-ops-operators")
    assert _relayed_link(app_env, invitee, "back-office account").startswith(
        f"{app_url}/reset-password?token="
    )
    expect(page.locator("#demo-banner")).to_be_visible()
    _goto(page, f"{app_url}/mailbox")  # operators have no mailbox: their mail carries back-office access
    page.wait_for_url(f"{app_url}/login")
    expect(page.locator(".mail-message")).to_have_count(0)
    ctx.close()
