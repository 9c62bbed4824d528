"""Back office: pay or reject requested withdrawals."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.layouts.operator import operator_page
from casino_app.ui.state.ops_withdrawals import OpsWithdrawalsState


def row(w: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(w.player, weight="medium"),
            rx.text("Requested ", w.requested, size="1", color_scheme="gray"),
            spacing="0",
            align="start",
            min_width="0",
        ),
        rx.spacer(),
        rx.text(w.amount, weight="bold", white_space="nowrap"),
        rx.button(
            "Pay", on_click=OpsWithdrawalsState.pay(w.id), size="2", color_scheme="green", class_name="pay"
        ),
        rx.button(
            "Reject",
            on_click=OpsWithdrawalsState.reject(w.id),
            size="2",
            variant="soft",
            color_scheme="red",
            class_name="reject",
        ),
        width="100%",
        align="center",
        padding_y="0.6em",
        wrap="wrap",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="withdrawal",
    )


@operator_page(
    route=routes.OPS_WITHDRAWALS,
    title="Withdrawals",
    permission="ops.withdrawals.decide",
    on_load=OpsWithdrawalsState.load,
)
def operator_withdrawals() -> rx.Component:
    return rx.vstack(
        rx.heading("Withdrawals", size="6"),
        rx.text(
            "Cash is on hold from the moment a player asks. Paying moves it to the provider and "
            "needs a fresh code from your authenticator app; rejecting returns it to the player's "
            "cash. Each decision is final and audited.",
            size="2",
            color_scheme="gray",
        ),
        error_callout(OpsWithdrawalsState.error, "ops-withdrawals-error"),
        rx.card(
            rx.vstack(
                rx.text(
                    "Reason (required to reject; recorded with every decision)",
                    size="2",
                    weight="medium",
                    as_="label",
                    html_for="reason",
                ),
                rx.input(
                    value=OpsWithdrawalsState.reason,
                    on_change=OpsWithdrawalsState.set_reason,
                    id="reason",
                    size="3",
                    width="100%",
                    placeholder="e.g. name on card does not match",
                ),
                rx.text(
                    "Authenticator code (to pay: a code covers 5 minutes of payments)",
                    size="2",
                    weight="medium",
                    as_="label",
                    html_for="pay-code",
                ),
                rx.input(
                    value=OpsWithdrawalsState.code,
                    on_change=OpsWithdrawalsState.set_code,
                    id="pay-code",
                    size="3",
                    width="100%",
                    max_length=16,
                    auto_complete="one-time-code",
                    input_mode="numeric",
                    placeholder="123 456",
                ),
                rx.cond(
                    OpsWithdrawalsState.queue.length() > 0,
                    rx.vstack(rx.foreach(OpsWithdrawalsState.queue, row), width="100%", spacing="0"),
                    rx.text("No withdrawals waiting.", color_scheme="gray", id="queue-empty"),
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        rx.button(rx.icon("refresh_cw"), "Refresh", on_click=OpsWithdrawalsState.load, variant="soft"),
        spacing="4",
        width="100%",
    )
