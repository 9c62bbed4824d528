"""The ticket checker, no sign-in: a validation number in; the ticket, its draw, its result out.

Its inclusion in the draw (the Merkle proof to the ticket root) and the draw itself are checked
in the reader's browser by assets/draw-verifier.js; the page shows what was bought and what it
paid, never who bought it.
"""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import number_row, status_badge
from casino_app.ui.components.design import COLOUR, SPACE, TYPE, page_header, panel
from casino_app.ui.components.draw_verify import field, verify_panel
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.pages.public.results import back_links, fact
from casino_app.ui.state.games.results import TicketCheckState


def ticket_form() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.input(
                name="number",
                id="ticket-number",
                value=TicketCheckState.number,
                on_change=TicketCheckState.set_number,
                placeholder=tr("results.ticket_placeholder"),
                aria_label=tr("results.ticket_number"),
                auto_complete="off",
                width="100%",
                size="3",
            ),
            rx.button(rx.icon("search"), tr("results.check"), type="submit", id="ticket-check", size="3"),
            width="100%",
            spacing=SPACE["snug"],
        ),
        on_submit=TicketCheckState.check,
        width="100%",
    )


def ticket_card() -> rx.Component:
    return panel(
        tr("results.ticket"),
        rx.hstack(
            rx.code(TicketCheckState.validation_number, id="ticket-validation", size="3"),
            status_badge(TicketCheckState.status),
            spacing=SPACE["snug"],
            align="center",
            wrap="wrap",
        ),
        fact(
            "results.draw",
            rx.link(TicketCheckState.draw_name, href=TicketCheckState.draw_link, id="ticket-draw"),
        ),
        rx.text(tr("results.lines"), size=TYPE["fine"], color=COLOUR["muted"]),
        rx.foreach(
            TicketCheckState.lines,
            lambda line: number_row(line, highlight=TicketCheckState.drawn_numbers, size="2em"),
        ),
        rx.text(tr("results.drawn_numbers"), size=TYPE["fine"], color=COLOUR["muted"]),
        number_row(TicketCheckState.drawn_numbers, size="1.8em"),
        rx.grid(
            fact("results.stake", TicketCheckState.stake),
            fact("results.result", TicketCheckState.outcome, "ticket-outcome"),
            columns="2",
            spacing=SPACE["normal"],
            width="100%",
        ),
        test_id="ticket-card",
    )


def ticket_verifier() -> rx.Component:
    return verify_panel(
        TicketCheckState.document,
        [
            field("verify.field_root", "ticket_root", TicketCheckState.ticket_root),
            field("verify.field_leaf", "leaf", TicketCheckState.leaf_json, multiline=True),
            field("verify.field_proof", "proof", TicketCheckState.proof_json, multiline=True),
        ],
        TicketCheckState.validation_number,
        test_id="ticket-verify",
    )


@player_page(route=routes.RESULTS_TICKET, title="Check a ticket", guard=False, on_load=TicketCheckState.load)
def ticket_page() -> rx.Component:
    return rx.vstack(
        page_header(tr("results.ticket_title"), tr("results.ticket_subtitle")),
        rx.card(ticket_form(), width="100%"),
        rx.cond(
            TicketCheckState.error != "",
            rx.callout(
                TicketCheckState.error,
                icon="circle_alert",
                color_scheme="tomato",
                id="ticket-error",
                width="100%",
            ),
        ),
        rx.cond(
            TicketCheckState.found,
            rx.grid(
                ticket_card(),
                ticket_verifier(),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing=SPACE["loose"],
                width="100%",
            ),
        ),
        back_links(),
        spacing=SPACE["loose"],
        width="100%",
    )
