"""Wallet: balance, demo deposit, transactions."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout, line_item
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.wallet import WalletState


def deposit_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Deposit", size="4"),
            rx.text("Sandbox payments: no real money moves.", size="1", color_scheme="gray"),
            rx.vstack(
                rx.text("Amount (EUR)", size="2", weight="medium", as_="label", html_for="amount"),
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
                rx.foreach(WalletState.methods, lambda m: rx.radio_group.item(m["label"], value=m["token"])),
                value=WalletState.method_token,
                on_change=WalletState.set_method_token,
                direction="column",
                spacing="2",
            ),
            error_callout(WalletState.error, "deposit-error"),
            rx.button("Deposit", on_click=WalletState.deposit, size="3", width="100%", id="deposit"),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


@player_page(route=routes.WALLET, title="Wallet", on_load=WalletState.load)
def wallet() -> rx.Component:
    return rx.vstack(
        rx.card(
            rx.vstack(
                rx.text("Cash balance", size="2", color_scheme="gray"),
                rx.heading(WalletState.balance_text, size="8", id="wallet-balance"),
                spacing="1",
            ),
            width="100%",
        ),
        rx.grid(
            deposit_card(),
            rx.card(
                rx.vstack(
                    rx.heading("Transactions", size="4"),
                    rx.cond(
                        WalletState.transactions.length() > 0,
                        rx.vstack(
                            rx.foreach(
                                WalletState.transactions,
                                lambda t: line_item(
                                    t["title"],
                                    t["when"],
                                    t["amount"],
                                    t["balance"],
                                    positive=t["positive"] != "",
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
