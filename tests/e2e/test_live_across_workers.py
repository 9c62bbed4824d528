"""Live updates across backend workers: the app on Redis with two Granian workers.

A copy of the app (its own `.web`, so the session's app keeps running) is served with
`REFLEX_REDIS_URL` and `GRANIAN_WORKERS=2`: tabs land on either worker, the draw settles in the
operator's worker, and every device of the player must still see the win at once — the push
travels over the Redis channel to the worker that holds each tab.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from playwright.sync_api import expect

from casino_app.persistence.db import Database
from tests.e2e.conftest import ROOT, _free_port, _serve
from tests.e2e.test_live_updates import (
    COVERING,
    DESKTOP,
    PHONE,
    _buy_the_covering,
    _deposit,
    _eur,
    _newest_player,
    _won,
)
from tests.e2e.test_player_loop import _goto, join, operator_sign_in, sign_in

pytestmark = pytest.mark.e2e
REDIS_DB = 7  # a database of its own on the machine's Redis, flushed before the app starts
COPIED = ("casino_app", "assets", "alembic", "rxconfig.py", "alembic.ini", "requirements.txt")


@pytest.fixture(scope="module")
def workers_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A copy of the app with its own build directory and database, on Redis, two workers."""
    home = tmp_path_factory.mktemp("workers")
    app_dir = home / "app"
    app_dir.mkdir()
    for name in COPIED:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, app_dir / name)
    if (ROOT / ".web").is_dir():  # the session's build: its installed packages save minutes
        shutil.copytree(ROOT / ".web", app_dir / ".web", symlinks=True)
    (app_dir / ".tools").symlink_to(ROOT / ".tools")
    url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    redis.Redis.from_url(url).flushdb()
    port = _free_port()
    env = dict(os.environ)
    for name in ("CASINO_CORS_ORIGINS", "CASINO_PUBLIC_URL", "REFLEX_FRONTEND_PORT"):
        env.pop(name, None)
    env.update(
        {
            "CASINO_E2E_PORT": str(port),
            "PORT": str(port),
            "REFLEX_DB_URL": f"sqlite:///{home / 'casino.db'}",
            "CASINO_KEYRING_PATH": str(home / "keyring.json"),
            "CASINO_DRAW_INTERVAL_SECONDS": "86400",
            "CASINO_DEMO_MODE": "1",
            "CASINO_REGISTRATIONS_PER_IP_HOUR": "1000",
            "CASINO_SCHEDULER": "1",
            "REFLEX_REDIS_URL": url,
            "REFLEX_USE_GRANIAN": "1",
            "GRANIAN_WORKERS": "2",
            "CASINO_APP_DIR": str(app_dir),
        }
    )
    for args in (("-m", "alembic", "upgrade", "head"), ("-m", "casino_app", "seed")):
        subprocess.run([sys.executable, *args], cwd=app_dir, env=env, check=True, capture_output=True)
    return env


@pytest.fixture(scope="module")
def workers_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("workers-log") / "reflex.log"


@pytest.fixture(scope="module")
def workers_url(workers_env: dict[str, str], workers_log: Path) -> Iterator[str]:
    yield from _serve(workers_env, workers_log, cwd=Path(workers_env["CASINO_APP_DIR"]))


def _app_processes(port: str) -> int:
    """Processes serving the app on `port`: the server and each of its workers."""
    listing = subprocess.run(["ps", "-eo", "args", "--width", "4000"], capture_output=True, text=True).stdout
    return sum(
        1 for line in listing.splitlines() if "reflex run" in line and f"--backend-port {port}" in line
    )


def test_every_device_sees_the_win_when_the_app_runs_two_workers_on_redis(
    workers_url: str, workers_env: dict[str, str], workers_log: Path, browser, shot
) -> None:
    assert _app_processes(workers_env["PORT"]) >= 3, "the app should run a server and two workers"
    db = Database(workers_env["REFLEX_DB_URL"])
    email = f"workers-{uuid.uuid4().hex[:8]}@example.com"
    devices = [browser.new_context(viewport=PHONE if i % 2 else DESKTOP) for i in range(3)]
    first = devices[0].new_page()
    join(first, workers_url, email, "1990-06-06")
    _deposit(first, workers_url, "50")
    player_id = _newest_player(db)
    _buy_the_covering(workers_env, db, player_id)
    pages = [first] + [ctx.new_page() for ctx in devices[1:]]
    for page in pages[1:]:
        sign_in(page, workers_url, email)
    for page in pages:
        _goto(page, f"{workers_url}/history")
        expect(page.locator(".ticket")).to_have_count(len(COVERING))
        page.evaluate("window.__sameDocument = true")

    ops_ctx = browser.new_context(viewport=DESKTOP)
    ops = ops_ctx.new_page()
    operator_sign_in(ops, workers_url, workers_env)
    ops.get_by_role("button", name="Quick 5/35").first.click()

    expect(pages[-1].locator(".live-toast").first).to_be_visible(timeout=20_000)
    won = _won(db, player_id)
    for page in pages:  # three tabs on two workers: each one updated without a reload
        expect(page.locator(".live-toast").first).to_contain_text(_eur(won), timeout=20_000)
        expect(page.locator("#balance")).to_have_text(_eur(31_00 + won))
        assert page.evaluate("window.__sameDocument === true")
    shot(pages[1], "workers-phone-live-win")
    for ctx in (*devices, ops_ctx):
        ctx.close()
    db.dispose()
