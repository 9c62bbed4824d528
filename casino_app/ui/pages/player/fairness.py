"""Provably fair: how outcomes are made, the player's seeds, and a verifier that runs in the browser."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.casino import casino_style, fair_panel, rounds_card, rules_holder
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.fairness import FairnessState

FORMULA = 'bytes = HMAC-SHA256(key = server seed, message = "<client seed>:<nonce>:<cursor>")'
STEPS = (
    ("lock", "Before your first bet you see the SHA-256 hash of a secret server seed: we are bound to it."),
    (
        "key_round",
        "You may set your own client seed at any time; each bet uses the next nonce (0, 1, 2 ...).",
    ),
    (
        "binary",
        "A round's outcome comes only from the bytes above, cursor 0, 1, 2 ..., never from your stake, "
        "balance or history. Ranges use rejection sampling, so no outcome is more likely than another.",
    ),
    (
        "dices",
        "Dice: one number 0-9999 (shown 0.00-99.99). Roulette: one pocket 0-36. Slot: one stop per reel, "
        "left to right, then one set per free spin.",
    ),
    (
        "refresh_cw",
        "Rotate your seed pair to reveal the server seed: anyone can then check its hash and replay "
        "every round of that pair. Rotation waits until no round of yours is open.",
    ),
)


def how_it_works() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("How it works", size="4"),
            *[
                rx.hstack(
                    rx.icon(icon, size=18, flex_shrink="0"),
                    rx.text(text, size="2"),
                    align="start",
                    spacing="3",
                )
                for icon, text in STEPS
            ],
            rx.code(FORMULA, size="1", style={"white_space": "normal", "word_break": "break-word"}),
            rx.text(
                "The verifier on this page is plain JavaScript (",
                rx.link("/verifier.js", href="/verifier.js", is_external=True),
                ") with its own SHA-256: it asks our server nothing. Every bet also has a receipt "
                "signed with Ed25519; the public key is at ",
                rx.link(
                    "/.well-known/kasyno-receipt-key.json",
                    href="/.well-known/kasyno-receipt-key.json",
                    is_external=True,
                ),
                " and tools/verify_receipt.py checks a receipt offline.",
                size="2",
            ),
            spacing="3",
        ),
        width="100%",
    )


def _field(label: str, field_id: str, placeholder: str = "", default: str = "") -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", weight="medium", as_="label", html_for=field_id),
        rx.input(id=field_id, placeholder=placeholder, default_value=default, width="100%"),
        spacing="1",
        width="100%",
    )


def manual_verifier() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Verify any round", size="4"),
            rx.text(
                "Paste a revealed server seed, the client seed and the nonce.", size="2", color_scheme="gray"
            ),
            rx.vstack(
                rx.text("Game", size="1", weight="medium", as_="label", html_for="pf-game"),
                rx.el.select(
                    rx.el.option("Dice", value="dice"),
                    rx.el.option("European Roulette", value="roulette"),
                    rx.el.option("Golden Fives (slot)", value="slot"),
                    id="pf-game",
                    style={"padding": "0.4em", "border_radius": "6px", "width": "100%"},
                ),
                spacing="1",
                width="100%",
            ),
            _field("Server seed (revealed)", "pf-server-seed", "64 hex characters"),
            _field("Server seed hash (optional)", "pf-commitment", "the hash shown before the bet"),
            rx.grid(
                _field("Client seed", "pf-client-seed"),
                _field("Nonce", "pf-nonce", "0", "0"),
                columns="2fr 1fr",
                spacing="2",
                width="100%",
            ),
            rx.el.input(type="hidden", id="pf-version", value="current"),
            rx.button(rx.icon("badge_check"), "Verify in my browser", id="pf-verify", type="button"),
            rx.el.div(id="pf-output", class_name="pf-out"),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def revealed_card() -> rx.Component:
    def row(p: rx.Var) -> rx.Component:
        return rx.vstack(
            rx.text(
                "Revealed ",
                p.revealed,
                " · ",
                p.rounds,
                " rounds · client seed ",
                rx.code(p.client_seed),
                size="1",
            ),
            rx.text("Server seed", size="1", color_scheme="gray"),
            rx.el.div(p.server_seed, class_name="mono-wrap"),
            rx.text("Hash", size="1", color_scheme="gray"),
            rx.el.div(p.commitment, class_name="mono-wrap"),
            spacing="1",
            width="100%",
            padding_y="0.5em",
            border_bottom=f"1px solid {rx.color('gray', 4)}",
            class_name="revealed-pair",
        )

    return rx.card(
        rx.vstack(
            rx.heading("Your revealed seed pairs", size="4"),
            rx.cond(
                FairnessState.revealed.length() > 0,
                rx.vstack(rx.foreach(FairnessState.revealed, row), width="100%", spacing="0"),
                rx.text(
                    "None yet: rotate your seed pair to reveal the current server seed.",
                    size="2",
                    color_scheme="gray",
                ),
            ),
            width="100%",
        ),
        width="100%",
    )


@player_page(route=routes.FAIRNESS, title="Provably fair", on_load=FairnessState.load)
def fairness_page() -> rx.Component:
    return rx.vstack(
        casino_style(),
        rules_holder(),
        rx.heading("Provably fair", size="6"),
        rx.grid(
            how_it_works(),
            rx.vstack(fair_panel(), manual_verifier(), width="100%", spacing="4"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        rounds_card("Your recent rounds, all games"),
        revealed_card(),
        rx.hstack(
            rx.link("Dice", href=routes.DICE),
            rx.link("Roulette", href=routes.ROULETTE),
            rx.link("Golden Fives", href=routes.SLOTS),
            spacing="4",
        ),
        spacing="4",
        width="100%",
    )
