"""Accessibility in Chromium: an axe-core scan of every main player page in English and Polish at
desktop and phone width and of every back-office page (no serious or critical violation), the
document's language following the switch, and keyboard use of the lotto number grid, the game
controls and the header's focus order.

axe-core comes from the npm registry (`make axe`, pinned in the Makefile) and is injected by
Playwright into a context that bypasses the app's Content-Security-Policy."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from casino_app.ui.i18n.catalog import text
from casino_app.ui.layouts.player import NAV
from tests.e2e.test_player_loop import DESKTOP, PHONE, _goto, deposit, join, operator_sign_in

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
SCANNED_PAGES = (
    ("lobby", "/"),
    ("play", "/play"),
    ("dice", "/dice"),
    ("roulette", "/roulette"),
    ("slots", "/slots"),
    ("wallet", "/wallet"),
    ("history", "/history"),
    ("responsible", "/responsible-gaming"),
    ("account", "/account"),
    ("inbox", "/inbox"),
    ("fairness", "/fairness"),
    ("privacy", "/privacy"),
    ("results", "/results"),
)
SHOT_PAGES = ("lobby", "play", "dice", "wallet", "responsible")
GUEST_PAGES = (("login", "/login"), ("register", "/register"), ("lobby-guest", "/"))
OPERATOR_PAGES = (
    ("dashboard", "/ops"),
    ("players", "/ops/players"),
    ("operators", "/ops/operators"),
    ("withdrawals", "/ops/withdrawals"),
    ("reconciliation", "/ops/reconciliation"),
    ("draws", "/ops/draws"),
    ("rg-cases", "/ops/rg"),
)
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
  }));
}"""


def _axe_ready(page: Page) -> None:
    assert AXE.exists(), f"{AXE} is missing: `make axe` installs axe-core from the npm registry"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))


def blocking_violations(page: Page) -> list[str]:
    """Every serious or critical axe-core violation of the page: rule, impact, help, targets."""
    _axe_ready(page)
    found = page.evaluate(RUN_AXE)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {'; '.join(v['targets'][:8])}"
        for v in found
        if v["impact"] in BLOCKING
    ]


def _context(browser, viewport: dict[str, int] = DESKTOP):
    return browser.new_context(
        viewport=viewport, locale="en-GB", timezone_id="Europe/Warsaw", bypass_csp=True
    )


def _switch_language(page: Page, lang: str) -> None:
    page.click(f"#lang-{lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)


def _new_player(page: Page, url: str, amount: str = "50") -> None:
    join(page, url, f"a11y-{uuid.uuid4().hex[:8]}@example.com", "1987-03-03")
    deposit(page, url, amount)


def _scan(page: Page, url: str, pages, label: str, shot=None) -> list[str]:
    problems = []
    for name, path in pages:
        _goto(page, f"{url}{path}")
        page.wait_for_timeout(300)  # Radix finishes its first paint (colour contrast needs it)
        problems += [f"[{label} {name}] {v}" for v in blocking_violations(page)]
        if shot is not None and name in SHOT_PAGES:
            shot(page, f"a11y-{label.replace(' ', '-')}-{name}")
    return problems


def test_no_serious_or_critical_axe_violation_on_the_player_pages_in_both_languages(
    app_url: str, browser, shot
) -> None:
    context = _context(browser)
    page = context.new_page()
    _new_player(page, app_url)
    problems = []
    for lang in ("en", "pl"):
        _switch_language(page, lang)
        for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            problems += _scan(page, app_url, SCANNED_PAGES, f"{lang} {size_name}", shot)
            expect(page.locator("html")).to_have_attribute("lang", lang)
    context.close()
    assert problems == [], "accessibility violations:\n" + "\n".join(problems)


def test_no_serious_or_critical_axe_violation_for_a_guest_in_both_languages(app_url: str, browser) -> None:
    context = _context(browser, PHONE)
    page = context.new_page()
    _goto(page, app_url)
    problems = []
    for lang in ("en", "pl"):
        _switch_language(page, lang)
        problems += _scan(page, app_url, GUEST_PAGES, f"guest {lang}")
    context.close()
    assert problems == [], "accessibility violations:\n" + "\n".join(problems)


def test_no_serious_or_critical_axe_violation_on_the_back_office_pages(
    app_url: str, app_env: dict[str, str], browser, shot
) -> None:
    context = _context(browser)
    page = context.new_page()
    problems = _scan(page, app_url, (("ops-login", "/ops/login"),), "operator")
    operator_sign_in(page, app_url, app_env)
    for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        problems += _scan(page, app_url, OPERATOR_PAGES, f"operator {size_name}")
        shot(page, f"a11y-operator-{size_name}-rg-cases")
    context.close()
    assert problems == [], "accessibility violations:\n" + "\n".join(problems)


def test_the_document_language_follows_the_switch(app_url: str, browser) -> None:
    context = browser.new_context(viewport=PHONE, locale="pl-PL", bypass_csp=True)
    page = context.new_page()
    _goto(page, app_url)
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    _switch_language(page, "en")
    expect(page.locator("body")).to_contain_text(text("en", "lobby.next_draws"))
    _goto(page, f"{app_url}/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.close()


def _focused(page: Page) -> dict[str, str]:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const region = el.closest("header") ? "header" : el.closest("main") ? "main"
            : el.closest("footer") ? "footer" : "other";
          const style = getComputedStyle(el);
          return {id: el.id, tag: el.tagName, region, nav: el.closest("nav") ? "yes" : "no",
                  href: el.getAttribute("href") || "",
                  number: el.getAttribute("data-number") || "",
                  pressed: el.getAttribute("aria-pressed") || "",
                  outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
                    ? "yes" : "no"};
        }"""
    )


def _tab_until(page: Page, wanted, limit: int = 120) -> dict[str, str]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if wanted(focused):
            return focused
    raise AssertionError("Tab never reached the wanted control")


def test_the_lotto_number_grid_works_from_the_keyboard_with_a_visible_focus(app_url: str, browser) -> None:
    context = _context(browser)
    page = context.new_page()
    _new_player(page, app_url)
    _goto(page, f"{app_url}/play")
    first = _tab_until(page, lambda f: f["number"] != "")
    assert first["region"] == "main"
    assert first["outline"] == "yes", "the focused number shows no focus ring"
    assert first["pressed"] == "false"
    page.keyboard.press("Enter")
    expect(page.locator(f'#number-grid [data-number="{first["number"]}"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    page.keyboard.press("Tab")
    second = _focused(page)
    assert second["number"] not in ("", first["number"])
    page.keyboard.press("Space")
    expect(page.locator(f'#number-grid [data-number="{second["number"]}"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("#picked-count")).to_contain_text("2")
    page.keyboard.press("Space")  # a second press takes the number back
    expect(page.locator(f'#number-grid [data-number="{second["number"]}"]')).to_have_attribute(
        "aria-pressed", "false"
    )
    label = page.locator(f'#number-grid [data-number="{first["number"]}"]').get_attribute("aria-label")
    assert label == f"{text('en', 'play.number')} {first['number']}"
    context.close()


def test_arrow_keys_move_through_the_lotto_number_grid(app_url: str, browser) -> None:
    context = _context(browser)
    page = context.new_page()
    _new_player(page, app_url)
    _goto(page, f"{app_url}/play")
    first = int(_tab_until(page, lambda f: f["number"] != "")["number"])
    grid = page.locator("#number-grid [data-number]")
    count = grid.count()
    tops = grid.evaluate_all("els => els.map(e => e.offsetTop)")
    columns = tops.count(tops[0])
    assert 1 < columns < count
    moves = [("ArrowRight", first + 1), ("ArrowDown", first + 1 + columns), ("ArrowLeft", first + columns)]
    moves += [("ArrowUp", first), ("End", count), ("ArrowRight", count), ("Home", 1), ("ArrowLeft", 1)]
    for key, wanted in moves:  # at an edge a key leaves the focus where it is
        page.keyboard.press(key)
        assert _focused(page)["number"] == str(wanted), (key, wanted)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")  # picking still works after moving
    expect(page.locator('#number-grid [data-number="2"]')).to_have_attribute("aria-pressed", "true")
    context.close()


def _press_on(page: Page, selector: str, key: str = "Enter") -> None:
    """Tab (never click) to the control, then press `key` on it."""
    target = _tab_until(page, lambda f: page.evaluate(f"document.activeElement.matches({selector!r})"))
    assert target["outline"] == "yes", f"{selector} shows no focus ring"
    page.keyboard.press(key)


def test_the_game_controls_are_reachable_and_work_from_the_keyboard(app_url: str, browser) -> None:
    context = _context(browser)
    page = context.new_page()
    _new_player(page, app_url)
    _goto(page, f"{app_url}/dice")
    _press_on(page, "#roll")
    expect(page.locator("#dice-roll")).to_have_text(re.compile(r"^\d{1,2}\.\d\d$"))
    _goto(page, f"{app_url}/roulette")
    _press_on(page, '[data-spot="red"]')
    expect(page.locator(".roulette-bet")).to_have_count(1)
    _press_on(page, "#spin-wheel", "Space")
    expect(page.locator("#roulette-pocket")).to_have_text(re.compile(r"^\d{1,2}$"))
    _goto(page, f"{app_url}/slots")
    _press_on(page, "#spin")
    expect(page.locator("#slot-result")).to_be_visible()
    context.close()


def test_tab_goes_from_the_skip_link_through_the_header_to_the_content(app_url: str, browser) -> None:
    context = _context(browser)
    page = context.new_page()
    _new_player(page, app_url)
    _goto(page, f"{app_url}/wallet")
    page.keyboard.press("Tab")
    skip = _focused(page)
    assert skip["href"] == "#main"
    expect(page.locator("#skip-link")).to_be_visible()
    expect(page.locator("#skip-link")).to_have_text(text("en", "nav.skip_to_content"))
    order = [skip] + [_tab_step(page) for _ in range(30)]
    regions = [f["region"] for f in order[1:]]
    assert regions[0] == "header"
    assert "main" in regions
    # Header first, then the page: nothing in the header comes after the content has begun.
    assert "header" not in regions[regions.index("main") :]
    # The main navigation in its reading order, after the brand, balance and account controls.
    nav = [f["href"] for f in order if f["region"] == "header" and f["nav"] == "yes"]
    assert nav == [href for _, href, _ in NAV]
    assert order[1]["href"] == "/"  # the brand comes first
    # The skip link jumps straight to the content.
    _goto(page, f"{app_url}/wallet")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert _focused(page)["region"] == "main"
    context.close()


def _tab_step(page: Page) -> dict[str, str]:
    page.keyboard.press("Tab")
    return _focused(page)
