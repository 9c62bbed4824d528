"""Keyboard and screen-reader pieces of the player layout: the skip link and the focus ring.

The skip link is the first stop of Tab on every page and jumps past the header to `<main>`;
the focus ring shows where the keyboard is (`:focus-visible`, so a mouse click draws none).
"""

from __future__ import annotations

import reflex as rx
from reflex_components_core.el.elements.base import BaseHTML

from casino_app.ui.i18n.text import tr

MAIN_ID = "main"
_RING = f"2px solid {rx.color('amber', 9)}"
_SR_ONLY = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "padding": "0",
    "margin": "-1px",
    "overflow": "hidden",
    "clip": "rect(0, 0, 0, 0)",
    "white_space": "nowrap",
    "border": "0",
}
# Applied at the layout's root: every focusable descendant gets the same visible ring.
FOCUS_STYLE = {
    "& :focus-visible": {"outline": _RING, "outline_offset": "2px"},
    f"& #{MAIN_ID}:focus": {"outline": "none"},  # the skip link's target is a region, not a control
    # A link inside running text is underlined, not told apart by its colour alone.
    "& p .rt-Link": {"text_decoration_line": "underline"},
}


class _Anchor(BaseHTML):
    """A plain `<a>`: `rx.el.a` is a router link, which turns "#main" into a page navigation."""

    tag = "a"
    href: rx.Var[str]


def skip_link() -> rx.Component:
    """Off screen until focused by the first Tab; Enter moves focus to the page's content."""
    return _Anchor.create(
        tr("nav.skip_to_content"),
        href=f"#{MAIN_ID}",
        id="skip-link",
        style={
            "position": "absolute",
            "left": "-10000px",
            "top": "0.5em",
            "z_index": "100",
            "padding": "0.6em 1em",
            "border_radius": "var(--radius-3)",
            "background": rx.color("amber", 9),
            "color": rx.color("gray", 1),
            "font_weight": "600",
            "&:focus": {"left": "0.5em"},
        },
    )


def sr_only(*children: rx.Var | rx.Component | str) -> rx.Component:
    """Text for screen readers only: part of the accessible name, not of the picture."""
    return rx.el.span(*children, style=_SR_ONLY)
