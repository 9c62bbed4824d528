"""Back office: pay or reject requested withdrawals, with each player's context; payouts under way."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.components.design import field_label
from casino_app.ui.layouts.operator import operator_page
from casino_app.ui.state.operator.withdrawals import OpsWithdrawalsState


def row(w: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(w.player, weight="medium"),
            rx.text("Requested ", w.requested, size="1", color_scheme="gray"),
            rx.text(w.balances, size="1", class_name="context-balances"),
            rx.text(w.deposits, size="1", class_name="context-deposits"),
            rx.text(w.play, size="1", class_name="context-play"),
            rx.text(w.last_bets, size="1", color_scheme="gray", class_name="context-bets"),
            rx.text(w.payout_to, size="1", color_scheme="gray", class_name="context-payout"),
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


def payout_row(p: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(p.player, weight="medium"),
        rx.spacer(),
        rx.text(p.amount, weight="bold", white_space="nowrap"),
        rx.badge(p.status, " · ", p.provider, variant="soft"),
        width="100%",
        align="center",
        padding_y="0.4em",
        class_name="payout-under-way",
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
            "Cash is on hold from the moment a player asks. Check the player's balances, deposits "
            "and recent play beside each request, then pay or reject. Paying approves the "
            "withdrawal and sends it through the provider the player deposited with (it needs a "
            "fresh code from your authenticator app; the player can no longer cancel it); "
            "rejecting returns it to the player's cash. Each decision is final and audited.",
            size="2",
            color_scheme="gray",
        ),
        error_callout(OpsWithdrawalsState.error, "ops-withdrawals-error"),
        rx.card(
            rx.vstack(
                field_label(
                    "Reason (required to reject; recorded with every decision)",
                    size="2",
                    weight="medium",
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
                field_label(
                    "Authenticator code (to pay: a code covers 5 minutes of payments)",
                    size="2",
                    weight="medium",
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
        rx.cond(
            OpsWithdrawalsState.under_way.length() > 0,
            rx.card(
                rx.vstack(
                    rx.heading("Payouts under way", size="3"),
                    rx.text(
                        "Approved; waiting for the provider's confirmation (resent and polled by a job).",
                        size="1",
                        color_scheme="gray",
                    ),
                    rx.foreach(OpsWithdrawalsState.under_way, payout_row),
                    width="100%",
                    spacing="1",
                ),
                width="100%",
                id="payouts-under-way",
            ),
        ),
        rx.button(rx.icon("refresh_cw"), "Refresh", on_click=OpsWithdrawalsState.load, variant="soft"),
        spacing="4",
        width="100%",
    )
