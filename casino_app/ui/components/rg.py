"""Pieces of the responsible-gaming pages: native selects, limit rows with their use, pending
raises with their countdown, history rows (the player's page and the back office share them)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from casino_app.ui.components.common import countdown
from casino_app.ui.components.design import field_label
from casino_app.ui.i18n.text import tr

SELECT_STYLE = {
    "width": "100%",
    "height": "var(--space-7)",
    "padding": "0 0.75em",
    "border_radius": "var(--radius-3)",
    "border": f"1px solid {rx.color('gray', 7)}",
    "background": rx.color("gray", 1),
    "color": rx.color("gray", 12),
    "font_size": "var(--font-size-3)",
}


def labelled(label: rx.Var | str, control: rx.Component, field_id: str) -> rx.Component:
    return rx.vstack(
        field_label(label, size="2", weight="medium", html_for=field_id),
        control,
        spacing="1",
        width="100%",
    )


def choice(
    label: rx.Var | str, field_id: str, value: rx.Var, on_change: Any, options: rx.Var | list[list[Any]]
) -> rx.Component:
    """A labelled native select (thumb-friendly on phones); options are [value, label] pairs (a
    label may be a `tr(key)`)."""
    items = (
        [rx.el.option(text, value=v) for v, text in options]
        if isinstance(options, list)
        else [rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0]))]
    )
    control = rx.el.select(*items, id=field_id, value=value, on_change=on_change, style=SELECT_STYLE)
    return labelled(label, control, field_id)


def card(title: rx.Var | str, icon: str, *children: rx.Component, test_id: str = "") -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(icon, size=20), rx.heading(title, size="4", as_="h2"), align="center", spacing="2"
            ),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
        id=test_id or None,
    )


def usage_bar(percent: rx.Var) -> rx.Component:
    return rx.progress(
        value=percent,
        max=100,
        color_scheme=rx.cond(percent >= 100, "red", rx.cond(percent >= 80, "amber", "grass")),
        size="2",
        width="100%",
    )


def limit_line(row: rx.Var, action: rx.Component | None = None) -> rx.Component:
    """A limit in force: its amount, what is used and what remains, who set it."""
    return rx.vstack(
        rx.hstack(
            rx.text(row.label, weight="medium"),
            rx.spacer(),
            rx.text(row.in_force, weight="bold", white_space="nowrap", class_name="limit-amount"),
            width="100%",
            align="center",
        ),
        usage_bar(row.percent),
        rx.hstack(
            rx.text(tr("rg.used"), rx.text.strong(row.used, class_name="limit-used"), size="1"),
            rx.text(tr("rg.left"), rx.text.strong(row.remaining, class_name="limit-remaining"), size="1"),
            rx.cond(row.imposed != "", rx.badge(tr("rg.set_by_team"), color_scheme="amber")),
            rx.spacer(),
            action if action is not None else rx.fragment(),
            width="100%",
            align="center",
            wrap="wrap",
            spacing="3",
        ),
        width="100%",
        spacing="2",
        padding_y="0.6em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="limit-row",
        custom_attrs={"data-limit": row.key},
    )


def pending_line(row: rx.Var, confirm: Any, cancel: Any) -> rx.Component:
    """A raise or removal waiting: the countdown to the end of the cooling-off, then Confirm."""
    return rx.vstack(
        rx.text(row.change, weight="medium"),
        rx.text(tr("rg.asked_for"), row.requested_at, size="1", color_scheme="gray"),
        rx.cond(
            row.confirmable,
            rx.text(
                tr("rg.cooling_over_pre"),
                rx.text.strong(row.expires_at),
                tr("rg.cooling_over_post"),
                size="2",
            ),
            rx.hstack(
                rx.icon("timer", size=15),
                rx.text(tr("rg.can_confirm_in"), size="2"),
                countdown(row.effective_iso, row.effective_at),
                rx.text("(", row.effective_at, ")", size="1", color_scheme="gray"),
                align="center",
                spacing="1",
                wrap="wrap",
            ),
        ),
        rx.hstack(
            rx.button(
                tr("rg.confirm"),
                on_click=confirm,
                disabled=~row.confirmable,
                size="2",
                class_name="confirm-raise",
            ),
            rx.button(
                tr("rg.keep_current_limit"),
                on_click=cancel,
                variant="soft",
                color_scheme="gray",
                size="2",
                class_name="cancel-raise",
            ),
            spacing="2",
            wrap="wrap",
        ),
        width="100%",
        spacing="2",
        padding_y="0.6em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="pending-row",
    )


def _when(label: rx.Var, value: rx.Var) -> rx.Component:
    return rx.cond(value != "", rx.text(label, " ", value, size="1", color_scheme="gray"))


def history_line(row: rx.Var) -> rx.Component:
    """One RG history entry: what, its status, requested / effective / confirmed at, by whom."""
    return rx.vstack(
        rx.hstack(
            rx.text(row.what, weight="medium", size="2"),
            rx.spacer(),
            rx.badge(row.status, variant="soft", color_scheme="gray"),
            width="100%",
            align="start",
        ),
        rx.flex(
            _when(tr("rg.requested"), row.requested_at),
            _when(tr("rg.effective"), row.effective_at),
            _when(tr("rg.confirmed"), row.confirmed_at),
            rx.text(tr("rg.by"), row.by, size="1", color_scheme="gray"),
            spacing="3",
            wrap="wrap",
        ),
        rx.cond(row.reason != "", rx.text(tr("rg.reason"), row.reason, size="1")),
        width="100%",
        spacing="1",
        padding_y="0.5em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="rg-history-row",
    )


def helpline_list(helplines: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.foreach(
            helplines,
            lambda h: rx.hstack(
                rx.icon("phone", size=15, flex_shrink="0"), rx.text(h, size="2"), align="start"
            ),
        ),
        spacing="2",
        width="100%",
        id="helplines",
    )
