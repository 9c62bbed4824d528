"""The back-office layout and `@operator_page`, which declares the permission it needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.demo import demo_banner
from casino_app.ui.registry import PAGES, PageSpec
from casino_app.ui.state.session.demo import DemoState
from casino_app.ui.state.session.session import SessionState

OPS_NAV = (
    ("Dashboard", routes.OPS_DASHBOARD),
    ("Players", routes.OPS_PLAYERS),
    ("Withdrawals", routes.OPS_WITHDRAWALS),
    ("Reconciliation", routes.OPS_RECONCILIATION),
    ("Draws", routes.OPS_DRAWS),
    ("Safer gambling", routes.OPS_RG_CASES),
)


def operator_header() -> rx.Component:
    return rx.hstack(
        rx.hstack(
            rx.icon("shield_check", color=rx.color("amber", 9)),
            rx.heading("Kasyno Lotto · Back office", size="4"),
            align="center",
            spacing="2",
        ),
        rx.spacer(),
        rx.cond(
            SessionState.is_operator,
            rx.hstack(
                *[
                    rx.link(label, href=href, size="2", color_scheme="gray", high_contrast=True)
                    for label, href in OPS_NAV
                ],
                rx.cond(
                    SessionState.can_manage_operators,
                    rx.link(
                        "Operators",
                        href=routes.OPS_OPERATORS,
                        size="2",
                        color_scheme="gray",
                        high_contrast=True,
                    ),
                ),
                rx.text(SessionState.email, size="2", color_scheme="gray"),
                rx.button("Log out", on_click=SessionState.logout, variant="ghost", size="2"),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
        ),
        padding="0.75em 1em",
        width="100%",
        align="center",
        wrap="wrap",
        background=rx.color("gray", 2),
        border_bottom=f"1px solid {rx.color('gray', 5)}",
    )


def operator_layout(content: rx.Component) -> rx.Component:
    return rx.box(
        demo_banner(),
        operator_header(),
        rx.box(content, width="100%", max_width="1200px", margin_x="auto", padding="1em"),
        min_height="100vh",
    )


def operator_page(route: str, title: str, *, permission: str | None, on_load: Any = None):
    """Register a back-office page; the page guard only redirects, handlers re-check."""

    def decorator(fn: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        guard = [SessionState.guard_ops_page(permission)] if permission else []
        loads = [DemoState.detect, *guard] + ([on_load] if on_load else [])
        PAGES.append(PageSpec(route, f"{title} · Back office", lambda: operator_layout(fn()), loads))
        return fn

    return decorator


__all__ = ["operator_page", "routes"]
