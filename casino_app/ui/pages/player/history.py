"""History: tickets with their status and the draw results."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import number_row, status_badge
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.casino import CasinoState
from casino_app.ui.state.history import HistoryState


def ticket_card(t: rx.Var) -> rx.Component:
    selection = t.selection
    numbers = t.numbers
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(t.game, weight="bold"),
                status_badge(t.status),
                rx.spacer(),
                rx.code(t.validation, size="1"),
                width="100%",
                align="center",
                wrap="wrap",
            ),
            rx.text("Your numbers", size="1", color_scheme="gray"),
            number_row(selection, highlight=numbers),
            rx.cond(
                numbers.length() > 0,
                rx.vstack(
                    rx.text("Drawn numbers · ", t.matches, size="1", color_scheme="gray"),
                    number_row(numbers, highlight=numbers, size="1.7em"),
                    spacing="1",
                ),
                rx.text("Draw ", t.draw, " at ", t.draw_at, size="1", color_scheme="gray"),
            ),
            rx.hstack(
                rx.text("Stake ", t.stake, size="2"),
                rx.spacer(),
                rx.cond(
                    (t.status == "win") | (t.status == "push"),
                    rx.text("Won ", t.win, weight="bold", color=rx.color("grass", 11), size="3"),
                ),
                width="100%",
            ),
            rx.button(
                rx.icon("download", size=14),
                "Signed receipt",
                size="1",
                variant="soft",
                on_click=CasinoState.download_receipt(t.validation),
                class_name="download-receipt",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="ticket",
    )


@player_page(route=routes.HISTORY, title="History", on_load=HistoryState.load)
def history() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("My tickets", size="6"),
            rx.spacer(),
            rx.button(
                rx.icon("refresh_cw"),
                "Refresh",
                on_click=HistoryState.load,
                variant="soft",
                id="refresh-history",
            ),
            width="100%",
            align="center",
        ),
        rx.cond(
            HistoryState.tickets.length() > 0,
            rx.grid(
                rx.foreach(HistoryState.tickets, ticket_card),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="3",
                width="100%",
            ),
            rx.card(
                rx.vstack(rx.text("No tickets yet."), rx.link("Buy your first ticket", href=routes.PLAY)),
                width="100%",
            ),
        ),
        spacing="4",
        width="100%",
    )
