"""Denied calls, aggregated per connection so that a client cannot flood the audit chain.

Any connected client can call any public handler, so a script can be denied hundreds of times
a second. The first denial per (connection, actor, permission) in a minute is audited as
`authz.denied`; the rest of that minute are counted and written later as one
`authz.denied_repeated` record with the count (when the minute is over: on the next denial or
by `flush`). Every call is still denied. A connection denied more than `drop_after` times in a
minute is reported by `should_drop`, and the entry point closes it.

One `DenialLog` per process, held by the wiring (counts are per process; the audit records
are what is shared).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=1)
DROP_AFTER = 30  # denials of one connection in a window before it is closed
MAX_KEYS = 10_000  # bound on the memory one process spends on counting


def source_of(kind: str, raw: str) -> str:
    """How a connection is named in the audit log: its kind and a short hash, never the raw id."""
    return f"{kind}:{hashlib.sha256(raw.encode()).hexdigest()[:16]}" if raw else ""


@dataclass(frozen=True)
class Repeated:
    """Denials counted (not audited one by one) in a finished window."""

    source: str
    actor: str
    role: str
    permission: str
    started: datetime
    count: int


@dataclass
class _Window:
    started: datetime
    role: str
    suppressed: int = 0


@dataclass(frozen=True)
class Verdict:
    """What to write for one denial: the denial itself (first of its window) and finished counts."""

    audit: bool
    repeated: tuple[Repeated, ...] = ()


@dataclass
class DenialLog:
    """The per-process counts of denials per (source, actor, permission)."""

    window: timedelta = WINDOW
    drop_after: int = DROP_AFTER
    max_keys: int = MAX_KEYS
    _windows: dict[tuple[str, str, str], _Window] = field(default_factory=dict)
    _strikes: dict[str, tuple[datetime, int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, source: str, actor: str, role: str, permission: str, now: datetime) -> Verdict:
        """Count one denial; say whether to audit it and which finished windows to write."""
        with self._lock:
            self._strike(source, now)
            finished = self._take_finished(now)
            key = (source, actor, permission)
            current = self._windows.get(key)
            if current is not None:
                current.suppressed += 1
                return Verdict(False, finished)
            if len(self._windows) >= self.max_keys:
                finished += (self._evict_oldest(),)
            self._windows[key] = _Window(now, role)
            return Verdict(True, finished)

    def flush(self, now: datetime) -> tuple[Repeated, ...]:
        """The counts of every finished window (taken: each is returned once)."""
        with self._lock:
            return self._take_finished(now)

    def should_drop(self, source: str, now: datetime) -> bool:
        """True when `source` was denied more than `drop_after` times in the current window."""
        with self._lock:
            started, count = self._strikes.get(source, (now, 0))
            return bool(source) and now - started < self.window and count > self.drop_after

    def _strike(self, source: str, now: datetime) -> None:
        started, count = self._strikes.get(source, (now, 0))
        if now - started >= self.window:
            started, count = now, 0
        self._strikes[source] = (started, count + 1)
        if len(self._strikes) > self.max_keys:
            stale = [s for s, (t, _) in self._strikes.items() if now - t >= self.window]
            for s in stale or [next(iter(self._strikes))]:
                del self._strikes[s]

    def _take_finished(self, now: datetime) -> tuple[Repeated, ...]:
        done = [key for key, w in self._windows.items() if now - w.started >= self.window]
        return tuple(r for r in (self._pop(key) for key in done) if r.count)

    def _evict_oldest(self) -> Repeated:
        oldest = min(self._windows, key=lambda k: self._windows[k].started)
        return self._pop(oldest)

    def _pop(self, key: tuple[str, str, str]) -> Repeated:
        w = self._windows.pop(key)
        return Repeated(key[0], key[1], w.role, key[2], w.started, w.suppressed)
