"""Back office: lotto draws per game (state, commitment, root, tickets, stakes, settlement), cancel."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.layouts.operator import operator_page
from casino_app.ui.state.operator.draws import OpsDrawsState


def _fact(label: str, value: rx.Var) -> rx.Component:
    return rx.text(rx.text.strong(label), " ", rx.code(value), size="1", style={"word_break": "break-all"})


def draw_card(d: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(d.code, weight="medium", class_name="draw-code"),
                rx.badge(d.status, variant="soft", class_name="draw-status"),
                rx.spacer(),
                rx.text("draw ", d.draw_at, " · sales close ", d.closes_at, size="1", color_scheme="gray"),
                width="100%",
                align="center",
                wrap="wrap",
            ),
            _fact("Commitment", d.commitment),
            _fact("Ticket root", d.ticket_root),
            rx.text(
                "Numbers ", rx.text.strong(d.numbers), " · ", d.tickets, " · stakes ", d.stakes, size="2"
            ),
            rx.cond(d.jackpot != "", rx.text("Jackpot: ", d.jackpot, size="2", class_name="jackpot-figures")),
            rx.foreach(d.tiers, lambda t: rx.text(t, size="1", class_name="tier-figure")),
            rx.cond(
                d.cancellable,
                rx.button(
                    "Cancel this draw with the reason",
                    on_click=OpsDrawsState.cancel(d.id),
                    color_scheme="red",
                    variant="soft",
                    size="2",
                    class_name="cancel-draw",
                ),
            ),
            spacing="2",
            width="100%",
            align="start",
        ),
        width="100%",
        class_name="ops-draw",
    )


@operator_page(route=routes.OPS_DRAWS, title="Draws", permission="ops.draws.view", on_load=OpsDrawsState.load)
def operator_draws() -> rx.Component:
    return rx.vstack(
        rx.heading("Draws", size="6"),
        rx.text(
            "Each game's draws, latest first: the seed commitment published before sales, the ticket "
            "root fixed at close, tickets and stakes, and once settled the winners and amounts per tier "
            "and the jackpot before and after. A draw not drawn yet can be cancelled with a reason "
            "(audited): every stake is refunded.",
            size="2",
            color_scheme="gray",
        ),
        error_callout(OpsDrawsState.error, "ops-draws-error"),
        rx.hstack(
            rx.select(
                OpsDrawsState.games,
                value=OpsDrawsState.game,
                on_change=OpsDrawsState.pick_game,
                id="draw-game",
                custom_attrs={"aria-label": "Game"},
            ),
            rx.input(
                value=OpsDrawsState.reason,
                on_change=OpsDrawsState.set_reason,
                id="cancel-reason",
                placeholder="Reason for a cancellation, e.g. RNG self-test failed",
                width="100%",
            ),
            width="100%",
        ),
        rx.cond(
            OpsDrawsState.draws.length() > 0,
            rx.vstack(rx.foreach(OpsDrawsState.draws, draw_card), width="100%"),
            rx.text("No draws yet.", color_scheme="gray"),
        ),
        rx.button(rx.icon("refresh_cw"), "Refresh", on_click=OpsDrawsState.load, variant="soft"),
        spacing="4",
        width="100%",
    )
