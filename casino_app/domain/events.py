"""Domain events: facts that happened, published after the transaction that made them commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DomainEvent:
    """`name` is a dotted fact ("bet.settled", "deposit.approved"); `user_id` whom it concerns."""

    name: str
    user_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
