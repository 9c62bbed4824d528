"""Session and token lifetimes, and when a session has ended.

Browser sessions end after 15 minutes without activity (profile value) or 12 hours after
sign-in, whichever comes first (OWASP session management; GLI-19 inactivity logout).
Mobile API: 30-minute access tokens; refresh tokens rotate on every use and live 30 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

STEP_UP_WINDOW = timedelta(minutes=5)
# Writing `last_seen_at` on every event would turn reads into writes; a minute is precise enough.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta = timedelta(minutes=15)
    absolute: timedelta = timedelta(hours=12)
    access_token: timedelta = timedelta(minutes=30)
    refresh_token: timedelta = timedelta(days=30)


DEFAULT_POLICY = SessionPolicy()


def end_reason(
    *,
    last_seen_at: datetime,
    expires_at: datetime,
    idle_seconds: int,
    revoked_at: datetime | None,
    now: datetime,
) -> str:
    """Why a session is over at `now` ("revoked", "expired", "idle"), or "" while it is live."""
    if revoked_at is not None:
        return "revoked"
    if now >= expires_at:
        return "expired"
    if now - last_seen_at >= timedelta(seconds=idle_seconds):
        return "idle"
    return ""


def step_up_fresh(step_up_at: datetime | None, now: datetime) -> bool:
    """A second-factor code was entered within the last 5 minutes."""
    return step_up_at is not None and timedelta(0) <= now - step_up_at <= STEP_UP_WINDOW
