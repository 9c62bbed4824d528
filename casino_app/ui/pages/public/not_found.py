"""The styled 404: plain words in the reader's language and the ways back."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.design import error_state
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page

NOT_FOUND_ROUTE = "404"  # Reflex serves this page for every unknown path


@player_page(route=NOT_FOUND_ROUTE, title="Page not found", guard=False)
def not_found() -> rx.Component:
    return rx.box(
        error_state(
            "404",
            tr("notfound.title"),
            tr("notfound.hint"),
            rx.link(rx.button(rx.icon("house"), tr("notfound.to_lobby"), size="3"), href=routes.LOBBY),
            rx.link(
                rx.button(rx.icon("life_buoy"), tr("notfound.to_help"), size="3", variant="soft"),
                href=routes.RESPONSIBLE,
            ),
        ),
        id="not-found",
        width="100%",
    )
