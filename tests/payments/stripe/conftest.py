"""localstripe for the Stripe adapter's tests: one process per session on 127.0.0.1, emptied per test.

localstripe (PyPI) is a stateful fake of Stripe's API: PaymentIntents, refunds, payouts and
signed webhooks. `localstripe_server.py` starts its aiohttp app on the loopback address only
(its own launcher binds every interface) and prints the port the OS gave it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.payments.stripe.serving import Servers

ROOT = Path(__file__).resolve().parents[3]
STARTUP_SECONDS = 20


@pytest.fixture(scope="session")
def localstripe_url() -> Iterator[str]:
    """The base URL of a localstripe process started for this test session (stopped after it)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.payments.stripe.localstripe_server"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline().strip() or 0)
        if not port:
            pytest.fail("localstripe did not start (is it installed? pip install -r requirements-dev.txt)")
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until_up(url: str) -> None:
    import time

    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            httpx.get(f"{url}/js.stripe.com/v3/", timeout=1.0)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture
def localstripe(localstripe_url: str) -> str:
    """localstripe's URL with its store emptied, so each test starts from no objects."""
    httpx.delete(f"{localstripe_url}/_config/data", timeout=5.0).raise_for_status()
    return localstripe_url


@pytest.fixture
def served_api() -> Iterator[Callable[[object], str]]:
    """Serve ASGI apps on 127.0.0.1 in threads for one test: `url = served_api(app)`."""
    with Servers() as servers:
        yield servers.serve
