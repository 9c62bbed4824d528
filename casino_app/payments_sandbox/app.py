"""The sandbox's ASGI app: the provider API (`/v1/...`, bearer key, Idempotency-Key) and the
hosted pages (`/pay`, `/bank`, `/wallet`), plus `/_sandbox/...` controls for tests."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from casino_app.payments_sandbox import handlers
from casino_app.payments_sandbox.chaos import CALL_FAULTS, DECLINE_FAULTS, WEBHOOK_FAULTS, Chaos
from casino_app.payments_sandbox.config import SandboxConfig
from casino_app.payments_sandbox.problems import Problem, field_of, read_json
from casino_app.payments_sandbox.store import Store, Transaction
from casino_app.payments_sandbox.webhooks import Sender

FAULT_HEADER = "X-Sandbox-Fault"


def _authorized(request: Request, config: SandboxConfig) -> bool:
    given = request.headers.get("authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {config.api_key}".encode())


class Sandbox:
    """The service's state: one per process (or per test)."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config, self.store, self.chaos = config, Store(), Chaos(config)
        self.sender = Sender(config, self.store)

    async def api(self, request: Request, handler: Any, creates: bool, chaos: bool = True) -> Response:
        """Authentication, faults, idempotency, then the handler; problems become JSON errors."""
        if not _authorized(request, self.config):
            return JSONResponse({"error": {"type": "unauthorized", "message": "Bad API key."}}, 401)
        try:
            data = await read_json(request) if request.method == "POST" else {}
            asked = request.headers.get(FAULT_HEADER) or str(data.get("fault") or "")
            faults = self.chaos.for_request(asked, creates=creates) if chaos else frozenset()
            if "5xx" in faults:
                raise Problem(503, "api_error", "Injected server error.")
            if "timeout" in faults:
                await asyncio.sleep(self.config.timeout_seconds)
                raise Problem(504, "api_error", "Injected timeout.")
            if request.method != "POST":
                return JSONResponse(await handler(request, data, faults))
            return await self._idempotent(request, data, handler, faults)
        except Problem as p:
            return JSONResponse(p.body, p.status)

    async def _idempotent(
        self, request: Request, data: dict[str, Any], handler: Any, faults: frozenset[str]
    ) -> Response:
        key = request.headers.get("idempotency-key", "")
        if not key or len(key) > 255:
            raise Problem(400, "invalid_request", "An Idempotency-Key header is required.")
        body_hash = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        slot = f"{request.url.path}:{key}"
        stored = self.store.answers.get(slot)
        if stored is not None:
            if stored[1].get("_hash") != body_hash:
                raise Problem(409, "idempotency_error", "This key was used with another request.")
            return JSONResponse(stored[1]["body"], stored[0], headers={"Idempotent-Replayed": "true"})
        try:
            status, body = 200, await handler(request, data, faults)
        except Problem as p:
            status, body = p.status, p.body
        self.store.answers[slot] = (status, {"_hash": body_hash, "body": body})
        return JSONResponse(body, status)

    def new_transaction(self, data: dict[str, Any], direction: str, faults: frozenset[str]) -> Transaction:
        amount = field_of(data, "amount_minor", int)
        currency = field_of(data, "currency", str)
        if amount <= 0 or len(currency) != 3:
            raise Problem(400, "invalid_request", "A positive amount in a 3-letter currency is needed.")
        return Transaction(
            id=Store.new_id({"deposit": "pay", "payout": "po", "refund": "re"}[direction]),
            attempt_id=field_of(data, "attempt_id", str, direction != "refund")
            or field_of(data, "refund_id", str),
            order_id=field_of(data, "order_id", str, False) or field_of(data, "payout_id", str, False),
            direction=direction,
            method=field_of(data, "method", str, False) or "card",
            amount_minor=amount,
            currency=currency.upper(),
            customer_ref=field_of(data, "customer_ref", str, False),
            customer_name=field_of(data, "customer_name", str, False),
            return_url=field_of(data, "return_url", str, False),
            destination=field_of(data, "destination", str, False),
            faults=faults & (WEBHOOK_FAULTS | DECLINE_FAULTS),
        )

    def decide(self, tx: Transaction, outcome: str, reason: str) -> None:
        """Finish a transaction (an injected decline wins), send its webhooks."""
        if "hard_decline" in tx.faults:
            outcome, reason = "hard_decline", "Injected hard decline."
        elif "soft_decline" in tx.faults:
            outcome, reason = "soft_decline", "Injected soft decline."
        if outcome == "approve":
            self.store.finish(tx, "succeeded")
        else:
            self.store.finish(tx, "declined", outcome.removesuffix("_decline"), reason)
        self.sender.dispatch(tx)

    def answer(self, tx: Transaction, **extra: Any) -> dict[str, Any]:
        if tx.status == "declined":
            decline = tx.decline or "hard"
            raise Problem(402, "card_declined", tx.decline_reason, decline=decline, id=tx.id)
        return {**tx.public(self.store.card_of(tx)), **extra}


def create_app(config: SandboxConfig, sandbox: Sandbox | None = None) -> Starlette:
    """The ASGI app over one `Sandbox` (its state lives as long as the app)."""
    box = sandbox or Sandbox(config)
    api = handlers.ApiHandlers(box)

    def route(path: str, handler: Any, method: str, creates: bool = False, chaos: bool = True) -> Route:
        async def endpoint(request: Request) -> Response:
            return await box.api(request, handler, creates, chaos)

        return Route(path, endpoint, methods=[method])

    async def health(_: Request) -> Response:
        return JSONResponse({"ok": True})

    routes = [
        Route("/health", health),
        route("/v1/deposits", api.create_deposit, "POST", creates=True),
        route("/v1/payouts", api.create_payout, "POST", creates=True),
        route("/v1/refunds", api.create_refund, "POST", creates=True),
        route("/v1/attempts/{attempt_id}", api.attempt, "GET"),
        route("/v1/transactions", api.transactions, "GET"),
        route("/_sandbox/reset", api.reset, "POST", chaos=False),
        route("/_sandbox/webhooks", api.webhooks, "GET", chaos=False),
        *handlers.page_routes(box),
    ]
    app = Starlette(routes=routes)
    app.state.sandbox = box
    return app


__all__ = ["CALL_FAULTS", "Sandbox", "create_app"]
