"""Responsible gaming in Chromium (issue 12): reach the page from the lobby, set a limit, lower it,
hit it at the dice table; self-exclude, be signed out and blocked, and be refused at sign-in."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from casino_app.persistence.db import Database
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_player_loop import DESKTOP, PASSWORD, PHONE, _goto, deposit, join, operator_sign_in

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
MINUTES = re.compile(r"^\d+ (h \d+ )?min$")
# The risk team's input: markers of harm for the newest player (what the RG job files).
OPEN_CASE = """
from casino_app import bootstrap
from casino_app.domain.compliance.markers import Marker
from casino_app.domain.compliance.vocabulary import MarkerCode
from casino_app.domain.identity.actor import Actor
from casino_app.services.compliance.rg.harm import markers
import sqlalchemy as sa
wiring = bootstrap.build()
uow = wiring.uow()
with uow:
    user_id = uow.session.execute(sa.text("SELECT MAX(id) FROM users WHERE role = 'player'")).scalar_one()
    found = [Marker(MarkerCode.NIGHT_PLAY, "EUR", 4, 3, "Played after midnight on 4 of the last 7 nights.")]
    markers.file_markers(uow, Actor.system("rg-job"), user_id, "EUR", found, wiring.now())
    uow.commit()
print(user_id)
"""


def _db_execute(app_env: dict[str, str], sql: str, **params: object) -> None:
    db = Database(app_env["REFLEX_DB_URL"])
    with db.write_engine.begin() as conn:
        conn.execute(sa.text(sql), params)
    db.dispose()


def _open_rg_page_from_the_lobby(page: Page, url: str, *, phone: bool) -> None:
    """Two clicks at most: the lobby, then the header link (desktop) or the footer link (phone)."""
    _goto(page, url)
    if phone:
        page.locator("#rg-link").click()
    else:
        page.get_by_role("link", name="Safer gambling").first.click()
    page.wait_for_url(f"{url}/responsible-gaming")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Responsible gaming")).to_be_visible()


def _set_limit(page: Page, kind: str, period: str, amount: str) -> None:
    page.select_option("#limit-kind", kind)
    page.select_option("#limit-period", period)
    page.fill("#limit-amount", amount)
    page.wait_for_timeout(500)  # the controlled inputs reach the server before the click
    page.click("#save-limit")


def _roll(page: Page) -> None:
    page.click("#roll")
    page.wait_for_timeout(300)
    expect(page.locator("#roll")).to_be_enabled()


def test_set_a_wager_limit_lower_it_and_hit_it_at_the_dice_table(app_url: str, browser, shot) -> None:
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    join(page, app_url, f"limits-{uuid.uuid4().hex[:8]}@example.com", "1990-05-05")
    deposit(page, app_url, "20")
    _open_rg_page_from_the_lobby(page, app_url, phone=False)

    _set_limit(page, "wager", "day", "5.00")
    row = page.locator("[data-limit='wager:day']")
    expect(row.locator(".limit-amount")).to_have_text("€5.00")
    _set_limit(page, "wager", "day", "2.00")  # a decrease applies at once
    expect(row.locator(".limit-amount")).to_have_text("€2.00")
    expect(page.locator(".pending-row")).to_have_count(0)
    _set_limit(page, "wager", "day", "9.00")  # a raise waits: the old limit stays in force
    expect(page.locator(".pending-row")).to_have_count(1)
    expect(page.locator(".pending-row .confirm-raise")).to_be_disabled()
    expect(row.locator(".limit-amount")).to_have_text("€2.00")
    expect(page.locator("#rg-history")).to_contain_text("Wager limit per 24 hours")
    shot(page, "desktop-responsible-gaming")

    _goto(page, f"{app_url}/dice")
    page.fill("#stake", "1.00")
    page.wait_for_timeout(500)
    _roll(page)
    _roll(page)
    expect(page.locator(".round-row")).to_have_count(2)
    page.click("#roll")
    expect(page.locator("#dice-error")).to_contain_text("wager limit of €2.00 per 24 hours")
    expect(page.locator(".round-row")).to_have_count(2)
    shot(page, "desktop-dice-limit-reached")

    _goto(page, f"{app_url}/responsible-gaming")
    expect(row.locator(".limit-used")).to_have_text("€2.00")
    expect(row.locator(".limit-remaining")).to_have_text("€0.00")
    ctx.close()


def test_self_exclude_then_be_signed_out_blocked_and_refused_at_sign_in(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    ctx = browser.new_context(viewport=PHONE, device_scale_factor=2)
    page = ctx.new_page()
    email = f"exclude-{uuid.uuid4().hex[:8]}@example.com"
    join(page, app_url, email, "1988-08-08")
    _open_rg_page_from_the_lobby(page, app_url, phone=True)
    shot(page, "phone-responsible-gaming")

    page.select_option("#exclusion-term", "6m")
    page.wait_for_timeout(400)
    page.click("#self-exclude")
    expect(page.get_by_role("alertdialog")).to_be_visible()
    expect(page.locator("#confirm-exclusion")).to_be_disabled()
    page.fill("#exclude-confirm", "EXCLUDE")
    expect(page.locator("#confirm-exclusion")).to_be_enabled()
    page.wait_for_timeout(400)
    page.screenshot(path=str(ARTIFACTS / "phone-self-exclusion-dialog.png"))  # the viewport
    page.click("#confirm-exclusion")

    page.wait_for_url(f"{app_url}/blocked**")
    expect(page.locator("#block-message")).to_contain_text("self-excluded until")
    expect(page.locator("#helplines")).to_contain_text("179")  # Malta's Supportline
    expect(page.locator("#logout")).to_have_count(0)  # signed out
    shot(page, "phone-blocked")

    db = Database(app_env["REFLEX_DB_URL"])
    with db.read_engine.connect() as conn:
        live = conn.execute(
            sa.text(
                "SELECT COUNT(*) FROM user_sessions s JOIN users u ON u.id = s.user_id "
                "WHERE u.role = 'player' AND s.revoked_at IS NULL AND u.id = ("
                "SELECT user_id FROM rg_exclusions ORDER BY id DESC LIMIT 1)"
            )
        ).scalar_one()
    db.dispose()
    assert live == 0

    _goto(page, f"{app_url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    expect(page.locator("#form-error")).to_contain_text("self-excluded")
    expect(page.locator("#form-error")).to_contain_text("179")
    shot(page, "phone-login-refused-excluded")
    ctx.close()


def test_the_rg_page_reads_well_on_a_phone_and_a_desktop(app_url: str, browser, shot) -> None:
    for viewport, prefix in ((PHONE, "phone"), (DESKTOP, "desktop")):
        ctx = browser.new_context(viewport=viewport, device_scale_factor=2 if viewport is PHONE else 1)
        page = ctx.new_page()
        join(page, app_url, f"look-{prefix}-{uuid.uuid4().hex[:8]}@example.com", "1992-02-02")
        _open_rg_page_from_the_lobby(page, app_url, phone=viewport is PHONE)
        _set_limit(page, "loss", "week", "50.00")
        expect(page.locator("[data-limit='loss:week'] .limit-amount")).to_have_text("€50.00")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{prefix}: the page scrolls sideways by {overflow}px"
        shot(page, f"{prefix}-responsible-gaming-limits")
        ctx.close()


def test_a_due_reality_check_stops_the_roll_until_the_player_continues(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    """UK RTS 13B: the dialog shows time played and net result; play waits for the answer."""
    for viewport, prefix in ((PHONE, "phone"), (DESKTOP, "desktop")):
        ctx = browser.new_context(viewport=viewport, device_scale_factor=2 if viewport is PHONE else 1)
        page = ctx.new_page()
        join(page, app_url, f"reality-{prefix}-{uuid.uuid4().hex[:8]}@example.com", "1985-04-04")
        deposit(page, app_url, "10")
        _open_rg_page_from_the_lobby(page, app_url, phone=viewport is PHONE)
        page.select_option("#reality-interval", "15")
        page.wait_for_timeout(400)
        page.click("#save-reality")
        expect(page.locator("#reality-now")).to_have_text("every 15 min")
        _goto(page, f"{app_url}/dice")
        page.fill("#stake", "1.00")
        page.wait_for_timeout(500)
        _roll(page)
        # Fifteen minutes on: the check falls due (the browser cannot wait that long).
        _db_execute(
            app_env,
            "UPDATE rg_players SET reality_due_at = :due WHERE user_id = (SELECT MAX(id) FROM users "
            "WHERE role = 'player')",
            due="2000-01-01 00:00:00.000000",
        )
        page.click("#roll")
        dialog = page.locator("#reality-dialog")
        expect(dialog).to_be_visible()
        expect(page.locator("#reality-played")).to_have_text(MINUTES)
        expect(page.locator("#reality-net")).to_contain_text("€")
        expect(page.locator(".round-row")).to_have_count(1)
        page.keyboard.press("Escape")  # it cannot be dismissed
        expect(dialog).to_be_visible()
        page.wait_for_timeout(400)
        page.screenshot(path=str(ARTIFACTS / f"{prefix}-reality-check-dialog.png"))
        page.click("#reality-continue")
        expect(dialog).to_have_count(0)
        _roll(page)
        expect(page.locator(".round-row")).to_have_count(2)
        ctx.close()


def test_the_risk_team_works_a_case_and_imposes_a_limit_with_a_reason(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    ctx = browser.new_context(viewport=PHONE, device_scale_factor=2)
    player = ctx.new_page()
    email = f"case-{uuid.uuid4().hex[:8]}@example.com"
    join(player, app_url, email, "1979-09-09")
    ctx.close()
    out = subprocess.run(
        [sys.executable, "-c", OPEN_CASE], env=app_env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    user_id = out.stdout.strip().splitlines()[-1]

    ctx = browser.new_context(viewport=DESKTOP)
    op = ctx.new_page()
    operator_sign_in(op, app_url, app_env)
    op.get_by_role("link", name="Safer gambling").click()
    op.wait_for_url(f"{app_url}/ops/rg")
    op.wait_for_load_state("networkidle")
    case = op.locator(".rg-case", has_text=f"player #{user_id}")
    expect(case).to_have_count(1)
    case.locator(".open-case").click()
    expect(op.locator("#case-detail")).to_contain_text("midnight")
    op.click("#assign-case")
    expect(op.locator("#case-trail .trail-row")).to_have_count(2)
    op.fill("#case-note", "Left a message for the player.")
    op.wait_for_timeout(400)
    op.click("#add-note")
    expect(op.locator("#case-trail .trail-row")).to_have_count(3)
    op.select_option("#case-outcome", "limits_imposed")
    op.fill("#case-reason", "Night play on most nights: a daily loss limit until we talk.")
    op.wait_for_timeout(400)
    op.click("#decide-case")
    expect(op.locator("#case-trail .trail-row")).to_have_count(4)
    for viewport, prefix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        op.set_viewport_size(viewport)
        shot(op, f"{prefix}-operator-rg-case")

    op.set_viewport_size(DESKTOP)
    op.click("#case-player-link")
    op.wait_for_url(f"{app_url}/ops/rg/player?id={user_id}")
    op.wait_for_load_state("networkidle")
    expect(op.locator("#rg-player")).to_contain_text(email)
    op.select_option("#impose-kind", "loss")
    op.select_option("#impose-period", "day")
    op.fill("#impose-amount", "20.00")
    op.fill("#impose-reason", "Case decision: night play")
    op.wait_for_timeout(500)
    op.click("#impose-limit")
    expect(op.locator("[data-limit='loss:day'] .limit-amount")).to_have_text("€20.00")
    expect(op.locator("#ops-rg-history")).to_contain_text("Case decision: night play")
    for viewport, prefix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        op.set_viewport_size(viewport)
        shot(op, f"{prefix}-operator-rg-player")
    ctx.close()
