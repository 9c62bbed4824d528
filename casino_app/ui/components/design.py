"""The design system: type scale, spacing, colour tokens, and the pieces every page is built from.

Pages use these instead of ad-hoc sizes and colours: `page_header` for the top of a page,
`panel` for a titled card, `money` for amounts (tabular digits, green gains), `empty_state` and
`error_state` for "nothing here" and "that went wrong". Balls and number rows live in
components/common.py. Radix tokens underneath (`rx.color(scale, step)`), dark theme, amber accent.
"""

from __future__ import annotations

import reflex as rx

# Type scale (Radix sizes): page title, section title, body, small print.
TYPE = {"title": "7", "section": "5", "body": "3", "small": "2", "fine": "1"}
# Spacing scale (Radix spacing steps) and the page's horizontal rhythm.
SPACE = {"tight": "1", "snug": "2", "normal": "3", "loose": "4", "section": "6"}
# Colour tokens by meaning, never by hue at the use site.
COLOUR = {
    "accent": rx.color("amber", 9),
    "accent_text": rx.color("amber", 11),
    "gain": rx.color("grass", 11),
    "loss": rx.color("tomato", 11),
    "muted": rx.color("gray", 11),
    "line": rx.color("gray", 4),
    "surface": rx.color("gray", 2),
    "danger": rx.color("red", 11),
}
CONTENT_WIDTH = "1100px"


def page_header(title: rx.Var | str, subtitle: rx.Var | str = "", *actions: rx.Component) -> rx.Component:
    """The top of a page: its title, one line saying what it is for, and its actions."""
    return rx.flex(
        rx.vstack(
            rx.heading(title, size=rx.breakpoints(initial="6", md=TYPE["title"]), as_="h1"),
            rx.cond(subtitle != "", rx.text(subtitle, size=TYPE["small"], color=COLOUR["muted"])),
            spacing="1",
            align="start",
        ),
        rx.spacer(),
        rx.hstack(*actions, spacing=SPACE["snug"], wrap="wrap") if actions else rx.fragment(),
        direction=rx.breakpoints(initial="column", sm="row"),
        gap="0.75em",
        width="100%",
        align=rx.breakpoints(initial="start", sm="end"),
    )


def panel(title: rx.Var | str, *children: rx.Component, test_id: str = "", **props) -> rx.Component:
    """A titled card: one section of a page."""
    return rx.card(
        rx.vstack(
            rx.heading(title, size="4", as_="h2"),
            *children,
            spacing=SPACE["normal"],
            width="100%",
            align="stretch",
        ),
        width="100%",
        id=test_id or None,
        **props,
    )


def money(
    amount: rx.Var | str, *, gain: rx.Var | bool = False, size: str = TYPE["body"], **props
) -> rx.Component:
    """An amount already formatted for the reader's locale; tabular digits, green on a gain."""
    return rx.text(
        amount,
        size=size,
        weight="bold",
        white_space="nowrap",
        color=rx.cond(gain, COLOUR["gain"], rx.color("gray", 12)),
        style={"font_variant_numeric": "tabular-nums"},
        **props,
    )


def empty_state(
    icon: str, title: rx.Var | str, hint: rx.Var | str = "", *actions: rx.Component
) -> rx.Component:
    """What a list shows when it has nothing yet: an icon, one sentence, the way forward."""
    return rx.vstack(
        rx.icon(icon, size=32, color=COLOUR["muted"]),
        rx.text(title, weight="medium", text_align="center"),
        rx.cond(hint != "", rx.text(hint, size=TYPE["small"], color=COLOUR["muted"], text_align="center")),
        *actions,
        align="center",
        spacing=SPACE["snug"],
        padding_y="2em",
        width="100%",
        class_name="empty-state",
    )


def error_state(code: str, title: rx.Var | str, hint: rx.Var | str, *actions: rx.Component) -> rx.Component:
    """A whole-page error (404, 500): big code, plain words, a way back."""
    return rx.center(
        rx.vstack(
            rx.heading(
                code, size="9", color=COLOUR["accent"], style={"font_variant_numeric": "tabular-nums"}
            ),
            rx.heading(title, size="6", as_="h1", text_align="center"),
            rx.text(hint, color=COLOUR["muted"], text_align="center", max_width="32em"),
            rx.hstack(*actions, spacing=SPACE["normal"], wrap="wrap", justify="center"),
            align="center",
            spacing=SPACE["loose"],
        ),
        min_height="60vh",
        padding="2em 1em",
        width="100%",
    )


def field_label(*children: rx.Var | rx.Component | str, html_for: str, **props) -> rx.Component:
    """The visible label of a form control, tied to it by `for` (Radix Text would drop `htmlFor`)."""
    props.setdefault("size", TYPE["small"])
    props.setdefault("weight", "medium")
    return rx.el.label(rx.text(*children, as_="span", **props), html_for=html_for)
