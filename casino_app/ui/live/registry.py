"""The tabs (Reflex client tokens) of each signed-in player that this worker serves."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

MAX_TABS_PER_PLAYER = 32
MAX_AGE_S = 24 * 3600.0


class TabRegistry:
    """Player id -> the client tokens of their tabs, filled on page load, pruned when stale.

    Thread-safe; a token belongs to one player at a time (a tab signed in as someone else moves).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._tabs: dict[int, dict[str, float]] = {}
        self._owner: dict[str, int] = {}

    def add(self, user_id: int, token: str) -> None:
        """Remember `token` as one of the player's tabs (refreshing its age)."""
        with self._lock:
            previous = self._owner.get(token)
            if previous is not None and previous != user_id:
                self._drop(token)
            tabs = self._tabs.setdefault(user_id, {})
            tabs[token] = self._clock()
            self._owner[token] = user_id
            while len(tabs) > MAX_TABS_PER_PLAYER:
                self._drop(min(tabs, key=tabs.__getitem__))

    def remove(self, token: str) -> None:
        with self._lock:
            self._drop(token)

    def tabs_of(self, user_id: int) -> list[str]:
        """The player's tabs registered here and not older than MAX_AGE_S."""
        with self._lock:
            now = self._clock()
            tabs = self._tabs.get(user_id, {})
            for token in [t for t, seen in tabs.items() if now - seen > MAX_AGE_S]:
                self._drop(token)
            return list(self._tabs.get(user_id, {}))

    def __len__(self) -> int:
        with self._lock:
            return len(self._owner)

    def _drop(self, token: str) -> None:
        user_id = self._owner.pop(token, None)
        if user_id is None:
            return
        tabs = self._tabs.get(user_id, {})
        tabs.pop(token, None)
        if not tabs:
            self._tabs.pop(user_id, None)
