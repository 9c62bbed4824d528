"""Markers of harm: explainable rules over a player's recent activity in one currency.

Each rule compares one figure with its threshold and, when it fires, says why in words a risk
officer and the player can read ("Lost €620.00 in the last 24 hours (threshold €500.00)").
Markers only open a case for people to review; no decision is automatic. Amounts are never
added across currencies: the activity is per player and currency, and an amount rule without
a threshold for that currency does not fire.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from casino_app.domain.compliance.profiles import RgProfile
from casino_app.domain.compliance.vocabulary import MarkerCode
from casino_app.domain.money.amounts import Money, format_money

NIGHT_HOURS = range(0, 6)  # midnight to 6 am, local time


@dataclass(frozen=True)
class Activity:
    """One player's recent activity in one currency (the figures the rules read)."""

    user_id: int
    currency: str
    loss_24h: int = 0
    hours_played_24h: int = 0
    night_sessions_7d: int = 0
    deposits_24h: int = 0
    deposits_7d: int = 0
    limit_raises_30d: int = 0
    reversed_withdrawals_30d: int = 0
    net_deposits_30d: int = 0


@dataclass(frozen=True)
class Marker:
    code: MarkerCode
    currency: str
    value: int
    threshold: int
    reason: str


def _money(minor: int, currency: str) -> str:
    return format_money(Money(minor, currency))


def night_sessions(hours_with_play: Iterable[datetime], timezone: str) -> int:
    """On how many distinct nights (00:00-06:00 local) the player played, from UTC hour buckets."""
    zone = ZoneInfo(timezone)
    nights: set[date] = set()
    for hour in hours_with_play:
        local = hour.astimezone(zone)
        if local.hour in NIGHT_HOURS:
            nights.add(local.date())
    return len(nights)


_HOURS = "Played in {v} different hours of the last 24 (threshold {t})."
_NIGHTS = "Played between midnight and 6 am on {v} of the last 7 nights (threshold {t})."
_DEPOSITS_DAY = "{v} deposit attempts in the last 24 hours (threshold {t})."
_DEPOSITS_WEEK = "{v} deposit attempts in the last 7 days (threshold {t})."
_RAISES = "Asked to raise or remove a limit {v} times in the last 30 days (threshold {t})."
_RETURNED = "{v} withdrawals returned to the balance in the last 30 days (threshold {t})."


def _count_rules(a: Activity, profile: RgProfile) -> list[Marker]:
    t = profile.markers
    rules = (
        (MarkerCode.TIME_PLAYED, a.hours_played_24h, t.hours_played_24h, _HOURS),
        (MarkerCode.NIGHT_PLAY, a.night_sessions_7d, t.night_sessions_7d, _NIGHTS),
        (MarkerCode.DEPOSIT_FREQUENCY, a.deposits_24h, t.deposits_24h, _DEPOSITS_DAY),
        (MarkerCode.DEPOSIT_FREQUENCY, a.deposits_7d, t.deposits_7d, _DEPOSITS_WEEK),
        (MarkerCode.LIMIT_RAISES, a.limit_raises_30d, t.limit_raises_30d, _RAISES),
        (MarkerCode.REVERSED_WITHDRAWALS, a.reversed_withdrawals_30d, t.reversed_withdrawals_30d, _RETURNED),
    )
    found: list[Marker] = []
    for code, value, threshold, text in rules:
        if value >= threshold and all(m.code != code for m in found):
            found.append(Marker(code, a.currency, value, threshold, text.format(v=value, t=threshold)))
    return found


def _amount_rules(a: Activity, profile: RgProfile) -> list[Marker]:
    found: list[Marker] = []
    loss_threshold = profile.markers.loss_24h.get(a.currency)
    if loss_threshold is not None and a.loss_24h >= loss_threshold:
        reason = (
            f"Lost {_money(a.loss_24h, a.currency)} in the last 24 hours "
            f"(threshold {_money(loss_threshold, a.currency)})."
        )
        found.append(Marker(MarkerCode.LOSS_VELOCITY, a.currency, a.loss_24h, loss_threshold, reason))
    check = profile.net_deposit_check.get(a.currency)
    if check is not None and a.net_deposits_30d >= check:
        reason = (
            f"Net deposits of {_money(a.net_deposits_30d, a.currency)} in the last 30 days reached "
            f"{_money(check, a.currency)}: check the player can afford it (financial vulnerability)."
        )
        found.append(Marker(MarkerCode.NET_DEPOSITS, a.currency, a.net_deposits_30d, check, reason))
    return found


def evaluate(activity: Activity, profile: RgProfile) -> list[Marker]:
    """Every marker the activity triggers under the profile's thresholds, with its reason."""
    return _amount_rules(activity, profile) + _count_rules(activity, profile)
