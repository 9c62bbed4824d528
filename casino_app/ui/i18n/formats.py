"""Numbers, money and dates for people, per locale (Babel) and in the player's time zone.

Formatting happens on the server: the browser receives strings (Babel's output has
non-breaking spaces, "1 234,50 zł"). A `Formats` is built per event from the tab's language and
zone (`ui/state/session/prefs.py`); services hand over amounts in minor units and aware datetimes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_currency, format_decimal, format_percent

from casino_app.domain.money.amounts import CURRENCY_EXPONENT
from casino_app.ui.i18n.catalog import BABEL_LOCALES, DEFAULT_LANGUAGE, supported

DEFAULT_ZONE = "UTC"


@functools.cache
def zone_names() -> frozenset[str]:
    return frozenset(available_timezones()) | {DEFAULT_ZONE}


def valid_zone(name: str) -> str:
    """`name` when it is an IANA zone we know, UTC otherwise."""
    return name if name in zone_names() else DEFAULT_ZONE


@functools.cache
def _zone(name: str) -> tzinfo:
    return UTC if name == DEFAULT_ZONE else ZoneInfo(name)


@dataclass(frozen=True)
class Formats:
    """How one tab shows numbers and times: its language and its time zone."""

    lang: str = DEFAULT_LANGUAGE
    zone: str = DEFAULT_ZONE

    @property
    def locale(self) -> str:
        return BABEL_LOCALES[supported(self.lang)]

    @property
    def tz(self) -> tzinfo:
        return _zone(valid_zone(self.zone))

    def money(self, minor: int, currency: str) -> str:
        """12345, "PLN" -> "123,45 zł" (pl) / "PLN 123.45" (en)."""
        exponent = CURRENCY_EXPONENT.get(currency, 2)
        amount = Decimal(minor).scaleb(-exponent)
        text = format_currency(amount, currency, locale=self.locale)
        # Babel writes a bare code glued to the digits ("PLN1,234.50"); people read "PLN 1,234.50".
        return re.sub(r"^(-?)([A-Z]{3})(?=\d)", "\\1\\2\u00a0", text)

    def signed_money(self, minor: int, currency: str) -> str:
        """Like `money`, with a plus sign on gains ("+12,00 zł")."""
        text = self.money(minor, currency)
        return f"+{text}" if minor > 0 else text

    def number(self, value: int | float | Decimal) -> str:
        return format_decimal(value, locale=self.locale)

    def percent(self, ratio: float | Decimal, digits: int = 2) -> str:
        """0.9612 -> "96.12%" / "96,12%"."""
        pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
        return format_percent(ratio, format=pattern, locale=self.locale)

    def local(self, value: datetime) -> datetime:
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(self.tz)

    def when(self, value: datetime | None) -> str:
        """Date and time in the player's zone: "1 Dec 2026, 21:00" / "1 gru 2026, 21:00"."""
        if value is None:
            return ""
        return format_datetime(self.local(value), "d MMM y, HH:mm", locale=self.locale)

    def date(self, value: datetime | None) -> str:
        return format_date(self.local(value), "medium", locale=self.locale) if value else ""

    def time(self, value: datetime | None) -> str:
        return format_time(self.local(value), "HH:mm", locale=self.locale) if value else ""

    def day_and_time(self, value: datetime) -> str:
        """A draw's moment as people say it: "Tuesday 1 December, 21:00" / "wtorek 1 grudnia, 21:00"."""
        return format_datetime(self.local(value), "EEEE d MMMM, HH:mm", locale=self.locale)

    def draw_name(self, game_name: str, draw_at: datetime) -> str:
        """A draw as players name it instead of its code: "Lotto 6/49 · Tuesday 1 December, 21:00"."""
        return f"{game_name} · {self.day_and_time(draw_at)}"

    def zone_label(self) -> str:
        """The zone with its current offset: "Europe/Warsaw (UTC+01:00)"."""
        offset = datetime.now(self.tz).strftime("%z")
        return f"{valid_zone(self.zone)} (UTC{offset[:3]}:{offset[3:]})"
