"""A player's preferences: language, time zone, favourite games; what a valid choice is."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from zoneinfo import available_timezones

from casino_app.domain.errors import InvalidInput

LANGUAGES: tuple[str, ...] = ("en", "pl")
MAX_FAVOURITES = 12
_GAME_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


@dataclass(frozen=True)
class Preferences:
    """Empty language or zone: not chosen yet (the browser's own is used)."""

    language: str = ""
    time_zone: str = ""
    favourite_games: tuple[str, ...] = ()


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise InvalidInput(f"Choose one of the languages we speak: {', '.join(LANGUAGES)}.")
    return language


def check_time_zone(zone: str) -> str:
    if zone not in _zones():
        raise InvalidInput("Choose a time zone from the list (for example Europe/Warsaw).")
    return zone


def check_favourites(codes: tuple[str, ...], known: frozenset[str]) -> tuple[str, ...]:
    """Known game codes, each once, at most MAX_FAVOURITES, in the player's order."""
    if len(codes) > MAX_FAVOURITES:
        raise InvalidInput(f"Keep at most {MAX_FAVOURITES} favourite games.")
    if len(set(codes)) != len(codes):
        raise InvalidInput("A game can be a favourite only once.")
    for code in codes:
        if not _GAME_CODE.match(code) or code not in known:
            raise InvalidInput("That game is not in our catalogue.")
    return codes


def toggled(favourites: tuple[str, ...], code: str) -> tuple[str, ...]:
    """The favourites with `code` added at the end, or removed when it was there."""
    return tuple(c for c in favourites if c != code) if code in favourites else (*favourites, code)
