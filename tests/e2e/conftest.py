"""A real app (`reflex run --env prod`) on a fresh SQLite database, and Chromium."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _wait_http(url: str, proc: subprocess.Popen[bytes], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise TimeoutError(f"{url} did not answer within {timeout_s} s")


@pytest.fixture(scope="session")
def app_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    db_file = tmp_path_factory.mktemp("e2e") / "casino.db"
    keyring = db_file.parent / "keyring.json"
    port = _free_port()
    env = dict(os.environ)
    env.update(
        {
            # No CASINO_CORS_ORIGINS or CASINO_PUBLIC_URL: on this free (non-3000) port the app
            # must derive its origins, CSP and emailed links from the port it serves on.
            "CASINO_E2E_PORT": str(port),
            "PORT": str(port),
            "REFLEX_DB_URL": f"sqlite:///{db_file}",
            "CASINO_KEYRING_PATH": str(keyring),
            "CASINO_DRAW_INTERVAL_SECONDS": "86400",
            "CASINO_DEMO_MODE": "1",
            # Every browser test registers from 127.0.0.1; the limit itself is tested in integration.
            "CASINO_REGISTRATIONS_PER_IP_HOUR": "1000",
            "CASINO_SCHEDULER": "1",
        }
    )
    for name in ("REFLEX_REDIS_URL", "CASINO_CORS_ORIGINS", "CASINO_PUBLIC_URL", "REFLEX_FRONTEND_PORT"):
        env.pop(name, None)
    run = lambda *args: subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: E731
    run(sys.executable, "-m", "alembic", "upgrade", "head")
    run(sys.executable, "-m", "casino_app", "seed")
    return env


@pytest.fixture(scope="session")
def app_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The running app's combined stdout/stderr (tests scan it for leaked secrets)."""
    return tmp_path_factory.mktemp("logs") / "reflex.log"


@pytest.fixture(scope="session")
def app_url(app_env: dict[str, str], app_log: Path) -> Iterator[str]:
    # One Reflex build directory (.web) per checkout: one browser session at a time.
    with (ROOT / ".web.e2e.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield from _serve(app_env, app_log)


def _serve(app_env: dict[str, str], app_log: Path, cwd: Path = ROOT) -> Iterator[str]:
    port = int(app_env["CASINO_E2E_PORT"])
    log = app_log.open("wb")
    reflex = Path(sys.executable).parent / "reflex"
    proc = subprocess.Popen(
        [
            str(reflex),
            "run",
            "--env",
            "prod",
            "--frontend-port",
            str(port),
            "--backend-port",
            str(port),
            "--backend-host",
            "127.0.0.1",  # test servers listen on the loopback only
        ],
        cwd=cwd,
        env=app_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://localhost:{port}"  # the app's own (derived) public URL
    try:
        _wait_http(f"{url}/api/health", proc, timeout_s=900)
        _wait_http(f"{url}/", proc, timeout_s=120)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    if executable is None:
        if os.environ.get("CASINO_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (CASINO_REQUIRE_BROWSER=1) but was not found")
        pytest.skip("no Chromium on this machine; run `make test` to install it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture()
def shot():
    """Save a full-page screenshot under test-artifacts/screenshots/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.evaluate("window.scrollTo(0, 0)")  # a sticky header must not land mid-page
        page.wait_for_timeout(400)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
