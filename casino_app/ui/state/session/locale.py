"""The tab's language and time zone, kept in cookies so a reload keeps them.

`PrefsState` (ui/state/session/prefs.py) settles and changes them; every loader formats through
`formats_of(self)`; page text switches in the browser through `tr` (ui/i18n/text.py).
"""

from __future__ import annotations

import reflex as rx

from casino_app.ui.i18n.catalog import supported
from casino_app.ui.i18n.formats import Formats, valid_zone

YEAR = 365 * 24 * 3600


class LocaleState(rx.State):
    lang: str = rx.Cookie("", name="kl_lang", max_age=YEAR, same_site="lax")
    zone: str = rx.Cookie("", name="kl_zone", max_age=YEAR, same_site="lax")

    def _formats(self) -> Formats:
        return Formats(supported(self.lang), valid_zone(self.zone))


async def formats_of(state: rx.State) -> Formats:
    """How the tab of `state` shows money and dates (for any state's loader or handler)."""
    return (await state.get_state(LocaleState))._formats()


async def lang_of(state: rx.State) -> str:
    """The tab's language, for messages a handler builds (`text(lang, key)`)."""
    return supported((await state.get_state(LocaleState)).lang)
