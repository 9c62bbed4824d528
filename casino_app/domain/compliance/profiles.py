"""Jurisdiction profiles for responsible gaming, as data (GB, MT, SE, DE, ON, and the default).

Differences between jurisdictions are values here, never branches in code. The default
profile (players from anywhere else) is the strictest reasonable one: the longest cooling-off
(Germany's seven days), a reality check at least every hour that cannot be switched off, and
the financial-vulnerability check in every currency. A deployment may pin one profile for
everybody (`settings.rg_profile`); otherwise the player's country picks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

DEFAULT_CODE = "DEFAULT"


@dataclass(frozen=True)
class Helpline:
    """An organisation that helps with gambling problems, shown whenever play is refused."""

    name: str
    phone: str
    url: str

    @property
    def text(self) -> str:
        return f"{self.name}: {self.phone} ({self.url})" if self.phone else f"{self.name} ({self.url})"


@dataclass(frozen=True)
class MarkerThresholds:
    """When a marker of harm fires (per player and currency; amounts in minor units)."""

    loss_24h: Mapping[str, int] = field(
        default_factory=lambda: {"EUR": 500_00, "GBP": 500_00, "USD": 500_00, "PLN": 2_000_00}
    )
    deposits_24h: int = 5
    deposits_7d: int = 15
    night_sessions_7d: int = 3  # nights (00:00-06:00 local) with play in the last 7 days
    limit_raises_30d: int = 2
    reversed_withdrawals_30d: int = 2
    hours_played_24h: int = 8  # distinct hours with play in the last 24 hours


@dataclass(frozen=True)
class RgProfile:
    code: str
    name: str
    cooling_off: timedelta  # before a raise or removal can be confirmed (docs/RESPONSIBLE_GAMING.md)
    confirm_window: timedelta = timedelta(days=7)  # after the cooling-off; then the raise expires
    timeout_min: timedelta = timedelta(hours=24)
    timeout_max: timedelta = timedelta(days=30)
    timeout_options: tuple[timedelta, ...] = (
        timedelta(hours=24),
        timedelta(days=2),
        timedelta(days=7),
        timedelta(days=14),
        timedelta(days=30),
    )
    self_exclusion_min_months: int = 6  # GB: at least 6 months (LCCP SR 3.5.1)
    reality_intervals: tuple[int, ...] = (15, 30, 45, 60, 90, 120)  # minutes a player may choose
    reality_required_max: int | None = None  # minutes: a reality check at least this often, always on
    session_limit_minutes: tuple[int, ...] = (30, 60, 90, 120, 180, 240)
    session_break: timedelta = timedelta(minutes=30)  # after a session limit, before the next session
    limit_review_every: timedelta = timedelta(days=182)  # prompt a limit review every 6 months
    net_deposit_check: Mapping[str, int] = field(default_factory=dict)  # 30-day net deposits per currency
    markers: MarkerThresholds = field(default_factory=MarkerThresholds)
    helplines: tuple[Helpline, ...] = ()
    timezone: str = "UTC"  # what "night" means for the night-play marker

    @property
    def contacts(self) -> str:
        """The helplines in one line, for refusals and mails."""
        return " · ".join(h.text for h in self.helplines)

    def reality_options(self) -> tuple[int, ...]:
        """The intervals this profile lets a player choose (all of them when none is required)."""
        cap = self.reality_required_max
        return tuple(m for m in self.reality_intervals if cap is None or m <= cap)


GAMBLING_THERAPY = Helpline("Gambling Therapy (international)", "", "www.gamblingtherapy.org")

PROFILES: dict[str, RgProfile] = {
    "GB": RgProfile(
        "GB",
        "Great Britain",
        cooling_off=timedelta(hours=24),
        net_deposit_check={"GBP": 150_00},  # UKGC SR 3.4.4 financial vulnerability check
        helplines=(
            Helpline("National Gambling Helpline (GamCare)", "0808 8020 133", "www.gamcare.org.uk"),
            Helpline("GAMSTOP self-exclusion", "", "www.gamstop.co.uk"),
            Helpline("BeGambleAware", "", "www.begambleaware.org"),
        ),
        timezone="Europe/London",
    ),
    "MT": RgProfile(
        "MT",
        "Malta",
        cooling_off=timedelta(hours=24),
        helplines=(
            Helpline("Supportline (Sedqa, FSWS)", "179", "fsws.gov.mt"),
            Helpline("Responsible Gaming Foundation", "", "www.rgf.org.mt"),
            GAMBLING_THERAPY,
        ),
        timezone="Europe/Malta",
    ),
    "SE": RgProfile(
        "SE",
        "Sweden",
        cooling_off=timedelta(hours=72),
        helplines=(
            Helpline("Stödlinjen", "020-81 91 00", "www.stodlinjen.se"),
            Helpline("Spelpaus self-exclusion", "", "www.spelpaus.se"),
        ),
        timezone="Europe/Stockholm",
    ),
    "DE": RgProfile(
        "DE",
        "Germany",
        cooling_off=timedelta(days=7),  # GlüStV 2021 §6c: a raised limit applies after seven days
        helplines=(
            Helpline("BZgA Beratungstelefon Glücksspielsucht", "0800 1 37 27 00", "www.check-dein-spiel.de"),
        ),
        timezone="Europe/Berlin",
    ),
    "ON": RgProfile(
        "ON",
        "Ontario",
        cooling_off=timedelta(hours=24),
        helplines=(
            Helpline("ConnexOntario", "1-866-531-2600", "www.connexontario.ca"),
            Helpline("Responsible Gambling Council", "", "www.responsiblegambling.org"),
        ),
        timezone="America/Toronto",
    ),
    DEFAULT_CODE: RgProfile(
        DEFAULT_CODE,
        "International (strictest)",
        cooling_off=timedelta(days=7),
        reality_required_max=60,
        net_deposit_check={"GBP": 150_00, "EUR": 175_00, "USD": 190_00, "PLN": 750_00},
        helplines=(GAMBLING_THERAPY,),
    ),
}
# The player's country -> the profile of the licence they play under.
COUNTRY_PROFILES: dict[str, str] = {"GB": "GB", "MT": "MT", "SE": "SE", "DE": "DE", "CA": "ON"}


def profile_for(country: str, pinned: str = "") -> RgProfile:
    """The profile a player plays under: the deployment's pinned one, else their country's."""
    if pinned:
        return PROFILES.get(pinned.upper(), PROFILES[DEFAULT_CODE])
    return PROFILES[COUNTRY_PROFILES.get((country or "").upper(), DEFAULT_CODE)]


def profile(code: str) -> RgProfile:
    return PROFILES.get(code, PROFILES[DEFAULT_CODE])
