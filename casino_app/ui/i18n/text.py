"""`tr(key)`: a catalog entry in the page, switching language in the browser without a round trip.

Page text is compiled to JavaScript once, so each use inlines the key's translations and picks
one by the tab's language var (`LocaleState.lang`); English until the cookie says otherwise.
Only what a page uses is inlined, never the whole catalog.
"""

from __future__ import annotations

import reflex as rx

from casino_app.ui.i18n.catalog import DEFAULT_LANGUAGE, LANGUAGES, translations
from casino_app.ui.state.session.locale import LocaleState


def tr(key: str) -> rx.Var:
    """The text of `key` in the tab's language, as a string var usable as a child or a prop."""
    values = translations(key)
    chosen: rx.Var = rx.Var.create(values[DEFAULT_LANGUAGE])
    for lang in LANGUAGES:
        if lang != DEFAULT_LANGUAGE:
            chosen = rx.cond(LocaleState.lang == lang, values[lang], chosen)
    return chosen
