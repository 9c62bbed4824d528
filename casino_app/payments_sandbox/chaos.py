"""Faults: asked for per request (`X-Sandbox-Fault: timeout,duplicate_webhook` or a `fault`
field) or drawn by rate (`--fault-rate 0.3`), reproducibly from `--seed` and a request count."""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field

from casino_app.payments_sandbox.config import FAULTS, SandboxConfig

CALL_FAULTS = frozenset({"timeout", "5xx"})  # the call fails: nothing is done
DECLINE_FAULTS = frozenset({"soft_decline", "hard_decline"})
WEBHOOK_FAULTS = frozenset({"duplicate_webhook", "late_webhook", "lost_webhook", "out_of_order"})


def parse(raw: str) -> frozenset[str]:
    return frozenset(f for f in (x.strip() for x in (raw or "").split(",")) if f in FAULTS)


@dataclass
class Chaos:
    config: SandboxConfig
    _count: itertools.count[int] = field(default_factory=itertools.count)

    def _draw(self, n: int) -> float:
        digest = hashlib.sha256(f"{self.config.seed}:{n}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64

    def for_request(self, asked: str, *, creates: bool) -> frozenset[str]:
        """The faults of one request: those asked for, plus one drawn at the configured rate."""
        faults = set(parse(asked))
        rate = self.config.fault_rate
        if rate > 0 and self.config.faults and (creates or self.config.fault_scope == "all"):
            n = next(self._count)
            if self._draw(2 * n) < rate:
                pool = [f for f in self.config.faults if creates or f in CALL_FAULTS]
                if pool:
                    faults.add(pool[int(self._draw(2 * n + 1) * len(pool)) % len(pool)])
        return frozenset(faults)
