"""Throttling and lockout rules (GLI-19 2.5.3, N.J.A.C. 13:69O-1.4(i), PCI DSS 8.3.4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from casino_app.domain.identity import throttle as t

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _fail(counter: t.Counter, times: int, window: timedelta, every_s: int = 0) -> t.Counter:
    at = NOW
    for _ in range(times):
        counter = t.add_failure(counter, window, at)
        at += timedelta(seconds=every_s)
    return counter


def test_ip_backoff_doubles_from_2s_after_five_free_failures_up_to_an_hour() -> None:
    delays = [t.IP_BACKOFF.delay_after(n) for n in range(0, 18)]
    assert delays[:5] == [0] * 5
    assert delays[5:10] == [2, 4, 8, 16, 32]
    assert delays[-1] == 3600


def test_wait_counts_from_the_last_failure() -> None:
    counter = _fail(t.Counter(), 6, t.IP_BACKOFF.window)
    assert t.wait_seconds(counter, t.IP_BACKOFF, NOW) == 4
    assert t.wait_seconds(counter, t.IP_BACKOFF, NOW + timedelta(seconds=3)) == 1
    assert t.wait_seconds(counter, t.IP_BACKOFF, NOW + timedelta(seconds=4)) == 0


def test_player_locks_after_three_failures_within_30_minutes_until_unlocked() -> None:
    counter = _fail(t.Counter(), 3, t.PLAYER_LOCKOUT.window, every_s=60)
    locked = t.lock_if_due(counter, t.PLAYER_LOCKOUT, NOW + timedelta(minutes=2))
    assert t.is_locked(locked, NOW + timedelta(days=365))


def test_three_failures_spread_over_more_than_30_minutes_do_not_lock() -> None:
    counter = _fail(t.Counter(), 3, t.PLAYER_LOCKOUT.window, every_s=16 * 60)
    assert counter.failures == 1  # the window started again
    assert not t.is_locked(t.lock_if_due(counter, t.PLAYER_LOCKOUT, NOW), NOW)


def test_operator_locks_after_ten_failures_for_30_minutes() -> None:
    nine = _fail(t.Counter(), 9, t.OPERATOR_LOCKOUT.window)
    assert not t.is_locked(t.lock_if_due(nine, t.OPERATOR_LOCKOUT, NOW), NOW)
    ten = t.lock_if_due(t.add_failure(nine, t.OPERATOR_LOCKOUT.window, NOW), t.OPERATOR_LOCKOUT, NOW)
    assert t.is_locked(ten, NOW + timedelta(minutes=29, seconds=59))
    assert not t.is_locked(ten, NOW + timedelta(minutes=30))


def test_five_code_attempts_per_five_minutes() -> None:
    counter = _fail(t.Counter(), 5, t.CODE_WINDOW)
    assert t.code_attempts_left(counter, NOW + timedelta(minutes=4)) == 0
    assert t.code_attempts_left(counter, NOW + timedelta(minutes=5, seconds=1)) == 5
