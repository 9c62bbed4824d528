"""English and Polish in Chromium: the browser's language on a first visit, an instant switch,
amounts and dates from Babel in the chosen time zone, and every main page at both sizes in both
languages saved as screenshots (test-artifacts/screenshots/lang-*)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from casino_app.persistence.db import Database
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from tests.e2e.test_player_loop import DESKTOP, PHONE, _goto, join

pytestmark = pytest.mark.e2e
NBSP = "\u00a0"
MAIN_PAGES = (
    ("lobby", "/"),
    ("play", "/play"),
    ("wallet", "/wallet"),
    ("history", "/history"),
    ("dice", "/dice"),
    ("roulette", "/roulette"),
    ("slots", "/slots"),
    ("fairness", "/fairness"),
    ("responsible", "/responsible-gaming"),
    ("privacy", "/privacy"),
    ("account", "/account"),
    ("inbox", "/inbox"),
    ("not-found", "/no-such-page"),
)


def _deposit_time(app_env: dict[str, str]) -> datetime:
    """When the newest deposit was booked (UTC)."""
    db = Database(app_env["REFLEX_DB_URL"])
    with db.read_engine.connect() as conn:
        value = conn.execute(
            sa.text(
                "SELECT t.created_at FROM ledger_transactions t WHERE t.kind = 'deposit' "
                "ORDER BY t.id DESC LIMIT 1"
            )
        ).scalar_one()
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def _deposit(page: Page, url: str, amount: str, shown: str) -> None:
    _goto(page, f"{url}/wallet")
    page.fill("#amount", amount)
    page.wait_for_timeout(500)
    page.click("#deposit")
    expect(page.locator("#wallet-balance")).to_have_text(shown)


def _switch_language(page: Page, lang: str) -> None:
    page.click(f"#lang-{lang}")
    page.wait_for_timeout(600)


def test_a_polish_browser_gets_polish_at_first_visit_in_its_own_zone(app_url: str, browser) -> None:
    context = browser.new_context(viewport=PHONE, locale="pl-PL", timezone_id="Europe/Warsaw")
    page = context.new_page()
    _goto(page, app_url)
    expect(page.locator("body")).to_contain_text(text("pl", "lobby.next_draws"))
    expect(page.locator("body")).to_contain_text(text("pl", "lobby.sign_in_to_play"))
    expect(page.locator("#language-switch")).to_be_visible()
    page.wait_for_timeout(800)
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    assert cookies["kl_lang"] == "pl"
    assert cookies.get("kl_zone", "").replace("%2F", "/") == "Europe/Warsaw"
    _switch_language(page, "en")
    expect(page.locator("body")).to_contain_text(text("en", "lobby.next_draws"))
    _switch_language(page, "pl")
    _goto(page, f"{app_url}/no-such-page")
    expect(page.locator("#not-found")).to_contain_text(text("pl", "notfound.title"))
    context.close()


def test_switching_to_polish_shows_babel_amounts_and_polish_dates_in_the_chosen_zone(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="America/New_York")
    page = context.new_page()
    join(page, app_url, f"polski-{uuid.uuid4().hex[:8]}@example.com", "1990-01-01")
    _deposit(page, app_url, "1234.50", "€1,234.50")

    _switch_language(page, "pl")
    expect(page.locator("#wallet-balance")).to_have_text(f"1{NBSP}234,50{NBSP}€")
    expect(page.locator("#balance")).to_have_text(f"1{NBSP}234,50{NBSP}€")

    _goto(page, f"{app_url}/account")
    page.select_option("#zone-select", "Europe/Warsaw")
    page.wait_for_timeout(800)
    _goto(page, f"{app_url}/wallet")
    booked = Formats("pl", "Europe/Warsaw").when(_deposit_time(app_env))
    assert re.search(r"(sty|lut|mar|kwi|maj|cze|lip|sie|wrz|paź|lis|gru)", booked)
    expect(page.locator("#transactions")).to_contain_text(booked)
    shot(page, "lang-pl-wallet-after-switch")

    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#wallet-balance")).to_have_text(f"1{NBSP}234,50{NBSP}€")
    second = context.new_page()
    _goto(second, f"{app_url}/wallet")
    expect(second.locator("#wallet-balance")).to_have_text(f"1{NBSP}234,50{NBSP}€")

    _switch_language(page, "en")
    expect(page.locator("#wallet-balance")).to_have_text("€1,234.50")
    context.close()


def test_every_main_page_at_phone_and_desktop_in_both_languages(app_url: str, browser, shot) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/Warsaw")
    page = context.new_page()
    join(page, app_url, f"shots-{uuid.uuid4().hex[:8]}@example.com", "1988-05-05")
    _deposit(page, app_url, "50", "€50.00")
    for lang in ("en", "pl"):
        _switch_language(page, lang)
        for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            for name, path in MAIN_PAGES:
                _goto(page, f"{app_url}{path}")
                # No raw catalog key and no "undefined" ever reaches the page.
                body = page.locator("body").inner_text()
                assert "undefined" not in body, (lang, name)
                assert not re.search(r"\b[a-z]+\.[a-z_]+_[a-z_]+\b", body), (lang, name)
                shot(page, f"lang-{lang}-{size_name}-{name}")
    context.close()
