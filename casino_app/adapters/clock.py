"""The injected clock: system time in production, a movable clock in tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stays put until moved."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now


class SwitchableClock:
    """The process clock: system time unless a test swaps in another (`use`, then `reset`)."""

    def __init__(self) -> None:
        self._inner: Clock = SystemClock()

    def now(self) -> datetime:
        return self._inner.now()

    def use(self, inner: Clock) -> None:
        self._inner = inner

    def reset(self) -> None:
        self._inner = SystemClock()


clock = SwitchableClock()
