"""The payment provider port: what the cashier asks of any provider."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from casino_app.domain.errors import NotFound

MIN_DEPOSIT_MINOR = 500  # 5.00
MAX_DEPOSIT_MINOR = 1_000_000  # 10,000.00


@dataclass(frozen=True)
class ChargeRequest:
    """A charge of a tokenized payment method; card numbers never reach us."""

    order_id: str
    attempt_id: str
    amount_minor: int
    currency: str
    method_token: str


@dataclass(frozen=True)
class ChargeResult:
    status: str  # "approved" | "declined"
    provider_reference: str
    decline_reason: str = ""
    soft_decline: bool = False


@dataclass(frozen=True)
class PaymentMethod:
    token: str
    label: str


class PaymentProvider(Protocol):
    """Implemented by each provider adapter (sandbox, real acquirers over httpx)."""

    name: str

    def methods(self) -> list[PaymentMethod]:
        """Tokenized methods the player can choose from."""
        ...

    def charge(self, request: ChargeRequest) -> ChargeResult:
        """Charge the method; must be idempotent on `attempt_id`."""
        ...


@dataclass(frozen=True)
class PaymentProviders:
    """Payment providers by name (built by the wiring); `default` is the one offered first."""

    by_name: Mapping[str, PaymentProvider]
    default: str

    def get(self, name: str | None = None) -> PaymentProvider:
        provider = self.by_name.get(name or self.default)
        if provider is None:
            raise NotFound(f"Unknown payment provider {name!r}.")
        return provider
