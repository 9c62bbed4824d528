"""Login throttling and lockout rules: exponential backoff per IP and per account, lockout, rate limits.

One policy for every email before authentication (players, operators and addresses nobody
registered alike), so the throttling reveals neither whether an account exists nor its role:

- Every account locks after 3 consecutive failures within 30 minutes and stays locked until
  its owner re-verifies the email, enters a valid TOTP or recovery code, or an operator
  unlocks it (GLI-19 2.5.3, N.J.A.C. 13:69O-1.4(i); stricter than PCI DSS 8.3.4's 10).
- Every IP gets 5 free failures a day, then waits 2 s, 4 s, 8 s ... up to an hour per attempt, and
  its count survives successful logins. Once its wait passes 15 minutes it can no longer fit three
  failures into an account's 30-minute window, so one address locks at most a handful of accounts.
- An attempt is reserved (counted as a failure) before its password is hashed and released
  when it turns out right, so N parallel attempts count N.
- Second-factor codes: at most 5 attempts per 5 minutes, even when the sixth is right.
- Re-entering the password while signed in (step-up, password change): two tries at once,
  then 1 s, 2 s, 4 s ... between tries; the session ends after 5 failures within 30 minutes.
- Registrations and password-reset requests: at most 10 of each per IP per hour.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Backoff:
    """`free` failures pass at once; each further one doubles the wait, from `base_s` up to `cap_s`."""

    free: int
    base_s: int
    cap_s: int
    window: timedelta  # a count older than this (from its first failure) starts again

    def delay_after(self, failures: int) -> int:
        """Seconds to wait before the next attempt after `failures` failures."""
        if failures < self.free:
            return 0
        return int(min(self.base_s * 2 ** min(failures - self.free, 30), self.cap_s))


@dataclass(frozen=True)
class LockoutPolicy:
    threshold: int
    window: timedelta
    lock_for: timedelta | None  # None: until the owner unlocks it


@dataclass(frozen=True)
class RateLimit:
    """At most `attempts` in a window of `window` from the first one."""

    attempts: int
    window: timedelta


@dataclass(frozen=True)
class Counter:
    """A failure count as stored in the throttle table."""

    failures: int = 0
    first_failure_at: datetime | None = None
    last_failure_at: datetime | None = None
    locked_at: datetime | None = None
    locked_until: datetime | None = None


IP_BACKOFF = Backoff(free=5, base_s=2, cap_s=3600, window=timedelta(hours=24))
LOGIN_BACKOFF = Backoff(free=1, base_s=1, cap_s=60, window=timedelta(minutes=30))
LOGIN_LOCKOUT = LockoutPolicy(threshold=3, window=timedelta(minutes=30), lock_for=None)
# A signed-in person may mistype their password once without waiting.
REAUTH_BACKOFF = Backoff(free=2, base_s=1, cap_s=60, window=timedelta(minutes=30))
CODE_LIMIT = RateLimit(attempts=5, window=timedelta(minutes=5))
REAUTH_LIMIT = RateLimit(attempts=5, window=timedelta(minutes=30))
REGISTRATION_LIMIT = RateLimit(attempts=10, window=timedelta(hours=1))
RESET_LIMIT = RateLimit(attempts=10, window=timedelta(hours=1))
CODE_ATTEMPTS = CODE_LIMIT.attempts
CODE_WINDOW = CODE_LIMIT.window


def current(counter: Counter, window: timedelta, now: datetime) -> Counter:
    """The counter as it stands at `now`: an expired window is forgotten (a lock is not)."""
    first = counter.first_failure_at
    if first is not None and now - first > window:
        return replace(counter, failures=0, first_failure_at=None, last_failure_at=None)
    return counter


def wait_seconds(counter: Counter, backoff: Backoff, now: datetime) -> int:
    """How long the next attempt must still wait (0: it may go ahead)."""
    counter = current(counter, backoff.window, now)
    if counter.last_failure_at is None:
        return 0
    ready = counter.last_failure_at + timedelta(seconds=backoff.delay_after(counter.failures))
    return max(0, int((ready - now).total_seconds() + 0.999))


def add_failure(counter: Counter, window: timedelta, now: datetime) -> Counter:
    """One more failure (or reserved attempt) at `now`."""
    counter = current(counter, window, now)
    return replace(
        counter,
        failures=counter.failures + 1,
        first_failure_at=counter.first_failure_at or now,
        last_failure_at=now,
    )


def release(counter: Counter, before: Counter, reserved_at: datetime) -> Counter:
    """Give back one reserved attempt that turned out right; the earlier failures stay.

    Args:
        counter: the stored counter now.
        before: the counter as the reservation found it (its window applied).
        reserved_at: when the attempt was reserved.

    Unless another attempt was counted after it, the failure times go back to `before`'s, so
    a right password leaves no backoff behind.
    """
    failures = max(0, counter.failures - 1)
    if counter.last_failure_at != reserved_at:
        return replace(counter, failures=failures)
    if not failures:
        return replace(counter, failures=0, first_failure_at=None, last_failure_at=None)
    return replace(
        counter,
        failures=failures,
        first_failure_at=before.first_failure_at or counter.first_failure_at,
        last_failure_at=before.last_failure_at,
    )


def is_locked(counter: Counter, now: datetime) -> bool:
    """Locked now: locked without an end, or until a time still ahead."""
    if counter.locked_at is None:
        return False
    return counter.locked_until is None or counter.locked_until > now


def at_threshold(counter: Counter, policy: LockoutPolicy, now: datetime) -> bool:
    """The failures in the window (reserved attempts included) leave no attempt before the lock."""
    return current(counter, policy.window, now).failures >= policy.threshold


def lock_if_due(counter: Counter, policy: LockoutPolicy, now: datetime) -> Counter:
    """Lock the account when the failures in the window reach the policy's threshold."""
    if is_locked(counter, now) or not at_threshold(counter, policy, now):
        return counter
    until = now + policy.lock_for if policy.lock_for is not None else None
    return replace(counter, locked_at=now, locked_until=until)


def attempts_left(counter: Counter, limit: RateLimit, now: datetime) -> int:
    """Attempts still allowed in the limit's current window."""
    return max(0, limit.attempts - current(counter, limit.window, now).failures)


def limit_wait(counter: Counter, limit: RateLimit, now: datetime) -> int:
    """Seconds until the limit's window starts again (0: an attempt is left)."""
    if attempts_left(counter, limit, now) > 0:
        return 0
    first = counter.first_failure_at or now
    return max(int((first + limit.window - now).total_seconds()) + 1, 1)


def code_attempts_left(counter: Counter, now: datetime) -> int:
    """Second-factor attempts still allowed in the current 5-minute window."""
    return attempts_left(counter, CODE_LIMIT, now)


def retry_text(seconds: int) -> str:
    """ "Try again in 1 second." / "Try again in 4 minutes." """
    if seconds >= 120:
        minutes = (seconds + 59) // 60
        return f"Try again in {minutes} minutes."
    return f"Try again in {seconds} second{'s' if seconds != 1 else ''}."
