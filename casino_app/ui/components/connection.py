"""A calm "Reconnecting…" notice in place of Reflex's connection-error toast.

Reflex's default overlay shows a red toast with the raw websocket URL whenever the event
connection drops. A player needs to know only that the app is getting back in touch: the
frontend reconnects by itself (and queues what they press meanwhile).
"""

from __future__ import annotations

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from casino_app.ui.i18n.text import tr


def reconnecting_notice() -> rx.Component:
    """A small status pill, shown only while the event connection is down."""
    return rx.cond(
        has_connection_errors,
        rx.box(
            rx.hstack(
                rx.spinner(size="1"),
                rx.text(tr("common.reconnecting"), size="2", weight="medium"),
                align="center",
                spacing="2",
            ),
            id="reconnecting",
            role="status",
            aria_live="polite",
            position="fixed",
            top="0.75rem",
            left="50%",
            transform="translateX(-50%)",
            z_index="9999",
            padding="0.4rem 0.9rem",
            border_radius="9999px",
            background="var(--gray-3)",
            border="1px solid var(--gray-6)",
            box_shadow="0 2px 8px rgba(0, 0, 0, 0.25)",
        ),
    )


def overlay(stateful: bool) -> rx.Component | None:
    """The app wrap that replaces Reflex's default connection overlay (pulser and error toast).

    An app wrap gets the page as its children: the fragment renders them beside the notice.
    """
    return rx.fragment(rx.memo(reconnecting_notice)()) if stateful else None
