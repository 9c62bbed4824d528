"""Privacy: download my data (JSON) and request erasure of my personal data."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.components.design import SPACE, field_label, page_header
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.player.privacy import CONFIRM_WORD, PrivacyState

INCLUDED = ("profile", "wallet", "bets", "signins")  # privacy.included_<name>
KEPT = ("records", "deleted", "signed_out")  # privacy.kept_<name>


def bullet(text: rx.Var, icon: str = "check") -> rx.Component:
    return rx.hstack(
        rx.icon(icon, size=16, color=rx.color("amber", 10), flex_shrink="0", margin_top="0.2em"),
        rx.text(text, size="2"),
        spacing="2",
        align="start",
    )


def download_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("download", size=20),
                rx.heading(tr("privacy.download_title"), size="4", as_="h2"),
                align="center",
            ),
            rx.text(tr("privacy.download_intro"), size="2", color_scheme="gray"),
            rx.vstack(*[bullet(tr(f"privacy.included_{t}")) for t in INCLUDED], spacing="1"),
            rx.text(
                tr("privacy.never_included"),
                size="1",
                color_scheme="gray",
            ),
            rx.spacer(),
            rx.button(
                rx.icon("file_json", size=16),
                tr("privacy.download_button"),
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
                tr("privacy.request_erasure"),
                color_scheme="red",
                variant="soft",
                size="3",
                width="100%",
                disabled=PrivacyState.blockers.length() > 0,
                id="request-erasure",
            ),
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(tr("privacy.erase_question")),
            rx.alert_dialog.description(
                tr("privacy.erase_warning"),
                size="2",
            ),
            rx.vstack(
                field_label(
                    tr("privacy.type_pre"),
                    rx.code(CONFIRM_WORD),
                    tr("privacy.type_post"),
                    size="2",
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
                rx.alert_dialog.cancel(
                    rx.button(tr("privacy.keep_account"), variant="soft", color_scheme="gray")
                ),
                rx.button(
                    tr("privacy.erase_button"),
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
                rx.icon("user_x", size=20),
                rx.heading(tr("privacy.erase_title"), size="4", as_="h2"),
                align="center",
            ),
            rx.text(tr("privacy.erase_intro"), size="2", color_scheme="gray"),
            rx.vstack(*[bullet(tr(f"privacy.kept_{t}"), "info") for t in KEPT], spacing="1"),
            rx.cond(
                PrivacyState.blockers.length() > 0,
                rx.callout(
                    rx.text(
                        tr("privacy.withdraw_first"),
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
        page_header(tr("privacy.title"), tr("privacy.intro")),
        rx.grid(
            download_card(),
            erase_card(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        rx.link(tr("privacy.back_to_wallet"), href=routes.WALLET, size="2"),
        spacing=SPACE["loose"],
        width="100%",
    )
