"""The header's live pieces: the hidden listener that makes a tab refresh on a push, and the
inbox bell with its unread count. The player layout puts both in its header and runs
`LiveState.register` on load (ui/state/session/live.py).
"""

from __future__ import annotations

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.a11y import sr_only
from casino_app.ui.components.design import COLOUR
from casino_app.ui.i18n.text import tr
from casino_app.ui.state.session.live import LiveState


def live_listener() -> rx.Component:
    """A hidden element keyed by the push tick: each push remounts it and its mount sends `apply`."""
    return rx.cond(
        LiveState.tick > 0,
        rx.el.div(
            key=LiveState.tick,
            on_mount=LiveState.apply,
            id="live-listener",
            custom_attrs={"data-tick": LiveState.tick},
            style={"display": "none"},
        ),
    )


def inbox_badge() -> rx.Component:
    """A bell linking to the inbox, with the number of unread notifications when there are any."""
    return rx.link(
        rx.box(
            rx.icon("bell", size=18),
            sr_only(tr("inbox.open_inbox")),
            rx.cond(
                LiveState.unread > 0,
                rx.badge(
                    LiveState.unread,
                    sr_only(" ", tr("inbox.unread_suffix")),
                    id="inbox-unread",
                    color_scheme="red",
                    variant="solid",
                    radius="full",
                    size="1",
                    position="absolute",
                    top="-8px",
                    right="-10px",
                ),
            ),
            position="relative",
            display="inline-flex",
            align_items="center",
            padding="4px",
        ),
        href=routes.INBOX,
        id="inbox-badge",
        title=tr("inbox.open_inbox"),
        color=COLOUR["accent_text"],
        underline="none",
    )
