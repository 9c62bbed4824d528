"""Where a player lands after a time-out or self-exclusion: what is in force and where to find help."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.design import COLOUR, SPACE, TYPE, page_header
from casino_app.ui.components.rg import helpline_list
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.rg.play import BlockedState


@player_page(route=routes.RG_BLOCKED, title="Account closed for play", guard=False, on_load=BlockedState.load)
def blocked_page() -> rx.Component:
    return rx.vstack(
        page_header(tr("blocked.title")),
        rx.callout(
            BlockedState.text, icon="shield_off", color_scheme="amber", width="100%", id="block-message"
        ),
        rx.card(
            rx.vstack(
                rx.heading(tr("blocked.talk_title"), size="4"),
                rx.text(tr("blocked.helplines_intro"), size=TYPE["small"], color=COLOUR["muted"]),
                helpline_list(BlockedState.helplines),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        rx.text(tr("blocked.balance_note"), size=TYPE["small"], color=COLOUR["muted"]),
        rx.link(tr("blocked.home"), href=routes.LOBBY, size="2"),
        spacing=SPACE["loose"],
        width="100%",
        max_width="760px",
        margin_x="auto",
    )
