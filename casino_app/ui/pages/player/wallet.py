"""Wallet and cashier: balances, deposits (a provider's page or a card on file), withdrawals, transactions."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout, line_item
from casino_app.ui.components.security import form_field
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.wallet import WalletState


def amount_label() -> rx.Var:
    """ "Amount (PLN)": the wallet's own currency."""
    return rx.cond(WalletState.currency != "", "Amount (" + WalletState.currency + ")", "Amount")


def deposit_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Deposit", size="4"),
            rx.text(
                "Card numbers are typed on the payment provider's page, never here. "
                "Sandbox payments: no real money moves.",
                size="1",
                color_scheme="gray",
            ),
            rx.vstack(
                rx.text(amount_label(), size="2", weight="medium", as_="label", html_for="amount"),
                rx.input(
                    value=WalletState.amount_text,
                    on_change=WalletState.set_amount_text,
                    id="amount",
                    input_mode="decimal",
                    size="3",
                    width="100%",
                ),
                spacing="1",
                width="100%",
            ),
            rx.radio_group.root(
                rx.foreach(WalletState.methods, lambda m: rx.radio_group.item(m.label, value=m.key)),
                value=WalletState.method_key,
                on_change=WalletState.set_method_key,
                direction="column",
                spacing="2",
                id="deposit-methods",
            ),
            error_callout(WalletState.error, "deposit-error"),
            rx.cond(
                WalletState.notice != "",
                rx.text(WalletState.notice, size="2", id="deposit-notice"),
            ),
            rx.button("Deposit", on_click=WalletState.deposit, size="3", width="100%", id="deposit"),
            recent_deposits(),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def deposit_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        ("approved", rx.badge("CREDITED", color_scheme="green")),
        ("declined", rx.badge("DECLINED", color_scheme="red")),
        rx.badge("PENDING", color_scheme="amber"),
    )


def recent_deposits() -> rx.Component:
    """The latest deposits; a pending one turns CREDITED by itself when the provider confirms."""
    return rx.cond(
        WalletState.deposits.length() > 0,
        rx.vstack(
            rx.text("Your deposits", size="2", weight="medium"),
            rx.foreach(
                WalletState.deposits,
                lambda d: rx.vstack(
                    rx.hstack(
                        rx.text(d.amount, weight="medium"),
                        deposit_badge(d.status),
                        rx.spacer(),
                        rx.text(d.when, size="1", color_scheme="gray"),
                        width="100%",
                        align="center",
                    ),
                    rx.text(d.label, size="1", color_scheme="gray"),
                    rx.cond(d.reason != "", rx.text(d.reason, size="1", color_scheme="red")),
                    spacing="0",
                    width="100%",
                    class_name="deposit-row",
                ),
            ),
            width="100%",
            spacing="2",
            id="deposits",
        ),
    )


def withdraw_card() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Withdraw", size="4"),
                rx.text(
                    "Only cash withdraws; bonus money stays to play with.", size="1", color_scheme="gray"
                ),
                form_field(amount_label(), "withdraw_amount", input_mode="decimal", placeholder="10.00"),
                form_field(
                    rx.cond(WalletState.mfa_enabled, "Authentication code", "Your password"),
                    "confirm",
                    type=rx.cond(WalletState.mfa_enabled, "text", "password"),
                    auto_complete=rx.cond(WalletState.mfa_enabled, "one-time-code", "current-password"),
                    hint="Not needed again within 5 minutes of confirming.",
                ),
                error_callout(WalletState.withdraw_error, "withdraw-error"),
                rx.button(
                    "Request withdrawal", type="submit", size="3", width="100%", variant="soft", id="withdraw"
                ),
                rx.cond(
                    WalletState.withdrawals.length() > 0,
                    rx.vstack(
                        rx.text("Your withdrawals", size="2", weight="medium"),
                        rx.foreach(
                            WalletState.withdrawals,
                            lambda w: rx.vstack(
                                rx.hstack(
                                    rx.text(w.amount, weight="medium"),
                                    withdrawal_badge(w.stage),
                                    rx.spacer(),
                                    rx.text(w.when, size="1", color_scheme="gray"),
                                    rx.cond(
                                        w.cancellable,
                                        rx.button(
                                            "Cancel",
                                            size="1",
                                            variant="ghost",
                                            color_scheme="gray",
                                            type="button",
                                            on_click=WalletState.cancel_withdrawal(w.id),
                                            class_name="withdrawal-cancel",
                                        ),
                                    ),
                                    width="100%",
                                    align="center",
                                ),
                                rx.cond(
                                    w.reason != "",
                                    rx.text(
                                        "Reason: ",
                                        w.reason,
                                        size="1",
                                        color_scheme="gray",
                                        class_name="withdrawal-reason",
                                    ),
                                ),
                                spacing="1",
                                width="100%",
                            ),
                        ),
                        width="100%",
                        spacing="2",
                        id="withdrawals",
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=WalletState.withdraw,
            reset_on_submit=True,
        ),
        width="100%",
    )


def withdrawal_badge(stage: rx.Var) -> rx.Component:
    """Where a withdrawal is: on hold (cancellable), being paid by a provider, paid, rejected, cancelled."""
    return rx.match(
        stage,
        ("paid", rx.badge("PAID", color_scheme="green")),
        ("rejected", rx.badge("REJECTED", color_scheme="red")),
        ("paying", rx.badge("BEING PAID", color_scheme="blue")),
        ("cancelled", rx.badge("CANCELLED", color_scheme="gray")),
        rx.badge("ON HOLD", color_scheme="amber"),
    )


def balance_card() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.text("Cash balance", size="2", color_scheme="gray"),
                rx.heading(WalletState.balance_text, size="8", id="wallet-balance"),
                spacing="1",
            ),
            rx.spacer(),
            rx.vstack(
                rx.text("Bonus ", rx.text.strong(WalletState.bonus_text), size="2", id="wallet-bonus"),
                rx.text("On hold ", rx.text.strong(WalletState.pending_text), size="2", id="wallet-pending"),
                spacing="1",
                align="end",
            ),
            width="100%",
            align="end",
            wrap="wrap",
            spacing="3",
        ),
        width="100%",
    )


@player_page(route=routes.WALLET, title="Wallet", on_load=WalletState.load)
def wallet() -> rx.Component:
    return rx.vstack(
        balance_card(),
        rx.grid(
            rx.vstack(deposit_card(), withdraw_card(), spacing="4", width="100%"),
            rx.card(
                rx.vstack(
                    rx.heading("Transactions", size="4"),
                    rx.cond(
                        WalletState.transactions.length() > 0,
                        rx.vstack(
                            rx.foreach(
                                WalletState.transactions,
                                lambda t: line_item(
                                    t.title, t.when, t.amount, t.balance, positive=t.positive
                                ),
                            ),
                            spacing="0",
                            width="100%",
                            id="transactions",
                        ),
                        rx.text("No transactions yet.", color_scheme="gray"),
                    ),
                    spacing="2",
                    width="100%",
                ),
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", md="1fr 2fr"),
            spacing="4",
            width="100%",
        ),
        rx.link("Buy a ticket →", href=routes.PLAY),
        spacing="4",
        width="100%",
    )
