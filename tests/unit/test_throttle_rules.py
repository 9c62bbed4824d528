"""Throttling and lockout rules (GLI-19 2.5.3, N.J.A.C. 13:69O-1.4(i), PCI DSS 8.3.4): one policy for all."""

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


def test_every_account_locks_after_three_failures_within_30_minutes_until_unlocked() -> None:
    counter = _fail(t.Counter(), 3, t.LOGIN_LOCKOUT.window, every_s=60)
    locked = t.lock_if_due(counter, t.LOGIN_LOCKOUT, NOW + timedelta(minutes=2))
    assert t.is_locked(locked, NOW + timedelta(days=365))


def test_three_failures_spread_over_more_than_30_minutes_do_not_lock() -> None:
    counter = _fail(t.Counter(), 3, t.LOGIN_LOCKOUT.window, every_s=16 * 60)
    assert counter.failures == 1  # the window started again
    assert not t.is_locked(t.lock_if_due(counter, t.LOGIN_LOCKOUT, NOW), NOW)


def test_reserved_attempts_reach_the_threshold_before_their_outcome_is_known() -> None:
    """Issue 14.2: an attempt counts when reserved, so a fourth in flight finds the threshold reached."""
    before = _fail(t.Counter(), 2, t.LOGIN_LOCKOUT.window)
    reserved = t.add_failure(before, t.LOGIN_LOCKOUT.window, NOW)
    assert t.at_threshold(reserved, t.LOGIN_LOCKOUT, NOW)
    assert not t.at_threshold(t.release(reserved, before, NOW), t.LOGIN_LOCKOUT, NOW)


def test_a_right_password_gives_its_reservation_back_and_leaves_no_backoff() -> None:
    """An address with failures earlier in the day is not made to wait by its own successful login."""
    earlier = _fail(t.Counter(), 6, t.IP_BACKOFF.window)
    later = NOW + timedelta(hours=1)
    reserved = t.add_failure(earlier, t.IP_BACKOFF.window, later)
    released = t.release(reserved, earlier, later)
    assert released == earlier
    assert t.wait_seconds(released, t.IP_BACKOFF, later) == 0
    # Another failure counted meanwhile keeps its own time: its backoff stands.
    meanwhile = t.add_failure(reserved, t.IP_BACKOFF.window, later + timedelta(seconds=1))
    kept = t.release(meanwhile, earlier, later)
    assert kept.failures == 7 and kept.last_failure_at == later + timedelta(seconds=1)
    assert t.release(t.add_failure(t.Counter(), t.IP_BACKOFF.window, NOW), t.Counter(), NOW) == t.Counter()


def test_a_rate_limit_counts_attempts_in_its_window_and_says_when_it_reopens() -> None:
    limit = t.RateLimit(attempts=2, window=timedelta(hours=1))
    counter = _fail(t.Counter(), 2, limit.window, every_s=60)
    assert t.attempts_left(counter, limit, NOW + timedelta(minutes=2)) == 0
    assert t.limit_wait(counter, limit, NOW + timedelta(minutes=30)) == 30 * 60 + 1
    assert t.attempts_left(counter, limit, NOW + timedelta(hours=1, seconds=1)) == 2


def test_five_code_attempts_per_five_minutes() -> None:
    counter = _fail(t.Counter(), 5, t.CODE_WINDOW)
    assert t.code_attempts_left(counter, NOW + timedelta(minutes=4)) == 0
    assert t.code_attempts_left(counter, NOW + timedelta(minutes=5, seconds=1)) == 5
