"""Time-outs and self-exclusion: their terms, how they combine, and the refusal a player sees.

Rules (docs/RESPONSIBLE_GAMING.md): a time-out lasts 24 hours to 30 days; a self-exclusion 6 months, 1 year,
5 years or permanently (GB: at least 6 months). Both apply at once and end every session;
sign-in, bets and deposits are refused with the dates and the helplines of the player's
profile. Nobody can end one early: a new block can only keep or extend the one in force.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from casino_app.domain.compliance.profiles import RgProfile
from casino_app.domain.compliance.vocabulary import TERM_MONTHS, BlockKind, ExclusionTerm
from casino_app.domain.errors import InvalidInput, PlayBlocked, SelfExcluded, TimedOut

_STRENGTH = {BlockKind.TIMEOUT: 0, BlockKind.SELF_EXCLUSION: 1, BlockKind.OPERATOR_EXCLUSION: 1}


@dataclass(frozen=True)
class Block:
    """The block in force (or the last one): `until` None with a kind means permanent."""

    kind: BlockKind | None = None
    until: datetime | None = None

    def active(self, now: datetime) -> bool:
        return self.kind is not None and (self.until is None or now < self.until)

    @property
    def permanent(self) -> bool:
        return self.kind is not None and self.until is None


NO_BLOCK = Block()


def add_months(start: datetime, months: int) -> datetime:
    """The same day and time `months` later (the month's last day when it is shorter)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def timeout_until(length: timedelta, now: datetime, profile: RgProfile) -> datetime:
    """The end of a time-out of `length` from now.

    Raises:
        InvalidInput: shorter than 24 hours or longer than 30 days (the profile's range).
    """
    if not profile.timeout_min <= length <= profile.timeout_max:
        raise InvalidInput("A time-out lasts from 24 hours to 30 days.")
    return now + length


def exclusion_until(term: ExclusionTerm, now: datetime, profile: RgProfile) -> datetime | None:
    """The end of a self-exclusion of `term` from now (None: permanent).

    Raises:
        InvalidInput: a term shorter than the profile's minimum.
    """
    months = TERM_MONTHS[term]
    if months is not None and months < profile.self_exclusion_min_months:
        raise InvalidInput(f"A self-exclusion lasts at least {profile.self_exclusion_min_months} months.")
    return add_months(now, months) if months is not None else None


def combine(current: Block, kind: BlockKind, until: datetime | None, now: datetime) -> Block:
    """The block after a new one is asked for: it may only keep or extend what is in force.

    Raises:
        InvalidInput: the block in force already lasts at least as long (it cannot be shortened).
    """
    if current.kind is None or not current.active(now):
        return Block(kind, until)
    covered = current.until is None or (until is not None and current.until >= until)
    if covered and _STRENGTH[kind] <= _STRENGTH[current.kind]:
        raise InvalidInput(f"This account is already {describe(current)}; that cannot be shortened.")
    stronger = kind if _STRENGTH[kind] >= _STRENGTH[current.kind] else current.kind
    end = None if until is None or current.until is None else max(until, current.until)
    return Block(stronger, end)


def _date(value: datetime) -> str:
    return value.strftime("%d %b %Y, %H:%M UTC")


def describe(block: Block) -> str:
    """ "on a time-out until 3 Mar 2026, 12:00 UTC", "self-excluded permanently"."""
    if block.kind == BlockKind.TIMEOUT:
        return f"on a time-out until {_date(block.until)}" if block.until else "on a time-out"
    who = "self-excluded" if block.kind == BlockKind.SELF_EXCLUSION else "closed for gambling"
    return f"{who} until {_date(block.until)}" if block.until else f"{who} permanently"


def refusal(block: Block, profile: RgProfile, activity: str) -> PlayBlocked:
    """The error a blocked player gets for `activity` ("sign in", "bet", "deposit"): dates and help."""
    help_text = f" If you need to talk to someone: {profile.contacts}." if profile.contacts else ""
    text = f"You cannot {activity} now: your account is {describe(block)}.{help_text}"
    return TimedOut(text) if block.kind == BlockKind.TIMEOUT else SelfExcluded(text)


def refuse_if_blocked(block: Block, now: datetime, profile: RgProfile, activity: str) -> None:
    """Raises `TimedOut` or `SelfExcluded` while a block is in force."""
    if block.active(now):
        raise refusal(block, profile, activity)
