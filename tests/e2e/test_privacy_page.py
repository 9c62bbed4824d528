"""The Privacy page in Chromium: download my data, erasure blocked by a balance, erasure (issue 4)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from casino_app.persistence.db import Database
from casino_app.services.backoffice.seed import DEMO_PLAYER
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_player_loop import operator_sign_in

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
PASSWORD = "correct-horse-battery-staple"
REGISTER = """
import sys
from casino_app import bootstrap
from casino_app.services.identity.accounts import registration as registering
from tests.support import registration
wiring = bootstrap.build()
cmd = registration(sys.argv[1], sys.argv[2], full_name="Erin Erase")
print(registering.register_player(wiring.uow(), cmd, wiring.now()).id)
"""


def _login(page: Page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/login")
    page.wait_for_load_state("networkidle")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_url(f"{url}/")


def _privacy(page: Page, url: str) -> None:
    page.goto(f"{url}/privacy")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Privacy & your data")).to_be_visible()


def test_download_my_data_and_erasure_waits_for_a_zero_balance(app_url: str, browser, shot) -> None:
    for viewport, prefix in ((PHONE, "phone"), (DESKTOP, "desktop")):
        ctx = browser.new_context(viewport=viewport, device_scale_factor=2 if viewport is PHONE else 1)
        page = ctx.new_page()
        _login(page, app_url, *DEMO_PLAYER)
        _privacy(page, app_url)
        expect(page.locator("#erasure-blocked")).to_contain_text("Withdraw your balance first")
        expect(page.locator("#request-erasure")).to_be_disabled()
        shot(page, f"{prefix}-privacy")
        with page.expect_download() as info:
            page.click("#download-data")
        download = info.value
        assert download.suggested_filename.startswith("kasyno-my-data-")
        data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
        assert data["profile"]["email"] == DEMO_PLAYER[0]
        assert data["payments"] and data["transactions"]
        ctx.close()


def test_a_player_erases_their_data_and_is_signed_out(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    email = f"erase-{uuid.uuid4().hex[:8]}@example.com"
    out = subprocess.run(
        [sys.executable, "-c", REGISTER, email, PASSWORD],
        env=app_env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    user_id = int(out.stdout.strip().splitlines()[-1])
    ctx = browser.new_context(viewport=PHONE, device_scale_factor=2)
    page = ctx.new_page()
    _login(page, app_url, email, PASSWORD)
    _privacy(page, app_url)
    page.click("#request-erasure")
    expect(page.get_by_role("alertdialog")).to_be_visible()
    expect(page.locator("#confirm-erasure")).to_be_disabled()
    page.fill("#erase-confirm", "ERASE")
    expect(page.locator("#confirm-erasure")).to_be_enabled()
    page.wait_for_timeout(400)
    page.screenshot(path=str(ARTIFACTS / "phone-privacy-erase-dialog.png"))  # the viewport, not the page
    page.click("#confirm-erasure")
    page.wait_for_url(f"{app_url}/login")

    db = Database(app_env["REFLEX_DB_URL"])
    with db.read_engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT status, full_name_enc FROM users WHERE id = :id"), {"id": user_id}
        ).one()
        actions = (
            conn.execute(sa.text("SELECT action FROM audit_log WHERE subject = :s"), {"s": f"user:{user_id}"})
            .scalars()
            .all()
        )
    assert (row.status, row.full_name_enc) == ("erased", None)
    assert "privacy.erased" in actions
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    expect(page.locator("#form-error")).to_be_visible()
    ctx.close()
    db.dispose()


def _cli(app_env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "casino_app", *args],
        env=app_env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _age_current_key(keyring: Path, days: int) -> None:
    """Pretend the current key version was created `days` ago (the test's own keyring)."""
    data = json.loads(keyring.read_text())
    entry = data["keks"][str(data["current"])]
    entry["created_at"] = (datetime.now(UTC) - timedelta(days=days)).isoformat()
    keyring.write_text(json.dumps(data))


def test_rotation_due_shows_on_the_dashboard_and_rotating_keeps_the_app_reading(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    _age_current_key(Path(app_env["CASINO_KEYRING_PATH"]), 91)
    assert "rotation due: yes" in _cli(app_env, "security", "check")
    ctx = browser.new_context(viewport=DESKTOP)
    op = ctx.new_page()
    operator_sign_in(op, app_url, app_env)  # one sign-in: each TOTP step works once
    try:
        op.wait_for_url(f"{app_url}/ops")
    except Exception:
        op.screenshot(path=str(ARTIFACTS / "failed-operator-sign-in.png"))
        raise
    for viewport, prefix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        op.set_viewport_size(viewport)
        op.reload()
        op.wait_for_load_state("networkidle")
        expect(op.locator("[data-alert-kind='key_rotation_due']")).to_contain_text("91 days old")
        shot(op, f"{prefix}-operator-alerts")

    rotated = _cli(app_env, "keys", "rotate", "--retire-old")
    assert "rotated to version" in rotated and "retired version(s) 1" in rotated
    assert "rotation due: no" in _cli(app_env, "security", "check")
    op.reload()
    expect(op.locator("#ops-alerts")).to_contain_text("No open alerts")
    ctx.close()

    # The running app picks up the new key version: sign-in (blind index) and decryption still work.
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    _login(page, app_url, *DEMO_PLAYER)
    _privacy(page, app_url)
    with page.expect_download() as info:
        page.click("#download-data")
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["profile"]["email"] == DEMO_PLAYER[0]
    ctx.close()
