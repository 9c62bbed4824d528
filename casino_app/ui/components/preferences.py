"""The account page's "Preferences" panel: language, time zone and favourite games.

Language and zone live in the tab's cookies and, for a signed-in player, in their saved
preferences (`PrefsState`, ui/state/session/prefs.py); a change re-formats the page at once.
"""

from __future__ import annotations

import reflex as rx

from casino_app.ui.components.design import COLOUR, TYPE, field_label, panel
from casino_app.ui.i18n.catalog import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES
from casino_app.ui.i18n.formats import DEFAULT_ZONE, zone_names
from casino_app.ui.i18n.text import tr
from casino_app.ui.state.player.account import AccountState, FavouriteRow
from casino_app.ui.state.session.locale import LocaleState
from casino_app.ui.state.session.prefs import PrefsState

# Offered first: where most of our players are; every other IANA zone follows.
COMMON_ZONES = (
    "Europe/Warsaw",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Vienna",
    "Europe/Prague",
    "Europe/Dublin",
    "Europe/Malta",
    DEFAULT_ZONE,
    "America/New_York",
    "America/Toronto",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Dubai",
    "Asia/Tokyo",
    "Australia/Sydney",
)
SELECT_STYLE = {
    "width": "100%",
    "height": "var(--space-7)",
    "padding": "0 0.75em",
    "border_radius": "var(--radius-3)",
    "border": f"1px solid {rx.color('gray', 7)}",
    "background": rx.color("gray", 1),
    "color": rx.color("gray", 12),
    "font_size": "var(--font-size-3)",
}


def _labelled(label: rx.Var, field_id: str, control: rx.Component) -> rx.Component:
    return rx.vstack(
        field_label(label, size=TYPE["small"], weight="medium", html_for=field_id),
        control,
        spacing="1",
        width="100%",
    )


def language_select() -> rx.Component:
    return _labelled(
        tr("common.language"),
        "language-select",
        rx.el.select(
            *[rx.el.option(LANGUAGE_NAMES[code], value=code) for code in LANGUAGES],
            value=rx.cond(LocaleState.lang == "", DEFAULT_LANGUAGE, LocaleState.lang),
            on_change=PrefsState.choose_language,
            id="language-select",
            class_name="native-select",
            style=SELECT_STYLE,
        ),
    )


def zone_select() -> rx.Component:
    """Common zones first, then every IANA zone (a native select: fast, searchable by typing)."""
    others = sorted(zone_names() - set(COMMON_ZONES))
    return _labelled(
        tr("common.time_zone"),
        "zone-select",
        rx.el.select(
            rx.el.optgroup(
                *[rx.el.option(z, value=z) for z in COMMON_ZONES], label=tr("account.common_zones")
            ),
            rx.el.optgroup(*[rx.el.option(z, value=z) for z in others], label=tr("account.all_zones")),
            value=rx.cond(LocaleState.zone == "", DEFAULT_ZONE, LocaleState.zone),
            on_change=PrefsState.choose_zone,
            id="zone-select",
            class_name="native-select",
            style=SELECT_STYLE,
        ),
    )


def favourite_row(game: rx.Var[FavouriteRow]) -> rx.Component:
    return rx.hstack(
        rx.text(game.name, size=TYPE["small"], weight="medium"),
        rx.spacer(),
        rx.icon_button(
            rx.icon("star", size=18, fill=rx.cond(game.starred, "currentColor", "none")),
            on_click=AccountState.toggle_favourite(game.code),
            variant="ghost",
            color_scheme=rx.cond(game.starred, "amber", "gray"),
            aria_label=rx.cond(game.starred, tr("lobby.unstar"), tr("lobby.star")),
            custom_attrs={"aria-pressed": game.starred, "data-game": game.code},
            class_name="favourite-toggle",
        ),
        width="100%",
        align="center",
        padding_y="0.25em",
        border_bottom=f"1px solid {COLOUR['line']}",
    )


def preferences_card() -> rx.Component:
    return panel(
        tr("account.preferences"),
        rx.text(tr("account.preferences_hint"), size=TYPE["fine"], color=COLOUR["muted"]),
        rx.grid(language_select(), zone_select(), columns=rx.breakpoints(initial="1", sm="2"), spacing="3"),
        rx.text(tr("account.favourite_games"), size=TYPE["small"], weight="medium"),
        rx.vstack(
            rx.foreach(AccountState.favourites, favourite_row), spacing="0", width="100%", id="favourites"
        ),
        rx.cond(
            AccountState.section_error.contains("preferences"),
            rx.text(AccountState.section_error["preferences"], size=TYPE["fine"], color=COLOUR["danger"]),
        ),
        test_id="preferences-card",
    )
