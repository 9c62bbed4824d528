"""Back office: differences between what providers moved and what the ledger booked."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.layouts.operator import operator_page
from casino_app.ui.state.operator.reconciliation import OpsReconciliationState


def item(i: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(i.provider, variant="soft"),
                rx.text(i.kind, weight="medium"),
                rx.spacer(),
                rx.text(i.order, size="1", color_scheme="gray"),
                width="100%",
                align="center",
                wrap="wrap",
            ),
            rx.text(i.summary, size="2"),
            rx.text(i.seen, size="1", color_scheme="gray"),
            rx.el.pre(  # the evidence as JSON; a plain block keeps the bundle free of a highlighter
                i.evidence,
                class_name="evidence",
                style={
                    "width": "100%",
                    "overflow_x": "auto",
                    "font_size": "12px",
                    "padding": "0.5em",
                    "border_radius": "6px",
                    "background": "var(--gray-a3)",
                    "white_space": "pre-wrap",
                    "word_break": "break-word",
                },
            ),
            rx.button(
                "Resolve with the note",
                on_click=OpsReconciliationState.resolve(i.id),
                size="2",
                variant="soft",
                class_name="resolve",
            ),
            spacing="2",
            width="100%",
            align="start",
        ),
        width="100%",
        class_name="reconciliation-item",
    )


def run(r: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.badge(r.provider, variant="soft"),
        rx.text(r.window, size="1"),
        rx.spacer(),
        rx.text(r.counts, size="1"),
        rx.text(r.ran, size="1", color_scheme="gray"),
        width="100%",
        wrap="wrap",
        class_name="reconciliation-run",
    )


@operator_page(
    route=routes.OPS_RECONCILIATION,
    title="Reconciliation",
    permission="ops.reconciliation.review",
    on_load=OpsReconciliationState.load,
)
def operator_reconciliation() -> rx.Component:
    return rx.vstack(
        rx.heading("Reconciliation", size="6"),
        rx.text(
            "Each provider's transactions are compared with the ledger every hour. Every difference "
            "waits here with both sides as evidence; refund, credit or correct it, then resolve it "
            "with a note saying what was done (audited).",
            size="2",
            color_scheme="gray",
        ),
        error_callout(OpsReconciliationState.error, "ops-reconciliation-error"),
        rx.input(
            value=OpsReconciliationState.note,
            on_change=OpsReconciliationState.set_note,
            id="resolution-note",
            placeholder="What was done, e.g. refunded at the provider, ref. re_123",
            width="100%",
        ),
        rx.cond(
            OpsReconciliationState.items.length() > 0,
            rx.vstack(rx.foreach(OpsReconciliationState.items, item), width="100%"),
            rx.text("No open differences.", color_scheme="gray", id="reconciliation-clean"),
        ),
        rx.heading("Recent runs", size="3"),
        rx.vstack(rx.foreach(OpsReconciliationState.runs, run), width="100%", spacing="1"),
        rx.button(rx.icon("refresh_cw"), "Refresh", on_click=OpsReconciliationState.load, variant="soft"),
        spacing="4",
        width="100%",
    )
