"""Small presentational pieces shared by pages."""

from __future__ import annotations

import reflex as rx

from casino_app.ui.i18n.text import tr

GOLD = rx.color("amber", 9)
BALL_RING = f"2px solid {rx.color('amber', 10)}"
BALL_EDGE = f"2px solid {rx.color('gray', 6)}"


def ball(
    label: rx.Var | str, *, selected: rx.Var | bool = False, size: str = "2.4em", **props
) -> rx.Component:
    """A lotto ball; gold when selected."""
    return rx.box(
        label,
        width=size,
        height=size,
        min_width=size,
        border_radius="50%",
        display="flex",
        align_items="center",
        justify_content="center",
        font_weight="700",
        font_size="0.95em",
        background=rx.cond(selected, GOLD, rx.color("gray", 4)),
        color=rx.cond(selected, "black", rx.color("gray", 12)),
        border=rx.cond(selected, BALL_RING, BALL_EDGE),
        **props,
    )


def number_row(numbers: rx.Var, *, highlight: rx.Var | None = None, size: str = "2em") -> rx.Component:
    """A row of small balls; numbers in `highlight` are gold."""
    return rx.hstack(
        rx.foreach(
            numbers,
            lambda n: ball(n, selected=highlight.contains(n) if highlight is not None else False, size=size),
        ),
        spacing="1",
        wrap="wrap",
    )


def stat_card(
    label: rx.Var | str, value: rx.Var | str, *, hint: rx.Var | str = "", test_id: str = ""
) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="2", color_scheme="gray"),
            rx.heading(value, size="6", id=test_id or None),
            rx.cond(hint != "", rx.text(hint, size="1", color_scheme="gray")),
            spacing="1",
        ),
        width="100%",
    )


def error_callout(message: rx.Var, test_id: str = "form-error") -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(
            message, icon="triangle_alert", color_scheme="red", role="alert", id=test_id, width="100%"
        ),
    )


def status_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        ("win", rx.badge(tr("common.status_win"), color_scheme="green", size="2")),
        ("lose", rx.badge(tr("common.status_lose"), color_scheme="gray", size="2")),
        ("push", rx.badge(tr("common.status_push"), color_scheme="blue", size="2")),
        ("void", rx.badge(tr("common.status_void"), color_scheme="red", variant="soft", size="2")),
        rx.badge(tr("common.status_pending"), color_scheme="amber", size="2"),
    )


def line_item(
    title: rx.Var | str,
    subtitle: rx.Var | str,
    amount: rx.Var | str,
    detail: rx.Var | str = "",
    *,
    positive: rx.Var | bool = False,
) -> rx.Component:
    """A list row that reads well on a phone: text on the left, amount on the right."""
    return rx.hstack(
        rx.vstack(
            rx.text(title, weight="medium"),
            rx.text(subtitle, size="1", color_scheme="gray"),
            spacing="0",
            align="start",
            min_width="0",
        ),
        rx.spacer(),
        rx.vstack(
            rx.text(
                amount,
                weight="bold",
                color=rx.cond(positive, rx.color("grass", 11), rx.color("gray", 12)),
                white_space="nowrap",
            ),
            rx.text(detail, size="1", color_scheme="gray", white_space="nowrap"),
            spacing="0",
            align="end",
        ),
        width="100%",
        padding_y="0.6em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        align="center",
    )


def countdown(deadline_iso: rx.Var, fallback: rx.Var | str) -> rx.Component:
    """Text that /countdown.js turns into a live mm:ss countdown to `deadline_iso`."""
    return rx.el.span(
        fallback,
        custom_attrs={"data-countdown": deadline_iso},
        style={"font_variant_numeric": "tabular-nums", "font_weight": "700"},
    )
