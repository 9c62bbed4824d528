"""The demo-mode banner: on every page while demo mode is on, so nobody mistakes it for production."""

from __future__ import annotations

import reflex as rx

from casino_app.ui.i18n.text import tr
from casino_app.ui.state.session.demo import DemoState


def demo_banner() -> rx.Component:
    """A slim amber strip at the top of the page, shown only in demo mode."""
    return rx.cond(
        DemoState.on,
        rx.hstack(
            rx.icon("flask_conical", size=16),
            rx.text(tr("common.demo_banner"), size="1", weight="medium"),
            id="demo-banner",
            role="note",
            align="center",
            justify="center",
            spacing="2",
            width="100%",
            padding="0.35em 1em",
            background=rx.color("amber", 4),
            color=rx.color("amber", 12),
            border_bottom=f"1px solid {rx.color('amber', 7)}",
        ),
    )
