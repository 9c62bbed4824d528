"""Wallet and cashier: balances, deposits (a provider's page or a card on file), withdrawals, transactions."""

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout, line_item
from casino_app.ui.components.design import COLOUR, SPACE, TYPE, empty_state, field_label, money, page_header
from casino_app.ui.components.security import form_field
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.player.wallet import WalletState
from casino_app.ui.state.session.presses import PRESSED_AT


def amount_label() -> rx.Component:
    """ "Amount (PLN)": the wallet's own currency."""
    return rx.fragment(
        tr("wallet.amount"), rx.cond(WalletState.currency != "", rx.fragment(" (", WalletState.currency, ")"))
    )


def deposit_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("wallet.deposit"), size="4"),
            rx.text(tr("wallet.deposit_hint"), size=TYPE["fine"], color=COLOUR["muted"]),
            rx.vstack(
                field_label(amount_label(), size="2", weight="medium", html_for="amount"),
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
            rx.button(
                tr("wallet.deposit"),
                on_click=WalletState.deposit(PRESSED_AT),
                size="3",
                width="100%",
                id="deposit",
                disabled=has_connection_errors,  # no money button while the connection is down
            ),
            recent_deposits(),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def deposit_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        ("approved", rx.badge(tr("wallet.credited"), color_scheme="green")),
        ("declined", rx.badge(tr("wallet.declined_badge"), color_scheme="red")),
        rx.badge(tr("common.status_pending"), color_scheme="amber"),
    )


def recent_deposits() -> rx.Component:
    """The latest deposits; a pending one turns CREDITED by itself when the provider confirms."""
    return rx.cond(
        WalletState.deposits.length() > 0,
        rx.vstack(
            rx.text(tr("wallet.your_deposits"), size=TYPE["small"], weight="medium"),
            rx.foreach(
                WalletState.deposits,
                lambda d: rx.vstack(
                    rx.hstack(
                        money(d.amount, size=TYPE["small"]),
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
                rx.heading(tr("wallet.withdraw"), size="4"),
                rx.text(tr("wallet.withdraw_hint"), size=TYPE["fine"], color=COLOUR["muted"]),
                form_field(amount_label(), "withdraw_amount", input_mode="decimal", placeholder="10.00"),
                form_field(
                    rx.cond(WalletState.mfa_enabled, tr("security.code_label"), tr("security.your_password")),
                    "confirm",
                    type=rx.cond(WalletState.mfa_enabled, "text", "password"),
                    auto_complete=rx.cond(WalletState.mfa_enabled, "one-time-code", "current-password"),
                    hint=tr("wallet.step_up_hint"),
                ),
                error_callout(WalletState.withdraw_error, "withdraw-error"),
                rx.button(
                    tr("wallet.request_withdrawal"),
                    type="submit",
                    size="3",
                    width="100%",
                    variant="soft",
                    id="withdraw",
                    disabled=has_connection_errors,  # no money button while the connection is down
                ),
                rx.cond(
                    WalletState.withdrawals.length() > 0,
                    rx.vstack(
                        rx.text(tr("wallet.your_withdrawals"), size=TYPE["small"], weight="medium"),
                        rx.foreach(
                            WalletState.withdrawals,
                            lambda w: rx.vstack(
                                rx.hstack(
                                    money(w.amount, size=TYPE["small"]),
                                    withdrawal_badge(w.stage),
                                    rx.spacer(),
                                    rx.text(w.when, size="1", color_scheme="gray"),
                                    rx.cond(
                                        w.cancellable,
                                        rx.button(
                                            tr("wallet.cancel"),
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
                                        tr("wallet.reason"),
                                        " ",
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
        ("paid", rx.badge(tr("wallet.stage_paid"), color_scheme="green")),
        ("rejected", rx.badge(tr("wallet.stage_rejected"), color_scheme="red")),
        ("paying", rx.badge(tr("wallet.stage_paying"), color_scheme="blue")),
        ("cancelled", rx.badge(tr("wallet.stage_cancelled"), color_scheme="gray")),
        rx.badge(tr("wallet.stage_hold"), color_scheme="amber"),
    )


def balance_card() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.text(tr("wallet.cash_balance"), size=TYPE["small"], color=COLOUR["muted"]),
                rx.heading(WalletState.balance_text, size="8", id="wallet-balance"),
                spacing="1",
            ),
            rx.spacer(),
            rx.vstack(
                rx.text(
                    tr("wallet.bonus"),
                    " ",
                    rx.text.strong(WalletState.bonus_text),
                    size=TYPE["small"],
                    id="wallet-bonus",
                ),
                rx.text(
                    tr("wallet.on_hold"),
                    " ",
                    rx.text.strong(WalletState.pending_text),
                    size=TYPE["small"],
                    id="wallet-pending",
                ),
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
        page_header(tr("wallet.title"), tr("wallet.subtitle")),
        balance_card(),
        rx.grid(
            rx.vstack(deposit_card(), withdraw_card(), spacing="4", width="100%"),
            rx.card(
                rx.vstack(
                    rx.heading(tr("wallet.transactions"), size="4"),
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
                        empty_state("receipt", tr("wallet.no_transactions")),
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
        rx.link(tr("wallet.buy_ticket"), href=routes.PLAY),
        spacing=SPACE["loose"],
        width="100%",
    )
