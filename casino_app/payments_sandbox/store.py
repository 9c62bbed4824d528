"""The sandbox's memory: transactions, card tokens and the answers given per Idempotency-Key."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from casino_app.payments_sandbox.cards import Card


@dataclass
class Transaction:
    id: str
    attempt_id: str
    order_id: str
    direction: str  # deposit | payout | refund
    method: str
    amount_minor: int
    currency: str
    customer_ref: str
    customer_name: str = ""
    return_url: str = ""
    destination: str = ""
    status: str = "pending"  # pending | succeeded | declined
    decline: str = ""  # soft | hard
    decline_reason: str = ""
    faults: frozenset[str] = frozenset()
    card_token: str = ""
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)

    def public(self, card: Card | None) -> dict[str, Any]:
        return {
            "id": self.id,
            "attempt_id": self.attempt_id,
            "order_id": self.order_id,
            "direction": self.direction,
            "method": self.method,
            "amount_minor": self.amount_minor,
            "currency": self.currency,
            "status": self.status,
            "decline": self.decline,
            "decline_reason": self.decline_reason,
            "created": self.created,
            "updated": self.updated,
            "card": card.public() if card else None,
        }


@dataclass
class Store:
    transactions: dict[str, Transaction] = field(default_factory=dict)
    by_attempt: dict[str, str] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)
    answers: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)  # webhook deliveries, for tests
    lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def new_id(prefix: str) -> str:
        return f"{prefix}_{secrets.token_hex(10)}"

    def add(self, tx: Transaction) -> Transaction:
        with self.lock:
            self.transactions[tx.id] = tx
            self.by_attempt[tx.attempt_id] = tx.id
        return tx

    def by_attempt_id(self, attempt_id: str) -> Transaction | None:
        tx_id = self.by_attempt.get(attempt_id)
        return self.transactions.get(tx_id) if tx_id else None

    def finish(self, tx: Transaction, status: str, decline: str = "", reason: str = "") -> None:
        with self.lock:
            tx.status, tx.decline, tx.decline_reason, tx.updated = status, decline, reason, time.time()

    def card_of(self, tx: Transaction) -> Card | None:
        return self.cards.get(tx.card_token) if tx.card_token else None

    def in_window(self, since: float, until: float) -> list[Transaction]:
        with self.lock:
            return [t for t in self.transactions.values() if since <= t.created < until]

    def reset(self) -> None:
        with self.lock:
            self.transactions.clear()
            self.by_attempt.clear()
            self.cards.clear()
            self.answers.clear()
            self.sent.clear()
