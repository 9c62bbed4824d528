"""The tab's language and time zone: cookies, the browser's wishes, the player's preferences.

A first visit takes the language from the browser's Accept-Language and the zone from its
`Intl` settings; a signed-in player's saved preferences win afterwards; a switch is instant
(the page text is inlined in both languages, `ui/i18n/text.py`) and the page's loaders run again
so amounts and dates are formatted anew on the server.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import reflex as rx

from casino_app.domain.errors import DomainError
from casino_app.services.identity.accounts import preferences
from casino_app.ui.i18n.catalog import LANGUAGES, from_accept_language, supported
from casino_app.ui.i18n.formats import valid_zone
from casino_app.ui.registry import loaders_of
from casino_app.ui.services import call, now, uow
from casino_app.ui.state.session.locale import LocaleState
from casino_app.ui.state.session.session import SessionState

BROWSER_ZONE = "Intl.DateTimeFormat().resolvedOptions().timeZone"


def document_language(lang: str) -> Any:
    """The page's `<html lang>` in the tab's language, so screen readers pronounce it right."""
    return rx.call_script(f"document.documentElement.lang = {json.dumps(supported(lang))}")


class PrefsState(rx.State):
    """Settles and changes the tab's `LocaleState` (its cookies) and the player's saved choice."""

    _adopted_for: int | None = None

    @rx.event
    async def detect(self) -> Any:
        """On every page load: settle the language and zone before the page's loaders format."""
        locale = await self.get_state(LocaleState)
        if locale.lang not in LANGUAGES:
            locale.lang = from_accept_language(self.router.headers.accept_language)
        await self._adopt_saved_preferences(locale)
        events = [document_language(locale.lang)]
        if not locale.zone:
            events.append(rx.call_script(BROWSER_ZONE, callback=PrefsState.set_browser_zone))
        return events

    async def _adopt_saved_preferences(self, locale: LocaleState) -> None:
        session = await self.get_state(SessionState)
        player_id = session._player_id()
        if player_id is None or self._adopted_for == player_id:
            return
        self._adopted_for = player_id
        saved = await call(preferences.preferences_of, uow(), session._actor())
        if saved.language:
            locale.lang = saved.language
        if saved.time_zone:
            locale.zone = saved.time_zone

    @rx.event
    async def set_browser_zone(self, zone: str) -> Any:
        """The browser's own zone, on a first visit; the page is formatted again in it."""
        locale = await self.get_state(LocaleState)
        if locale.zone:
            return None
        locale.zone = valid_zone(zone if isinstance(zone, str) else "")
        return loaders_of(self.router.page.path)

    @rx.event
    async def choose_language(self, lang: str) -> Any:
        """The language switch: instant for text; amounts and dates come back re-formatted."""
        locale = await self.get_state(LocaleState)
        locale.lang = supported(lang if isinstance(lang, str) else "")
        return [document_language(locale.lang), *await self._save_and_reload(language=locale.lang)]

    @rx.event
    async def choose_zone(self, zone: str) -> Any:
        locale = await self.get_state(LocaleState)
        locale.zone = valid_zone(zone if isinstance(zone, str) else "")
        return await self._save_and_reload(time_zone=locale.zone)

    async def _save_and_reload(self, **change: str) -> Any:
        """Keep a signed-in player's choice, then format the balance and the page anew."""
        session = await self.get_state(SessionState)
        if session._player_id() is not None:
            # An unknown zone or language was already mapped to a valid one above.
            with contextlib.suppress(DomainError):
                await call(preferences.update_preferences, uow(), session._actor(), now(), **change)
            await session._refresh_balance()
        return loaders_of(self.router.page.path)
