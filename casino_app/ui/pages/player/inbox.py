"""The inbox: draw results, payments and limit changes, newest first, read and unread."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.design import COLOUR, SPACE, TYPE, empty_state, page_header
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.player.inbox import InboxState


def entry_card(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.hstack(
                    rx.text(row.title, weight="bold", size=TYPE["body"]),
                    rx.cond(
                        ~row.read, rx.badge(tr("inbox.unread"), color_scheme="amber", class_name="unread")
                    ),
                    spacing=SPACE["snug"],
                    align="center",
                    wrap="wrap",
                ),
                rx.text(row.body, size=TYPE["small"]),
                rx.text(row.when, size=TYPE["fine"], color=COLOUR["muted"]),
                spacing="1",
                align="start",
                width="100%",
            ),
            rx.cond(
                ~row.read,
                rx.button(
                    rx.icon("check", size=14),
                    tr("inbox.mark_read"),
                    size="1",
                    variant="soft",
                    on_click=InboxState.mark_read(row.id),
                    class_name="mark-read",
                ),
            ),
            width="100%",
            align="start",
            justify="between",
        ),
        width="100%",
        class_name="inbox-entry",
        custom_attrs={"data-read": row.read.to_string()},
        opacity=rx.cond(row.read, "0.75", "1"),
    )


def pager() -> rx.Component:
    return rx.cond(
        InboxState.pages > 1,
        rx.hstack(
            rx.button(
                tr("inbox.previous"),
                on_click=InboxState.previous_page,
                disabled=InboxState.page <= 1,
                variant="soft",
                id="inbox-previous",
            ),
            rx.text(tr("inbox.page"), " ", InboxState.page, " ", tr("inbox.of"), " ", InboxState.pages),
            rx.button(
                tr("inbox.next"),
                on_click=InboxState.next_page,
                disabled=InboxState.page >= InboxState.pages,
                variant="soft",
                id="inbox-next",
            ),
            spacing=SPACE["normal"],
            align="center",
            justify="center",
            width="100%",
        ),
    )


@player_page(route=routes.INBOX, title="Inbox", on_load=InboxState.load)
def inbox() -> rx.Component:
    return rx.vstack(
        page_header(
            tr("inbox.title"),
            tr("inbox.subtitle"),
            rx.button(
                rx.icon("check_check", size=16),
                tr("inbox.mark_all_read"),
                on_click=InboxState.mark_all_read,
                disabled=InboxState.unread == 0,
                variant="soft",
                id="mark-all-read",
            ),
        ),
        rx.cond(
            InboxState.error != "", rx.callout(InboxState.error, color_scheme="red", icon="triangle_alert")
        ),
        rx.cond(
            InboxState.rows.length() > 0,
            rx.vstack(
                rx.foreach(InboxState.rows, entry_card), spacing=SPACE["snug"], width="100%", id="inbox"
            ),
            empty_state("inbox", tr("inbox.empty_title"), tr("inbox.empty_body")),
        ),
        pager(),
        spacing=SPACE["loose"],
        width="100%",
    )
