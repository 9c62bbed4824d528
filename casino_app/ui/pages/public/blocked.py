"""Where a player lands after a time-out or self-exclusion: what is in force and where to find help."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.rg import helpline_list
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.rg_play import BlockedState


@player_page(route=routes.RG_BLOCKED, title="Account closed for play", guard=False, on_load=BlockedState.load)
def blocked_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Your account is closed for play", size="6"),
        rx.callout(
            BlockedState.text, icon="shield_off", color_scheme="amber", width="100%", id="block-message"
        ),
        rx.card(
            rx.vstack(
                rx.heading("If you need to talk to someone", size="4"),
                rx.text(
                    "These organisations give free, confidential help with gambling problems:",
                    size="2",
                    color_scheme="gray",
                ),
                helpline_list(BlockedState.helplines),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        rx.text(
            "Your balance and any pending withdrawals are still paid out. Write to support if you need them.",
            size="2",
            color_scheme="gray",
        ),
        rx.link("Home", href=routes.LOBBY, size="2"),
        spacing="4",
        width="100%",
        max_width="760px",
        margin_x="auto",
    )
