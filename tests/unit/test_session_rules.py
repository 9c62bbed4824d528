"""Session lifetimes: 15 minutes idle, 12 hours absolute, revocation; step-up lasts 5 minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from casino_app.domain.identity import sessions

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
IDLE = 15 * 60


def _reason(now: datetime, last_seen: datetime = T0, revoked: datetime | None = None) -> str:
    return sessions.end_reason(
        last_seen_at=last_seen,
        expires_at=T0 + timedelta(hours=12),
        idle_seconds=IDLE,
        revoked_at=revoked,
        now=now,
    )


def test_a_session_is_live_until_15_minutes_without_activity() -> None:
    assert _reason(T0 + timedelta(minutes=14, seconds=59)) == ""
    assert _reason(T0 + timedelta(minutes=15)) == "idle"


def test_activity_keeps_it_alive_but_not_beyond_12_hours() -> None:
    assert _reason(T0 + timedelta(hours=11, minutes=59), last_seen=T0 + timedelta(hours=11, minutes=50)) == ""
    assert _reason(T0 + timedelta(hours=12), last_seen=T0 + timedelta(hours=11, minutes=59)) == "expired"


def test_revocation_ends_it_at_once() -> None:
    assert _reason(T0 + timedelta(seconds=1), revoked=T0) == "revoked"


def test_step_up_is_fresh_for_five_minutes() -> None:
    assert sessions.step_up_fresh(T0, T0 + timedelta(minutes=5))
    assert not sessions.step_up_fresh(T0, T0 + timedelta(minutes=5, seconds=1))
    assert not sessions.step_up_fresh(None, T0)
