"""Privacy: download my data (JSON) and request erasure of my personal data."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.privacy import CONFIRM_WORD, PrivacyState

INCLUDED = (
    "Profile: email, name, date of birth, address, phone, country",
    "Wallet balances and every transaction",
    "Bets, deposits and withdrawals",
    "Sign-ins and devices, and the account activity log",
)
KEPT = (
    "Transactions, tickets and payments stay for the legally required retention period, "
    "linked to a pseudonymous account number instead of your name.",
    "Your name, date of birth, address, phone and email are deleted or replaced by a pseudonym.",
    "You are signed out everywhere and the account can no longer be used.",
)


def bullet(text: str, icon: str = "check") -> rx.Component:
    return rx.hstack(
        rx.icon(icon, size=16, color=rx.color("amber", 10), flex_shrink="0", margin_top="0.2em"),
        rx.text(text, size="2"),
        spacing="2",
        align="start",
    )


def download_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon("download", size=20), rx.heading("Download my data", size="4"), align="center"),
            rx.text("A JSON file with everything we hold about you:", size="2", color_scheme="gray"),
            rx.vstack(*[bullet(t) for t in INCLUDED], spacing="1"),
            rx.text(
                "Passwords, two-factor secrets and session tokens are never included.",
                size="1",
                color_scheme="gray",
            ),
            rx.spacer(),
            rx.button(
                rx.icon("file_json", size=16),
                "Download my data",
                on_click=PrivacyState.download,
                size="3",
                width="100%",
                id="download-data",
            ),
            spacing="3",
            height="100%",
        ),
        width="100%",
    )


def erase_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                rx.icon("trash_2", size=16),
                "Request erasure…",
                color_scheme="red",
                variant="soft",
                size="3",
                width="100%",
                disabled=PrivacyState.blockers.length() > 0,
                id="request-erasure",
            ),
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Erase my personal data?"),
            rx.alert_dialog.description(
                "This cannot be undone. You will be signed out and cannot sign in again.",
                size="2",
            ),
            rx.vstack(
                rx.text(
                    "Type ",
                    rx.code(CONFIRM_WORD),
                    " to confirm.",
                    size="2",
                    as_="label",
                    html_for="erase-confirm",
                ),
                rx.input(
                    value=PrivacyState.confirm_text,
                    on_change=PrivacyState.set_confirm_text,
                    id="erase-confirm",
                    auto_complete="off",
                    size="3",
                    width="100%",
                ),
                error_callout(PrivacyState.error, "erase-error"),
                spacing="2",
                margin_top="1em",
                width="100%",
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Keep my account", variant="soft", color_scheme="gray")),
                rx.button(
                    "Erase my data",
                    color_scheme="red",
                    on_click=PrivacyState.erase,
                    disabled=~PrivacyState.can_erase,
                    id="confirm-erasure",
                ),
                spacing="3",
                justify="end",
                margin_top="1em",
                wrap="wrap",
            ),
            max_width="460px",
        ),
        open=PrivacyState.dialog_open,
        on_open_change=PrivacyState.set_dialog_open,
    )


def erase_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("user_x", size=20), rx.heading("Erase my personal data", size="4"), align="center"
            ),
            rx.text("What happens when you ask us to erase your data:", size="2", color_scheme="gray"),
            rx.vstack(*[bullet(t, "info") for t in KEPT], spacing="1"),
            rx.cond(
                PrivacyState.blockers.length() > 0,
                rx.callout(
                    rx.text(
                        "Withdraw your balance first: ",
                        rx.foreach(PrivacyState.blockers, lambda b: rx.text.strong(b, " ")),
                    ),
                    icon="wallet",
                    color_scheme="amber",
                    size="1",
                    id="erasure-blocked",
                ),
            ),
            rx.spacer(),
            erase_dialog(),
            spacing="3",
            height="100%",
        ),
        width="100%",
    )


@player_page(route=routes.PRIVACY, title="Privacy", on_load=PrivacyState.load)
def privacy_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Privacy & your data", size="6"),
        rx.text(
            "Your personal details are stored encrypted (AES-256-GCM, a separate key per record). "
            "You can take a copy of them or ask us to erase them at any time.",
            size="2",
            color_scheme="gray",
        ),
        rx.grid(
            download_card(),
            erase_card(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        rx.link("Back to the wallet →", href=routes.WALLET, size="2"),
        spacing="4",
        width="100%",
    )
