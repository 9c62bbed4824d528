"""The sandbox's settings: command-line flags, each with an environment variable."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field

DEFAULT_API_KEY = "sk_sandbox_test"
DEFAULT_WEBHOOK_SECRET = "whsec_sandbox_test"
FAULTS = (
    "timeout",
    "5xx",
    "soft_decline",
    "hard_decline",
    "duplicate_webhook",
    "late_webhook",
    "lost_webhook",
    "out_of_order",
)


@dataclass(frozen=True)
class SandboxConfig:
    host: str = "127.0.0.1"
    port: int = 3010
    public_url: str = ""  # where the player's browser reaches the hosted pages
    webhook_url: str = ""  # our `/api/webhooks/sandbox`; empty: no webhooks are sent
    api_key: str = DEFAULT_API_KEY
    webhook_secret: str = DEFAULT_WEBHOOK_SECRET
    fault_rate: float = 0.0  # share of requests that misbehave on their own
    faults: tuple[str, ...] = FAULTS  # which faults the rate picks from
    seed: str = "sandbox"  # the rate's faults are a function of it and the request count
    fault_scope: str = "all"  # "creates": the rate spares status and listing calls
    timeout_seconds: float = 2.0  # how long a "timeout" keeps the caller waiting
    late_seconds: float = 1.0  # how late a "late" webhook comes
    payout_seconds: float = 0.05  # how long a payout takes before its webhook
    allowed: tuple[str, ...] = field(default=("card", "bank_transfer", "ewallet"))

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"SANDBOX_{name}", default)


def parse_args(argv: list[str] | None = None) -> SandboxConfig:
    p = argparse.ArgumentParser(prog="python -m casino_app.payments_sandbox")
    p.add_argument("--host", default=_env("HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(_env("PORT", "3010")))
    p.add_argument("--public-url", default=_env("PUBLIC_URL", ""))
    p.add_argument("--webhook-url", default=_env("WEBHOOK_URL", ""))
    p.add_argument("--api-key", default=_env("API_KEY", DEFAULT_API_KEY))
    p.add_argument("--webhook-secret", default=_env("WEBHOOK_SECRET", DEFAULT_WEBHOOK_SECRET))
    p.add_argument("--fault-rate", type=float, default=float(_env("FAULT_RATE", "0")))
    p.add_argument("--faults", default=_env("FAULTS", ",".join(FAULTS)))
    p.add_argument("--seed", default=_env("SEED", "sandbox"))
    p.add_argument("--fault-scope", choices=("all", "creates"), default=_env("FAULT_SCOPE", "all"))
    p.add_argument("--timeout-seconds", type=float, default=float(_env("TIMEOUT_SECONDS", "2")))
    p.add_argument("--late-seconds", type=float, default=float(_env("LATE_SECONDS", "1")))
    a = p.parse_args(argv)
    faults = tuple(f for f in (x.strip() for x in a.faults.split(",")) if f)
    unknown = set(faults) - set(FAULTS)
    if unknown:
        p.error(f"unknown faults {sorted(unknown)}; known: {', '.join(FAULTS)}")
    return SandboxConfig(
        host=a.host,
        port=a.port,
        public_url=a.public_url.rstrip("/"),
        webhook_url=a.webhook_url,
        api_key=a.api_key,
        webhook_secret=a.webhook_secret,
        fault_rate=max(0.0, min(1.0, a.fault_rate)),
        faults=faults,
        seed=a.seed,
        fault_scope=a.fault_scope,
        timeout_seconds=a.timeout_seconds,
        late_seconds=a.late_seconds,
    )
