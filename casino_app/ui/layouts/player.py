"""The player layout and the `@player_page` decorator that registers pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.demo import demo_banner
from casino_app.ui.registry import PAGES, PageSpec
from casino_app.ui.state.demo import DemoState
from casino_app.ui.state.prefs import PrefsState
from casino_app.ui.state.session import SessionState

__all__ = ["PAGES", "player_page"]

NAV = (
    ("Lobby", routes.LOBBY, "house"),
    ("Play", routes.PLAY, "ticket"),
    ("Wallet", routes.WALLET, "wallet"),
    ("History", routes.HISTORY, "history"),
    ("Dice", routes.DICE, "dices"),
    ("Roulette", routes.ROULETTE, "circle_dot"),
    ("Slots", routes.SLOTS, "cherry"),
    ("Privacy", routes.PRIVACY, "shield_check"),
    ("Safer gambling", routes.RESPONSIBLE, "life_buoy"),
)
# Phones get a bottom tab bar: five thumb-sized targets; Privacy and Safer gambling are in the footer.
TABS = (*NAV[:4], ("Account", routes.ACCOUNT, "user_round"))


def brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("clover", color=rx.color("amber", 9)),
            rx.heading("Kasyno Lotto", size=rx.breakpoints(initial="4", sm="5"), white_space="nowrap"),
            spacing="2",
            align="center",
        ),
        href=routes.LOBBY,
        underline="none",
        color="inherit",
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
                rx.hstack(rx.icon(icon, size=16), rx.text(label), spacing="1", align="center"),
                href=href,
                color_scheme="gray",
                high_contrast=True,
                underline="none",
                size="2",
                padding_x="0.5em",
                flex_shrink="0",
                white_space="nowrap",
            )
            for label, href, icon in NAV
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
        rx.hstack(
            *[
                rx.link(
                    rx.vstack(rx.icon(icon, size=20), rx.text(label, size="1"), spacing="0", align="center"),
                    href=href,
                    color_scheme="gray",
                    high_contrast=True,
                    underline="none",
                    flex="1",
                    padding_y="0.45em",
                    aria_label=label,
                )
                for label, href, icon in TABS
            ],
            position="fixed",
            bottom="0",
            left="0",
            right="0",
            z_index="10",
            spacing="0",
            justify="between",
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
                    rx.icon("user_round", size=18), variant="soft", size="2", aria_label="Account"
                ),
                href=routes.ACCOUNT,
                id="account-link",
                title="Account and security",
            ),
            rx.button(
                rx.icon("log_out", size=16),
                rx.text("Log out", display=rx.breakpoints(initial="none", sm="inline")),
                on_click=SessionState.logout,
                variant="ghost",
                size="2",
                id="logout",
                aria_label="Log out",
            ),
            spacing="2",
            align="center",
        ),
        rx.hstack(
            rx.link(rx.button("Log in", variant="soft", size="2"), href=routes.LOGIN),
            rx.link(rx.button("Join", size="2"), href=routes.REGISTER),
            spacing="2",
        ),
    )


def header() -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.hstack(
                brand(),
                rx.spacer(),
                balance_pill(),
                account_menu(),
                align="center",
                width="100%",
                spacing="3",
            ),
            rx.cond(SessionState.is_player, nav_links()),
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
    return rx.vstack(
        rx.text(
            "18+ only. Play responsibly. Results are provably fair: every draw publishes its "
            "seed commitment before sales open.",
            size="1",
            color_scheme="gray",
            text_align="center",
        ),
        rx.hstack(
            rx.cond(SessionState.is_player, rx.link("Your data", href=routes.PRIVACY, size="1")),
            rx.cond(
                SessionState.is_player,
                rx.link("Safer gambling", href=routes.RESPONSIBLE, size="1", id="rg-link"),
            ),
            rx.link("Terms", href=routes.TERMS, size="1"),
            rx.link("Privacy notice", href=routes.PRIVACY_NOTICE, size="1"),
            spacing="4",
            justify="center",
            wrap="wrap",
        ),
        align="center",
        spacing="2",
        padding="2em 1em",
        # Room for the phone tab bar.
        padding_bottom=rx.breakpoints(initial="6em", md="2em"),
    )


def player_layout(content: rx.Component) -> rx.Component:
    return rx.box(
        demo_banner(),
        header(),
        rx.box(content, width="100%", max_width="1100px", margin_x="auto", padding="1em"),
        footer(),
        tab_bar(),
        min_height="100vh",
    )


def player_page(route: str, title: str, *, guard: bool = True, on_load: Any = None):
    """Register a player page with the layout; `guard` redirects guests to the login."""

    def decorator(fn: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        # The language and zone first: the page's loaders format amounts and dates in them.
        loads = (
            [PrefsState.detect, DemoState.detect]
            + ([SessionState.guard_player] if guard else [])
            + (on_load if isinstance(on_load, list) else [on_load] if on_load else [])
        )
        PAGES.append(PageSpec(route, f"{title} · Kasyno Lotto", lambda: player_layout(fn()), loads))
        return fn

    return decorator
