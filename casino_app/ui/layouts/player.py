"""The player layout and the `@player_page` decorator that registers pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.a11y import FOCUS_STYLE, MAIN_ID, skip_link
from casino_app.ui.components.demo import demo_banner
from casino_app.ui.components.live import inbox_badge, live_listener
from casino_app.ui.i18n.catalog import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES
from casino_app.ui.i18n.text import tr
from casino_app.ui.registry import PAGES, PageSpec
from casino_app.ui.state.session.demo import DemoState
from casino_app.ui.state.session.live import LiveState
from casino_app.ui.state.session.locale import LocaleState
from casino_app.ui.state.session.prefs import PrefsState
from casino_app.ui.state.session.session import SessionState

__all__ = ["PAGES", "player_page"]

# (catalog key of the label, route, icon)
NAV = (
    ("nav.lobby", routes.LOBBY, "house"),
    ("nav.play", routes.PLAY, "ticket"),
    ("nav.wallet", routes.WALLET, "wallet"),
    ("nav.history", routes.HISTORY, "history"),
    ("nav.dice", routes.DICE, "dices"),
    ("nav.roulette", routes.ROULETTE, "circle_dot"),
    ("nav.slots", routes.SLOTS, "cherry"),
    ("nav.privacy", routes.PRIVACY, "shield_check"),
    ("nav.safer_gambling", routes.RESPONSIBLE, "life_buoy"),
)
# Phones get a bottom tab bar: five thumb-sized targets; Privacy and Safer gambling are in the footer.
TABS = (*NAV[:4], ("nav.account", routes.ACCOUNT, "user_round"))
# Header buttons are smaller on phones, so the brand, balance, language switch and sign-in fit.
COMPACT = rx.breakpoints(initial="1", sm="2")


def brand(*, compact: bool = False) -> rx.Component:
    """The clover and the name; `compact`: the clover alone on a phone (a signed-in header is full)."""
    name_display = rx.breakpoints(initial="none", sm="block") if compact else "block"
    return rx.link(
        rx.hstack(
            rx.icon("clover", color=rx.color("amber", 9)),
            rx.heading(
                tr("common.brand"),
                as_="span",  # the page's own title is its one h1
                size=rx.breakpoints(initial="3", sm="5"),
                white_space="nowrap",
                display=name_display,
            ),
            spacing="2",
            align="center",
        ),
        href=routes.LOBBY,
        underline="none",
        color="inherit",
        aria_label=tr("common.brand"),
    )


def balance_pill() -> rx.Component:
    return rx.cond(
        SessionState.is_player,
        rx.link(
            rx.badge(
                rx.icon("wallet", size=14),
                rx.text(SessionState.balance_text, id="balance"),
                size="3",
                color_scheme="amber",
                variant="soft",
                radius="full",
            ),
            href=routes.WALLET,
            underline="none",
        ),
    )


def nav_links() -> rx.Component:
    return rx.hstack(
        *[
            rx.link(
                rx.hstack(rx.icon(icon, size=16), rx.text(tr(key)), spacing="1", align="center"),
                href=href,
                color_scheme="gray",
                high_contrast=True,
                underline="none",
                size="2",
                padding_x="0.5em",
                flex_shrink="0",
                white_space="nowrap",
            )
            for key, href, icon in NAV
        ],
        spacing="1",
        overflow_x="auto",
        max_width="100%",
        width="100%",
        display=rx.breakpoints(initial="none", md="flex"),
    )


def tab_bar() -> rx.Component:
    """The phone navigation, fixed at the bottom within reach of a thumb."""
    return rx.cond(
        SessionState.is_player,
        rx.el.nav(
            *[
                rx.link(
                    rx.vstack(
                        rx.icon(icon, size=20), rx.text(tr(key), size="1"), spacing="0", align="center"
                    ),
                    href=href,
                    color_scheme="gray",
                    high_contrast=True,
                    underline="none",
                    flex="1",
                    padding_y="0.45em",
                    aria_label=tr(key),
                )
                for key, href, icon in TABS
            ],
            aria_label=tr("nav.main_navigation"),
            position="fixed",
            bottom="0",
            left="0",
            right="0",
            z_index="10",
            justify_content="space-between",
            padding_bottom="env(safe-area-inset-bottom)",
            background=rx.color("gray", 2),
            border_top=f"1px solid {rx.color('gray', 5)}",
            display=rx.breakpoints(initial="flex", md="none"),
            id="tab-bar",
        ),
    )


def account_menu() -> rx.Component:
    return rx.cond(
        SessionState.is_player,
        rx.hstack(
            rx.link(
                rx.icon_button(
                    rx.icon("user_round", size=18), variant="soft", size="2", aria_label=tr("nav.account")
                ),
                href=routes.ACCOUNT,
                id="account-link",
                title=tr("nav.account_and_security"),
                display=rx.breakpoints(initial="none", md="block"),  # phones: the tab bar has it
            ),
            rx.button(
                rx.icon("log_out", size=16),
                rx.text(tr("nav.log_out"), display=rx.breakpoints(initial="none", sm="inline")),
                on_click=SessionState.logout,
                variant="ghost",
                size="2",
                id="logout",
                aria_label=tr("nav.log_out"),
            ),
            spacing="2",
            align="center",
        ),
        rx.hstack(
            rx.link(rx.button(tr("nav.log_in"), variant="soft", size=COMPACT), href=routes.LOGIN),
            rx.link(rx.button(tr("nav.join"), size=COMPACT), href=routes.REGISTER),
            spacing="2",
        ),
    )


def language_switch() -> rx.Component:
    """EN / PL for everyone, in the header: page text switches at once, figures are re-formatted."""
    current = rx.cond(LocaleState.lang == "", DEFAULT_LANGUAGE, LocaleState.lang)
    return rx.hstack(
        *[
            rx.button(
                code.upper(),
                on_click=PrefsState.choose_language(code),
                variant=rx.cond(current == code, "solid", "ghost"),
                color_scheme=rx.cond(current == code, "amber", "gray"),
                size="1",
                radius="full",
                id=f"lang-{code}",
                title=LANGUAGE_NAMES[code],
                custom_attrs={"lang": code, "aria-pressed": current == code},
                padding_x="0.55em",
            )
            for code in LANGUAGES
        ],
        spacing="0",
        align="center",
        padding="2px",
        border_radius="9999px",
        border=f"1px solid {rx.color('gray', 6)}",
        flex_shrink="0",
        role="group",
        id="language-switch",
        aria_label=tr("common.language"),
    )


def header() -> rx.Component:
    return rx.el.header(
        rx.vstack(
            rx.hstack(
                rx.cond(SessionState.is_player, brand(compact=True), brand()),
                rx.spacer(),
                rx.cond(SessionState.is_player, inbox_badge()),
                balance_pill(),
                language_switch(),
                account_menu(),
                live_listener(),
                align="center",
                width="100%",
                spacing=rx.breakpoints(initial="2", sm="3"),
                wrap="wrap",  # a 390 px phone in Polish: nothing overflows, the row wraps instead
            ),
            rx.cond(
                SessionState.is_player,
                rx.el.nav(
                    nav_links(),
                    aria_label=tr("nav.main_navigation"),
                    width="100%",
                    display=rx.breakpoints(initial="none", md="block"),
                ),
            ),
            spacing="2",
            width="100%",
            max_width="1100px",
            margin_x="auto",
        ),
        padding_x="1em",
        padding_y="0.75em",
        position="sticky",
        top="0",
        z_index="10",
        background=rx.color("gray", 2),
        border_bottom=f"1px solid {rx.color('gray', 5)}",
    )


def footer() -> rx.Component:
    return rx.el.footer(
        rx.text(
            tr("common.footer_note"),
            size="1",
            color_scheme="gray",
            text_align="center",
        ),
        rx.hstack(
            rx.cond(SessionState.is_player, rx.link(tr("nav.your_data"), href=routes.PRIVACY, size="1")),
            rx.cond(
                SessionState.is_player,
                rx.link(tr("nav.safer_gambling"), href=routes.RESPONSIBLE, size="1", id="rg-link"),
            ),
            rx.link(tr("nav.terms"), href=routes.TERMS, size="1"),
            rx.link(tr("nav.privacy_notice"), href=routes.PRIVACY_NOTICE, size="1"),
            spacing="4",
            justify="center",
            wrap="wrap",
        ),
        display="flex",
        flex_direction="column",
        align_items="center",
        gap="0.5em",
        padding="2em 1em",
        # Room for the phone tab bar.
        padding_bottom=rx.breakpoints(initial="6em", md="2em"),
    )


def player_layout(content: rx.Component) -> rx.Component:
    return rx.box(
        skip_link(),
        demo_banner(),
        header(),
        rx.el.main(
            content,
            id=MAIN_ID,
            tab_index=-1,
            width="100%",
            max_width="1100px",
            margin_x="auto",
            padding="1em",
        ),
        footer(),
        tab_bar(),
        min_height="100vh",
        style=FOCUS_STYLE,
    )


def player_page(route: str, title: str, *, guard: bool = True, on_load: Any = None):
    """Register a player page with the layout; `guard` redirects guests to the login."""

    def decorator(fn: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        # The language and zone first: the page's loaders format amounts and dates in them.
        loads = (
            [PrefsState.detect, DemoState.detect]
            + ([SessionState.guard_player, LiveState.register] if guard else [])
            + (on_load if isinstance(on_load, list) else [on_load] if on_load else [])
        )
        PAGES.append(PageSpec(route, f"{title} · Kasyno Lotto", lambda: player_layout(fn()), loads))
        return fn

    return decorator
