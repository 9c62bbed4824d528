"""Demo mailbox: the signed-in player's own mail (verification, reset links); no mail server needed."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.design import COLOUR, SPACE, empty_state, page_header
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.player.links import MailboxState, MailRow


def message_card(m: rx.Var[MailRow]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(m.subject, size="3"),
                rx.spacer(),
                rx.text(m.when, size="1", color_scheme="gray", white_space="nowrap"),
                width="100%",
                align="center",
                wrap="wrap",
            ),
            rx.text(
                tr("mailbox.to"), " ", m.recipient, size="2", color_scheme="gray", word_break="break-all"
            ),
            rx.text(m.body, size="2", white_space="pre-wrap", word_break="break-word"),
            rx.cond(
                m.link != "",
                rx.link(
                    rx.button(tr("mailbox.open_link"), variant="soft", size="2"),
                    href=m.link,
                    class_name="mail-link",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="mail-message",
    )


@player_page(route=routes.MAILBOX, title="Demo mailbox", on_load=MailboxState.load)
def mailbox() -> rx.Component:
    return rx.vstack(
        page_header(tr("mailbox.title")),
        rx.cond(
            MailboxState.enabled,
            rx.vstack(
                rx.callout(
                    tr("mailbox.intro"),
                    icon="mail",
                    color_scheme="amber",
                    width="100%",
                ),
                rx.cond(
                    MailboxState.messages.length() > 0,
                    rx.vstack(rx.foreach(MailboxState.messages, message_card), spacing="3", width="100%"),
                    empty_state("inbox", tr("mailbox.no_mail")),
                ),
                spacing=SPACE["loose"],
                width="100%",
            ),
            rx.text(tr("mailbox.demo_only"), color=COLOUR["muted"]),
        ),
        spacing=SPACE["loose"],
        width="100%",
        max_width="760px",
        margin_x="auto",
    )
