"""Event publishers: in-process subscribers by default (NATS JetStream when configured, later)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from casino_app.domain.events import DomainEvent

log = logging.getLogger(__name__)
Subscriber = Callable[[DomainEvent], None]


class EventPublisher(Protocol):
    def publish(self, event: DomainEvent) -> None: ...


class InProcessPublisher:
    """Calls each subscriber in turn; a failing subscriber is logged and never undoes the fact."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.append(subscriber)

    def publish(self, event: DomainEvent) -> None:
        for subscriber in list(self._subscribers):
            try:
                subscriber(event)
            except Exception:
                log.exception("event subscriber failed for %s", event.name)


class RecordingPublisher(InProcessPublisher):
    """Keeps every event it publishes (tests, and the CLI's dry runs)."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[DomainEvent] = []

    def publish(self, event: DomainEvent) -> None:
        self.events.append(event)
        super().publish(event)
