"""Payments over real HTTP: sandbox payment service processes and the app's API on free ports.

`payment_stack(...)` starts one sandbox service process per provider name (each with its own
flags, its webhooks pointed at the app's `/api/webhooks/<name>`), builds the test's wiring on
the real clock (webhook signatures carry the real time) with those providers routed in the
given order, and serves `create_api(wiring)` with uvicorn on 127.0.0.1. Everything stops at
the end of the test.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import uvicorn

from casino_app.adapters.clock import SystemClock
from casino_app.adapters.keys import LocalKeyring
from casino_app.adapters.payments.demo import DemoCardProvider
from casino_app.adapters.payments.http import HttpPolicy
from casino_app.adapters.payments.sandbox import SandboxProvider
from casino_app.api.app import create_api
from casino_app.bootstrap import Wiring
from casino_app.config import Settings
from casino_app.domain.identity.actor import Actor
from casino_app.domain.payments.ports import PaymentProvider, PaymentProviders
from casino_app.domain.payments.routing import PaymentRouter, Route
from casino_app.domain.payments.vocabulary import PaymentMethodKind
from casino_app.persistence.db import Database
from casino_app.services.dto import UserView
from casino_app.services.identity.accounts import registration as registering
from casino_app.services.payments.deposits import deposits
from tests.support import confirm_email, make_wiring, registration

ROOT = Path(__file__).resolve().parents[2]
API_KEY = "sk_sandbox_test"
SECRET = "whsec_sandbox_test"
RETURN_URL = "http://localhost:3000/wallet?payment="
APPROVED_CARD = "4242424242424242"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class SandboxService:
    """One sandbox payment service process."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def control(self, path: str, method: str = "GET") -> Any:
        headers = {"Authorization": f"Bearer {API_KEY}", "Idempotency-Key": f"ctl-{time.time_ns()}"}
        return httpx.request(method, f"{self.url}{path}", headers=headers, timeout=10).json()

    def transactions(self) -> list[dict[str, Any]]:
        return list(self.control("/v1/transactions")["data"])

    def webhooks_sent(self) -> list[dict[str, Any]]:
        """Every delivery so far (waits for those in flight)."""
        return list(self.control("/_sandbox/webhooks")["data"])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_sandbox(
    name: str, app_port: int, flags: Sequence[str], log_dir: Path, port: int | None = None
) -> SandboxService:
    port = port or free_port()
    log = log_dir / f"sandbox-{name}.log"
    command = [
        sys.executable,
        "-m",
        "casino_app.payments_sandbox",
        "--port",
        str(port),
        "--webhook-url",
        f"http://127.0.0.1:{app_port}/api/webhooks/{name}",
        "--late-seconds",
        "0.5",
        *flags,
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    service = SandboxService(name, f"http://127.0.0.1:{port}", process, log)
    _wait_until_up(f"{service.url}/health", process)
    return service


def _wait_until_up(url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the sandbox exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not come up")


@dataclass
class PaymentStack:
    wiring: Wiring
    app_url: str
    sandboxes: dict[str, SandboxService]
    server: uvicorn.Server
    thread: threading.Thread
    app_port: int
    log_dir: Path
    players: list[UserView] = field(default_factory=list)

    def restart(self, name: str, flags: Sequence[str]) -> SandboxService:
        """Stop the sandbox `name` and start it again on its port with other flags (its memory is lost)."""
        old = self.sandboxes[name]
        old.stop()
        port = int(old.url.rsplit(":", 1)[1])
        self.sandboxes[name] = start_sandbox(name, self.app_port, flags, self.log_dir, port)
        return self.sandboxes[name]

    def player(self, email: str = "", *, currency: str = "EUR") -> UserView:
        email = email or f"payer{len(self.players)}@example.com"
        user = registering.register_player(
            self.wiring.uow(), registration(email, currency=currency), self.now()
        )
        confirm_email(self.wiring.uow(), user.id, self.now())
        self.players.append(user)
        return user

    def now(self) -> datetime:
        return self.wiring.now()

    def start(self, user: UserView, order: str, amount: int, method: str = "card") -> deposits.DepositStarted:
        cmd = deposits.StartDeposit(order, amount, user.currency, method, RETURN_URL + order)
        return deposits.start_deposit(self.wiring.uow(), Actor.player(user.id), cmd, self.now())


def _wiring(
    db: Database, keys: LocalKeyring, names: Sequence[str], policy: HttpPolicy, urls: dict[str, str]
) -> Wiring:
    sandboxes: dict[str, PaymentProvider] = {
        n: SandboxProvider(urls[n], API_KEY, SECRET, name=n, policy=policy) for n in names
    }
    demo = DemoCardProvider()
    router = PaymentRouter(tuple(Route(m, tuple(names)) for m in PaymentMethodKind))
    providers = PaymentProviders({**sandboxes, demo.name: demo}, names[0], router)
    settings = Settings(db_url=db.url, demo_mode=True, scheduler_enabled=False)
    return make_wiring(db, clock=SystemClock(), keys=keys, settings=settings, payments=providers)


def _serve(wiring: Wiring, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    config = uvicorn.Config(
        create_api(wiring), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the test API server did not start"
    return server, thread


StackFactory = Callable[..., PaymentStack]


@pytest.fixture
def payment_stack(db: Database, test_keyring: LocalKeyring, tmp_path: Path) -> Iterator[StackFactory]:
    """`payment_stack(("sandbox", "sandbox_b"), flags={"sandbox": ["--fault-rate", "1"]})`."""
    made: list[PaymentStack] = []

    def build(
        names: Sequence[str] = ("sandbox",),
        *,
        flags: dict[str, list[str]] | None = None,
        policy: HttpPolicy | None = None,
    ) -> PaymentStack:
        app_port = free_port()
        services = {n: start_sandbox(n, app_port, (flags or {}).get(n, []), tmp_path) for n in names}
        policy = policy or HttpPolicy(connect_timeout=1.0, read_timeout=3.0, retries=2, backoff_seconds=0.02)
        wiring = _wiring(db, test_keyring, names, policy, {n: s.url for n, s in services.items()})
        server, thread = _serve(wiring, app_port)
        stack = PaymentStack(
            wiring, f"http://127.0.0.1:{app_port}", services, server, thread, app_port, tmp_path
        )
        made.append(stack)
        return stack

    yield build
    for stack in made:
        for service in stack.sandboxes.values():
            service.stop()
        stack.server.should_exit = True
        stack.thread.join(timeout=10)


def pay_on_page(redirect_url: str, number: str = APPROVED_CARD, name: str = "") -> httpx.Response:
    """What the player's browser does on the hosted card page: open it, type the card, pay."""
    page = httpx.get(redirect_url, timeout=10)
    assert page.status_code == 200 and "<form" in page.text and "<script" not in page.text
    form = {"number": number, "exp": "12/34", "cvc": "123", "name": name}
    return httpx.post(redirect_url, data=form, timeout=10, follow_redirects=False)


def approve_on_page(redirect_url: str, action: str = "approve") -> httpx.Response:
    """The bank's or e-wallet's page: the player approves (or cancels)."""
    page = httpx.get(redirect_url, timeout=10)
    assert page.status_code == 200 and "approve" in page.text
    return httpx.post(redirect_url, data={"action": action}, timeout=10, follow_redirects=False)


def wait_for(predicate: Callable[[], object], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the condition")


def payment_status(db: Database, order_id: str) -> str:
    with db.read_engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT status FROM payments WHERE order_id = :o"), {"o": order_id}
        ).first()
    return str(row[0]) if row else ""
