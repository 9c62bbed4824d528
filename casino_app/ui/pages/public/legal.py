"""The terms and the privacy notice, with the versions registration records."""

import reflex as rx

from casino_app.domain.identity.rules import PRIVACY_VERSION, TERMS_VERSION
from casino_app.ui import routes
from casino_app.ui.components.design import COLOUR, SPACE, TYPE, page_header
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page

# The catalog keys of each document's points, in order (catalogs/<lang>/legal.json).
TERMS = tuple(f"legal.terms_{i}" for i in range(1, 6))
PRIVACY = tuple(f"legal.privacy_{i}" for i in range(1, 5))


def _document(title_key: str, version: str, points: tuple[str, ...]) -> rx.Component:
    return rx.vstack(
        page_header(tr(title_key)),
        rx.badge(tr("legal.version"), " ", version, color_scheme="gray", width="fit-content"),
        rx.card(
            rx.el.ol(
                *[rx.el.li(rx.text(tr(key), size=TYPE["small"]), margin_bottom="0.5em") for key in points],
                padding_left="1.2em",
            ),
            width="100%",
        ),
        rx.text(tr("legal.demo_note"), size=TYPE["fine"], color=COLOUR["muted"]),
        spacing=SPACE["normal"],
        width="100%",
        max_width="760px",
        margin_x="auto",
    )


@player_page(route=routes.TERMS, title="Terms", guard=False)
def terms() -> rx.Component:
    return _document("legal.terms_title", TERMS_VERSION, TERMS)


@player_page(route=routes.PRIVACY_NOTICE, title="Privacy notice", guard=False)
def privacy_notice() -> rx.Component:
    return _document("legal.privacy_title", PRIVACY_VERSION, PRIVACY)
