"""The player app in Chromium: first load, JavaScript, Play -> receipt, settlement -> win in another tab.

Starts the app the way the browser tests do (`reflex run --env prod` on a free port, a fresh
SQLite database, seeded, demo mode), drives Debian's chromium with Playwright and prints a table:

- the lobby's first load on localhost, cold (a fresh browser context each run): DOMContentLoaded
  and first contentful paint from the Performance API, and the JavaScript transferred;
- from pressing Play on /play (a lotto ticket) to the receipt shown, measured in the page;
- from the draw's settlement (its `settled_at`) to the win's toast in another tab of the player.

    .venv/bin/python -m bench.ui [--runs 5] [--tickets 10] [--live-page /history]

Not a test. The app's first start compiles the frontend (minutes on a small machine).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

# The browser tests' sign-in flows (registration form, the operator's TOTP step).
from tests.e2e.conftest import _free_port, _wait_http
from tests.e2e.test_player_loop import join, operator_sign_in, sign_in

ROOT = Path(__file__).resolve().parents[1]
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
]
FIRST_LOAD_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const js = performance.getEntriesByType('resource')
    .filter(r => r.initiatorType === 'script' || r.name.split('?')[0].endsWith('.js'))
    .reduce((sum, r) => sum + (r.transferSize || r.encodedBodySize || 0), 0);
  return {dcl: nav.domContentLoadedEventEnd, fcp: fcp ? fcp.startTime : null, js};
}"""
PLAY_TO_RECEIPT_JS = """() => new Promise(resolve => {
  const t0 = performance.now();
  const seen = () => document.querySelector('#receipt-validation');
  const obs = new MutationObserver(() => { if (seen()) { obs.disconnect(); resolve(performance.now() - t0); } });
  obs.observe(document.body, {childList: true, subtree: true, characterData: true});
  document.querySelector('#play').click();
})"""
WATCH_TOAST_JS = """() => { window.__toastAt = null;
  const obs = new MutationObserver(() => {
    if (!window.__toastAt && document.querySelector('.live-toast')) { window.__toastAt = Date.now(); obs.disconnect(); }
  });
  obs.observe(document.body, {childList: true, subtree: true}); }"""


@contextmanager
def running_app() -> Iterator[tuple[str, dict[str, str]]]:
    """A fresh, seeded app on a free port: (its URL, its environment)."""
    work = Path(tempfile.mkdtemp(prefix="kasyno-ui-bench-"))
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REFLEX_REDIS_URL", "CASINO_PUBLIC_URL")}
    env.update(
        PORT=str(port),
        REFLEX_DB_URL=f"sqlite:///{work / 'casino.db'}",
        CASINO_KEYRING_PATH=str(work / "keyring.json"),
        CASINO_DRAW_INTERVAL_SECONDS="86400",
        CASINO_DEMO_MODE="1",
        CASINO_REGISTRATIONS_PER_IP_HOUR="1000",
        CASINO_SCHEDULER="1",
    )
    for args in (("-m", "alembic", "upgrade", "head"), ("-m", "casino_app", "seed")):
        subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True)
    log = (work / "reflex.log").open("wb")
    reflex = str(Path(sys.executable).parent / "reflex")
    cmd = [reflex, "run", "--env", "prod", "--frontend-port", str(port), "--backend-port", str(port)]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://localhost:{port}"
    try:
        _wait_http(f"{url}/api/health", proc, 900)
        _wait_http(f"{url}/", proc, 120)
        yield url, env
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def first_loads(browser, url: str, runs: int) -> list[dict[str, float]]:
    """The lobby loaded cold `runs` times, each in a fresh context (no cache, no cookies)."""
    found = []
    for _ in range(runs):
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        found.append(page.evaluate(FIRST_LOAD_JS))
        ctx.close()
    return found


def deposit(page, url: str, amount: str) -> None:
    page.goto(f"{url}/wallet")
    page.wait_for_load_state("networkidle")
    page.fill("#amount", amount)
    page.get_by_text("•••• 4242").click()
    page.wait_for_timeout(500)
    page.click("#deposit")
    page.wait_for_function("document.querySelector('#balance')?.textContent.includes('" + amount + "')")


def play_to_receipt(page, url: str, tickets: int) -> list[float]:
    """Milliseconds from pressing Play to the receipt, one 1.00 lotto ticket at a time."""
    page.goto(f"{url}/play")
    page.wait_for_load_state("networkidle")
    page.get_by_text("Lotto 6/49").first.click()
    found = []
    for n in range(tickets):
        for number in range(1 + n % 40, 7 + n % 40):
            page.click(f'[data-number="{number}"]')
        page.fill("#stake", "1.00")
        page.wait_for_timeout(600)
        found.append(float(page.evaluate(PLAY_TO_RECEIPT_JS)))
        page.get_by_role("button", name="Buy another ticket").click()
    return found


def settlement_to_win(browser, url: str, env: dict[str, str], email: str, live_page: str) -> float | None:
    """Milliseconds from the draw's settlement to the toast in another tab of the player (None: none came)."""
    ctx = browser.new_context()
    tab = ctx.new_page()
    sign_in(tab, url, email)
    tab.goto(f"{url}{live_page}")
    tab.wait_for_load_state("networkidle")
    tab.evaluate(WATCH_TOAST_JS)
    shown = _draw_toast(browser, url, env, tab)
    settled = _settled_at(env)
    ctx.close()
    if shown is None or settled is None:
        return None
    return shown - settled.timestamp() * 1000


def _draw_toast(browser, url: str, env: dict[str, str], tab) -> float | None:
    """Run lotto649's draw from the back office (in the app process) and wait for the tab's toast."""
    ops_ctx = browser.new_context()
    ops = ops_ctx.new_page()
    operator_sign_in(ops, url, env)
    ops.get_by_role("button", name="Lotto 6/49").first.click()
    deadline = time.monotonic() + 20
    shown = None
    while shown is None and time.monotonic() < deadline:
        shown = tab.evaluate("() => window.__toastAt")
        time.sleep(0.05)
    ops_ctx.close()
    return float(shown) if shown is not None else None


def _settled_at(env: dict[str, str]) -> datetime | None:
    engine = sa.create_engine(env["REFLEX_DB_URL"])
    try:
        with engine.connect() as conn:
            value = conn.execute(
                sa.text(
                    "SELECT d.settled_at FROM rounds d JOIN games g ON g.id = d.game_id "
                    "WHERE g.code = 'lotto649' AND d.settled_at IS NOT NULL ORDER BY d.settled_at DESC"
                )
            ).scalar()
    finally:
        engine.dispose()
    if value is None:
        return None
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _row(name: str, values: list[float], unit: str) -> str:
    if not values:
        return f"{name:<44} {'n/a':>10}"
    median, best = statistics.median(values), min(values)
    return f"{name:<44} {median:>10.1f} {best:>10.1f} {unit:>6}  (n={len(values)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold lobby loads")
    parser.add_argument("--tickets", type=int, default=10, help="tickets bought, one at a time")
    parser.add_argument("--live-page", default="/history", help="the page the other tab waits on")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        print("no chromium on this machine")
        return 1
    with running_app() as (url, env), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=FLAGS)
        loads = first_loads(browser, url, args.runs)
        ctx = browser.new_context()
        page = ctx.new_page()
        email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
        join(page, url, email, "1990-01-01")
        deposit(page, url, "50")
        plays = play_to_receipt(page, url, args.tickets)
        live = settlement_to_win(browser, url, env, email, args.live_page)
        browser.close()
    print(f"{'measure':<44} {'median':>10} {'best':>10} {'unit':>6}")
    print(_row("lobby DOMContentLoaded (cold)", [x["dcl"] for x in loads], "ms"))
    print(_row("lobby first contentful paint (cold)", [x["fcp"] for x in loads if x["fcp"]], "ms"))
    print(_row("lobby JavaScript transferred (cold)", [x["js"] / 1024 for x in loads], "KiB"))
    print(_row("Play -> receipt shown (lotto ticket)", plays, "ms"))
    print(_row(f"settled -> toast, other tab ({args.live_page})", [live] if live else [], "ms"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
