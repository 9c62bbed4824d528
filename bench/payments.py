"""Deposits end to end through the sandbox payment service over HTTP, and webhook-to-credit latency.

Usage:
    .venv/bin/python bench/payments.py                              # SQLite, 300 deposits, 8 players at once
    .venv/bin/python bench/payments.py --engine postgres --deposits 300 --workers 8

A fresh database (bench/setup.py), the sandbox payment service in its own process (no faults)
with its webhooks pointed at the app's API, served by uvicorn on 127.0.0.1. Each deposit is
what a player does: `start_deposit` (e-wallet: one call to the provider, which answers with its
approval page), then the approval on the sandbox's page (a GET and a POST), after which the
sandbox sends the signed webhook and our endpoint credits the wallet. A deposit counts when its
credit is in the ledger. Reported:

  deposits/s               completed deposits over the wall time, `--workers` players at once
  webhook-to-credit p50/p95  from the webhook request reaching our API to its credit committed
                           (signature, dedup, state machine, ledger posting, audit)
  approve-to-credit p50/p95  from the player's approval on the page to the credit being visible
                           (the sandbox's decision, its webhook delivery, our endpoint)

Not a test; figures go into docs/PERFORMANCE.md ("Payments").
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup import fresh_database
from casino_app.adapters.clock import SystemClock
from casino_app.adapters.keys import LocalKeyring
from casino_app.adapters.payments.http import HttpPolicy
from casino_app.adapters.payments.sandbox import SandboxProvider
from casino_app.api.app import create_api
from casino_app.bootstrap import Wiring, build
from casino_app.config import Settings
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.rules import PRIVACY_VERSION, TERMS_VERSION
from casino_app.domain.payments.ports import PaymentProviders
from casino_app.domain.payments.routing import PaymentRouter, Route
from casino_app.domain.payments.vocabulary import PaymentMethodKind
from casino_app.persistence.db import Database
from casino_app.services.identity.accounts.registration import RegisterPlayer, register_player
from casino_app.services.payments.deposits import deposits

ROOT = Path(__file__).resolve().parent.parent
API_KEY, SECRET = "sk_sandbox_test", "whsec_sandbox_test"
RETURN = "http://localhost:3000/wallet?payment="


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Timed:
    """Our API, timing each success webhook from its arrival to its answer (the credit committed)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seconds: list[float] = []

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/webhooks/"):
            await self.app(scope, receive, send)
            return
        started, body = time.perf_counter(), bytearray()

        async def reading() -> Any:
            message = await receive()
            body.extend(message.get("body", b""))
            return message

        await self.app(scope, reading, send)
        if b'.succeeded"' in body:  # the event that credits (the processing one does not)
            self.seconds.append(time.perf_counter() - started)


def _sandbox(port: int, app_port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "casino_app.payments_sandbox", "--port", str(port)]
    command += ["--webhook-url", f"http://127.0.0.1:{app_port}/api/webhooks/sandbox"]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the sandbox payment service did not start")


def _serve(app: Any, port: int) -> uvicorn.Server:
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return server


def _wiring(url: str, sandbox_url: str) -> Wiring:
    sandbox = SandboxProvider(sandbox_url, API_KEY, SECRET, policy=HttpPolicy(read_timeout=10.0))
    router = PaymentRouter(tuple(Route(m, ("sandbox",)) for m in PaymentMethodKind))
    settings = Settings(db_url=url, scheduler_enabled=False)
    keys = LocalKeyring(Path(tempfile.mkdtemp(prefix="casino-bench-keys-")) / "keyring.json")
    return build(
        settings,
        clock=SystemClock(),
        database=Database(url),
        keys=keys,
        payments=PaymentProviders({"sandbox": sandbox}, "sandbox", router),
    )


def _players(wiring: Wiring, n: int) -> list[int]:
    from datetime import date

    ids = []
    for i in range(n):
        form = RegisterPlayer(
            f"bench-pay-{i}@example.com",
            "correct-horse-battery",
            date(1990, 1, 1),
            full_name="Bench Player",
            country="MT",
            phone="",
            terms_version=TERMS_VERSION,
            privacy_version=PRIVACY_VERSION,
        )
        ids.append(register_player(wiring.uow(), form, wiring.now()).id)
    return ids


def _credited(db: Database, order: str) -> bool:
    with db.read_engine.connect() as c:
        sql = "SELECT 1 FROM ledger_transactions WHERE kind = 'deposit' AND reference = :o"
        return c.execute(sa.text(sql), {"o": order}).first() is not None


def _one(wiring: Wiring, client: httpx.Client, player: int, order: str) -> float:
    """One deposit; returns the seconds from the approval on the page to the credit."""
    cmd = deposits.StartDeposit(order, 20_00, "EUR", "ewallet", RETURN + order)
    started = deposits.start_deposit(wiring.uow(), Actor.player(player), cmd, wiring.now())
    client.get(started.redirect_url)
    approved = time.perf_counter()
    client.post(started.redirect_url, data={"action": "approve"})
    while not _credited(wiring.database, order):
        time.sleep(0.005)
    return time.perf_counter() - approved


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if len(values) > 1 else values[0] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--deposits", type=int, default=300)
    ap.add_argument("--workers", type=int, default=8)
    args = ap.parse_args()
    url = fresh_database(args.engine)
    app_port, sandbox_port = _port(), _port()
    proc = _sandbox(sandbox_port, app_port)
    try:
        wiring = _wiring(url, f"http://127.0.0.1:{sandbox_port}")
        timed = Timed(create_api(wiring))
        server = _serve(timed, app_port)
        players = _players(wiring, args.workers)
        with httpx.Client(timeout=10, follow_redirects=False) as client:
            _one(wiring, client, players[0], "warm-up")
            timed.seconds.clear()
            began = time.perf_counter()
            with ThreadPoolExecutor(args.workers) as pool:
                latencies = list(
                    pool.map(
                        lambda n: _one(wiring, client, players[n % len(players)], f"b-{n}"),
                        range(args.deposits),
                    )
                )
            wall = time.perf_counter() - began
        server.should_exit = True
    finally:
        proc.terminate()
    hooks = timed.seconds
    print(f"engine={args.engine} deposits={args.deposits} workers={args.workers} wall={wall:.1f}s")
    print(f"deposits/s                 {args.deposits / wall:8.1f}")
    print(
        f"webhook-to-credit p50/p95  {_pct(hooks, 50):6.1f} / {_pct(hooks, 95):6.1f} ms  ({len(hooks)} webhooks)"
    )
    print(f"approve-to-credit p50/p95  {_pct(latencies, 50):6.1f} / {_pct(latencies, 95):6.1f} ms")


if __name__ == "__main__":
    main()
