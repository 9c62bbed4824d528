"""Play sessions, reality checks and the session time limit (UK RTS 13B; docs/RESPONSIBLE_GAMING.md).

A play session starts when the player signs in with no other live session (or starts one after
a break). A reality check falls due every interval the player chose (the default profile
requires one at least hourly): play is refused until the player acknowledges a message with the
time played and the net result; the next one is due an interval after the acknowledgement.
A session time limit ends play for the session; a new session starts after the profile's break.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from casino_app.domain.compliance.profiles import RgProfile
from casino_app.domain.errors import InvalidInput, RealityCheckDue, SessionLimitReached


@dataclass(frozen=True)
class PlaySession:
    started_at: datetime | None = None
    reality_due_at: datetime | None = None  # play waits for an acknowledgement from then
    ends_at: datetime | None = None  # the session time limit is reached then

    def break_until(self, profile: RgProfile) -> datetime | None:
        return self.ends_at + profile.session_break if self.ends_at is not None else None


def interval_in_force(chosen: int | None, profile: RgProfile) -> int | None:
    """The reality-check interval that applies: the player's, within the profile's required maximum."""
    cap = profile.reality_required_max
    if cap is None:
        return chosen
    return min(chosen, cap) if chosen is not None else cap


def check_interval(minutes: int | None, profile: RgProfile) -> None:
    """Raises `InvalidInput` for an interval the profile does not offer (or switching off a required one)."""
    if minutes is None:
        if profile.reality_required_max is not None:
            every = profile.reality_required_max
            raise InvalidInput(f"Reality checks cannot be switched off here: at least every {every} min.")
        return
    if minutes not in profile.reality_options():
        offered = ", ".join(str(m) for m in profile.reality_options())
        raise InvalidInput(f"Choose a reality check every {offered} minutes.")


def new_session(now: datetime, interval: int | None, limit: int | None) -> PlaySession:
    return PlaySession(
        now,
        now + timedelta(minutes=interval) if interval else None,
        now + timedelta(minutes=limit) if limit else None,
    )


def begin(
    previous: PlaySession,
    now: datetime,
    interval: int | None,
    limit: int | None,
    *,
    others_live: bool,
    profile: RgProfile,
) -> PlaySession:
    """The session after a sign-in: the running one while another device is signed in, or during
    a session limit's break; otherwise a new one."""
    if others_live and previous.started_at is not None:
        return previous
    pause = previous.break_until(profile)
    if previous.ends_at is not None and pause is not None and previous.ends_at <= now < pause:
        return previous
    return new_session(now, interval, limit)


def may_restart(session: PlaySession, now: datetime, profile: RgProfile) -> bool:
    """A session ended by its time limit may start over once the break is over."""
    pause = session.break_until(profile)
    return pause is not None and now >= pause


def _duration(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def check_play(session: PlaySession, now: datetime, profile: RgProfile) -> None:
    """Refuse play when the session limit is reached or a reality check is waiting.

    Raises:
        SessionLimitReached: the session time limit is used up (with when play may resume).
        RealityCheckDue: the player must first acknowledge the time played and the net result.
    """
    if session.ends_at is not None and now >= session.ends_at:
        pause = session.break_until(profile)
        resume = f" You can start a new session from {pause:%H:%M UTC}." if pause and now < pause else ""
        raise SessionLimitReached(f"You have reached your session time limit.{resume}")
    if session.reality_due_at is not None and now >= session.reality_due_at:
        played = _duration(now - session.started_at) if session.started_at else "a while"
        raise RealityCheckDue(
            f"Reality check: you have been playing for {played}. Look at your result and confirm to go on."
        )


def acknowledged(session: PlaySession, now: datetime, interval: int | None) -> PlaySession:
    """The session after the player acknowledged a reality check at `now`."""
    return replace(session, reality_due_at=now + timedelta(minutes=interval) if interval else None)


def with_settings(
    session: PlaySession, now: datetime, interval: int | None, limit: int | None
) -> PlaySession:
    """The running session under a new interval or limit (a lower limit applies at once).

    A reality check that is waiting stays waiting, and a longer interval never moves the next
    check later than it already was: changing settings is no way around a check.
    """
    if session.started_at is None:
        return session
    due = session.reality_due_at
    waiting = due is not None and due <= now
    if interval is None:
        due = due if waiting else None
    elif not waiting:
        proposed = now + timedelta(minutes=interval)
        due = proposed if due is None else min(due, proposed)
    ends = session.started_at + timedelta(minutes=limit) if limit else None
    return PlaySession(session.started_at, due, ends)


def played_text(session: PlaySession, now: datetime) -> str:
    return _duration(now - session.started_at) if session.started_at else "0 min"
