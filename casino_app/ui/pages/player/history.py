"""History: tickets with their status and the draw results."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import number_row, status_badge
from casino_app.ui.components.design import COLOUR, SPACE, TYPE, empty_state, money, page_header
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.games.casino import CasinoState
from casino_app.ui.state.player.history import HistoryState


def ticket_card(t: rx.Var) -> rx.Component:
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
            rx.text(tr("history.your_numbers"), size=TYPE["fine"], color=COLOUR["muted"]),
            rx.vstack(
                rx.foreach(t.lines, lambda line: number_row(line, highlight=numbers)),
                spacing="1",
            ),
            rx.cond(
                numbers.length() > 0,
                rx.vstack(
                    rx.text(
                        tr("history.drawn_numbers"),
                        " · ",
                        t.matches,
                        size=TYPE["fine"],
                        color=COLOUR["muted"],
                    ),
                    number_row(numbers, highlight=numbers, size="1.7em"),
                    spacing="1",
                ),
                rx.text(tr("history.draw"), " ", t.draw, size=TYPE["fine"], color=COLOUR["muted"]),
            ),
            rx.hstack(
                rx.text(tr("history.stake"), " ", t.stake, size=TYPE["small"]),
                rx.spacer(),
                rx.cond(
                    (t.status == "win") | (t.status == "push"),
                    money(rx.text.span(tr("history.won"), " ", t.win), gain=True),
                ),
                width="100%",
                align="center",
            ),
            rx.button(
                rx.icon("download", size=14),
                tr("history.signed_receipt"),
                size="1",
                variant="soft",
                on_click=CasinoState.download_receipt(t.validation),
                class_name="download-receipt",
            ),
            spacing=SPACE["snug"],
            width="100%",
        ),
        width="100%",
        class_name="ticket",
    )


@player_page(route=routes.HISTORY, title="History", on_load=HistoryState.load)
def history() -> rx.Component:
    return rx.vstack(
        page_header(
            tr("history.title"),
            tr("history.subtitle"),
            rx.button(
                rx.icon("refresh_cw"),
                tr("history.refresh"),
                on_click=HistoryState.load,
                variant="soft",
                id="refresh-history",
            ),
        ),
        rx.cond(
            HistoryState.tickets.length() > 0,
            rx.grid(
                rx.foreach(HistoryState.tickets, ticket_card),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing=SPACE["normal"],
                width="100%",
            ),
            rx.card(
                empty_state(
                    "ticket",
                    tr("history.no_tickets"),
                    "",
                    rx.link(tr("history.buy_first"), href=routes.PLAY),
                ),
                width="100%",
            ),
        ),
        spacing=SPACE["loose"],
        width="100%",
    )
