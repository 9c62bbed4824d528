"""The terms and the privacy notice, with the versions registration records."""

import reflex as rx

from casino_app.domain.identity.rules import PRIVACY_VERSION, TERMS_VERSION
from casino_app.ui import routes
from casino_app.ui.layouts.player import player_page

TERMS = (
    "You must be 18 or older and live in a country we accept players from.",
    "One account per person. Your wallet is in euro; only cash can be withdrawn.",
    "Draws are provably fair: each draw publishes a commitment to its seed before sales open.",
    "Sales stop 60 seconds before each draw. A ticket bought is final.",
    "You can set limits, take a break or exclude yourself at any time.",
)
PRIVACY = (
    "We keep your name, date of birth, phone and email encrypted; we store only a hash of your password.",
    "We record sign-ins (time and address) to protect your account and show them to you.",
    "Regulators require us to keep transactions for a number of years.",
    "You can download your data or ask us to erase it from the Privacy page.",
)


def _document(title: str, version: str, points: tuple[str, ...]) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="6"),
        rx.badge(f"Version {version}", color_scheme="gray", width="fit-content"),
        rx.card(
            rx.el.ol(
                *[rx.el.li(rx.text(p, size="2"), margin_bottom="0.5em") for p in points], padding_left="1.2em"
            ),
            width="100%",
        ),
        rx.text(
            "This is a demo text; the real documents come from the operator's legal team.",
            size="1",
            color_scheme="gray",
        ),
        spacing="3",
        width="100%",
        max_width="760px",
        margin_x="auto",
    )


@player_page(route=routes.TERMS, title="Terms", guard=False)
def terms() -> rx.Component:
    return _document("Terms and conditions", TERMS_VERSION, TERMS)


@player_page(route=routes.PRIVACY_NOTICE, title="Privacy notice", guard=False)
def privacy_notice() -> rx.Component:
    return _document("Privacy notice", PRIVACY_VERSION, PRIVACY)
