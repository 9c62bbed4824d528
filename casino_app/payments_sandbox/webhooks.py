"""Signed webhooks to the merchant, with the faults a real provider shows now and then.

Each transaction's life is two events: `<direction>.processing` (sequence 1), then
`<direction>.succeeded` or `.declined` (sequence 2). The signature header is
`Sandbox-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from casino_app.payments_sandbox.config import SandboxConfig
from casino_app.payments_sandbox.store import Store, Transaction

SIGNATURE_HEADER = "Sandbox-Signature"
DELIVERY_TRIES = 3


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def events_of(store: Store, tx: Transaction) -> list[dict[str, Any]]:
    """The transaction's events in their true order (the faults reorder or drop them later)."""
    card = store.card_of(tx)
    processing = {**tx.public(card), "status": "pending", "decline": "", "decline_reason": ""}
    final_type = "succeeded" if tx.status == "succeeded" else "declined"
    return [
        _event(f"{tx.direction}.processing", 1, processing),
        _event(f"{tx.direction}.{final_type}", 2, tx.public(card)),
    ]


def _event(kind: str, sequence: int, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": Store.new_id("evt"),
        "type": kind,
        "sequence": sequence,
        "created": time.time(),
        "data": data,
    }


def planned(events: list[dict[str, Any]], faults: frozenset[str]) -> list[dict[str, Any]]:
    """What is actually sent: lost drops everything, out of order swaps, duplicate doubles."""
    if "lost_webhook" in faults:
        return []
    if "out_of_order" in faults:
        events = list(reversed(events))
    if "duplicate_webhook" in faults:
        events = [e for e in events for _ in (0, 1)]
    return events


@dataclass
class Sender:
    config: SandboxConfig
    store: Store
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def dispatch(self, tx: Transaction) -> None:
        """Send the finished transaction's events in the background."""
        if not self.config.webhook_url:
            return
        events = planned(events_of(self.store, tx), tx.faults)
        task = asyncio.get_running_loop().create_task(self._send_all(events, "late_webhook" in tx.faults))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send_all(self, events: list[dict[str, Any]], late: bool) -> None:
        if late:
            await asyncio.sleep(self.config.late_seconds)
        async with httpx.AsyncClient(timeout=httpx.Timeout(5.0, connect=2.0)) as client:
            for event in events:
                await self._deliver(client, event)

    async def _deliver(self, client: httpx.AsyncClient, event: dict[str, Any]) -> None:
        body = json.dumps(event, separators=(",", ":")).encode()
        status = 0
        for attempt in range(DELIVERY_TRIES):
            headers = {
                "Content-Type": "application/json",
                SIGNATURE_HEADER: sign(self.config.webhook_secret, int(time.time()), body),
            }
            try:
                status = (
                    await client.post(self.config.webhook_url, content=body, headers=headers)
                ).status_code
            except httpx.HTTPError:
                status = 0
            if 200 <= status < 300 or 400 <= status < 500:
                break
            await asyncio.sleep(0.2 * 2**attempt)
        self.store.sent.append({"id": event["id"], "type": event["type"], "status": status})

    async def drain(self) -> None:
        """Wait for every webhook in flight (the tests' and the shutdown's barrier)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
