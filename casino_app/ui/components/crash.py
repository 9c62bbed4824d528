"""What a player sees when a page fails to render: calm words and a reload, no stack trace.

It replaces Reflex's default error boundary (which prints the error and a framework logo). The
boundary sits outside the app's state, so its text cannot follow the tab's language: it says
it in both, from the catalogs. The error itself still reaches the server log.
"""

from __future__ import annotations

import reflex as rx
from reflex_components_core.base.error_boundary import ErrorBoundary

from casino_app.ui.i18n.catalog import LANGUAGES, text

_BOX = {
    "min_height": "100vh",
    "display": "flex",
    "align_items": "center",
    "justify_content": "center",
    "padding": "2em 1em",
    "background": "#111110",
    "color": "#eeeeec",
    "font_family": "system-ui, sans-serif",
    "text_align": "center",
}


def _both(key: str) -> str:
    return " / ".join(text(lang, key) for lang in LANGUAGES)


def crash_page() -> rx.Component:
    """The fallback: a heading, one sentence, a reload button (bilingual, plain HTML)."""
    return rx.el.div(
        rx.el.div(
            rx.el.p(
                "500", style={"font_size": "4em", "font_weight": "800", "color": "#ffc53d", "margin": "0"}
            ),
            rx.el.h1(_both("crash.title"), style={"font_size": "1.5em", "margin": "0.5em 0"}),
            rx.el.p(_both("crash.hint"), style={"opacity": "0.8", "max_width": "32em"}),
            rx.el.button(
                _both("crash.reload"),
                on_click=rx.call_script("window.location.reload()"),
                style={
                    "margin_top": "1em",
                    "padding": "0.6em 1.4em",
                    "border_radius": "0.6em",
                    "border": "none",
                    "background": "#ffc53d",
                    "color": "#211d0b",
                    "font_weight": "700",
                    "cursor": "pointer",
                },
            ),
            id="crash-page",
        ),
        style=_BOX,
    )


def error_boundary(stateful: bool) -> rx.Component:
    """The app wrap Reflex calls for its error boundary."""
    # As Reflex's own wrap: a stateless page has no backend to report the error to.
    report = {} if stateful else {"on_error": rx.noop()}
    return ErrorBoundary.create(fallback_render=crash_page(), **report)
