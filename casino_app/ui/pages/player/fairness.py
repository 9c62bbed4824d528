"""Provably fair: how outcomes are made, the player's seeds, and a verifier that runs in the browser."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.casino import casino_style, fair_panel, rounds_card, rules_holder
from casino_app.ui.components.design import SPACE, empty_state, field_label, page_header
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.games.fairness import CertificationState, CertLine, FairnessState

STEPS = ("lock", "key_round", "binary", "dices", "refresh_cw")  # icons; the text is fairness.step_<icon>


def how_it_works() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("fairness.how_it_works"), size="4", as_="h2"),
            *[
                rx.hstack(
                    rx.icon(icon, size=18, flex_shrink="0"),
                    rx.text(tr(f"fairness.step_{icon}"), size="2"),
                    align="start",
                    spacing="3",
                )
                for icon in STEPS
            ],
            rx.code(
                tr("fairness.formula"), size="1", style={"white_space": "normal", "word_break": "break-word"}
            ),
            rx.text(
                tr("fairness.verifier_pre"),
                rx.link("/verifier.js", href="/verifier.js", is_external=True),
                tr("fairness.verifier_mid"),
                rx.link(
                    "/.well-known/kasyno-receipt-key.json",
                    href="/.well-known/kasyno-receipt-key.json",
                    is_external=True,
                ),
                tr("fairness.verifier_post"),
                size="2",
            ),
            spacing="3",
        ),
        width="100%",
    )


def _field(label: rx.Var, field_id: str, placeholder: rx.Var | str = "", default: str = "") -> rx.Component:
    return rx.vstack(
        field_label(label, size="1", weight="medium", html_for=field_id),
        rx.input(id=field_id, placeholder=placeholder, default_value=default, width="100%"),
        spacing="1",
        width="100%",
    )


def manual_verifier() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("fairness.verify_any"), size="4", as_="h2"),
            rx.text(tr("fairness.paste_hint"), size="2", color_scheme="gray"),
            rx.vstack(
                field_label(tr("fairness.game"), size="1", weight="medium", html_for="pf-game"),
                rx.el.select(
                    rx.el.option(tr("casino.game_dice"), value="dice"),
                    rx.el.option(tr("casino.game_roulette"), value="roulette"),
                    rx.el.option(tr("fairness.game_slot_option"), value="slot"),
                    id="pf-game",
                    style={"padding": "0.4em", "border_radius": "6px", "width": "100%"},
                ),
                spacing="1",
                width="100%",
            ),
            _field(tr("fairness.server_seed_revealed"), "pf-server-seed", tr("fairness.hex_chars")),
            _field(tr("fairness.seed_hash_optional"), "pf-commitment", tr("fairness.hash_shown")),
            rx.grid(
                _field(tr("casino.client_seed"), "pf-client-seed"),
                _field(tr("casino.nonce"), "pf-nonce", "0", "0"),
                columns="2fr 1fr",
                spacing="2",
                width="100%",
            ),
            rx.el.input(type="hidden", id="pf-version", value="current"),
            rx.button(
                rx.icon("badge_check"), tr("fairness.verify_in_my_browser"), id="pf-verify", type="button"
            ),
            rx.el.div(id="pf-output", class_name="pf-out"),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def revealed_card() -> rx.Component:
    def row(p: rx.Var) -> rx.Component:
        return rx.vstack(
            rx.text(p.line, rx.code(p.client_seed), size="1"),
            rx.text(tr("casino.server_seed"), size="1", color_scheme="gray"),
            rx.el.div(p.server_seed, class_name="mono-wrap"),
            rx.text(tr("fairness.hash"), size="1", color_scheme="gray"),
            rx.el.div(p.commitment, class_name="mono-wrap"),
            spacing="1",
            width="100%",
            padding_y="0.5em",
            border_bottom=f"1px solid {rx.color('gray', 4)}",
            class_name="revealed-pair",
        )

    return rx.card(
        rx.vstack(
            rx.heading(tr("fairness.revealed_pairs"), size="4", as_="h2"),
            rx.cond(
                FairnessState.revealed.length() > 0,
                rx.vstack(rx.foreach(FairnessState.revealed, row), width="100%", spacing="0"),
                empty_state("key_round", tr("fairness.none_yet")),
            ),
            width="100%",
        ),
        width="100%",
    )


def _cert_row(line: CertLine) -> rx.Component:
    return rx.hstack(
        rx.icon(rx.cond(line.ok, "circle_check", "circle_x"), size=16, flex_shrink="0"),
        rx.vstack(
            rx.text(line.label, size="2", weight="medium"),
            rx.text(line.figure, " · ", line.detail, size="1", color_scheme="gray"),
            spacing="0",
        ),
        align="start",
        spacing="2",
        class_name="cert-line",
    )


def certification_card() -> rx.Component:
    """The newest RNG certification report: SP 800-22 pass proportions and chi-square p-values."""
    return rx.card(
        rx.vstack(
            rx.heading(tr("fairness.cert_title"), size="4", as_="h2"),
            rx.text(tr("fairness.cert_intro"), size="2", color_scheme="gray"),
            rx.cond(
                CertificationState.has_report,
                rx.vstack(
                    rx.badge(
                        rx.cond(
                            CertificationState.passed, tr("fairness.cert_passed"), tr("fairness.cert_failed")
                        ),
                        color_scheme=rx.cond(CertificationState.passed, "green", "red"),
                    ),
                    rx.text(CertificationState.summary, size="2"),
                    rx.text(CertificationState.scope, size="1", color_scheme="gray"),
                    rx.heading(tr("fairness.cert_battery"), size="3", as_="h3"),
                    rx.grid(
                        rx.foreach(CertificationState.battery, _cert_row),
                        columns=rx.breakpoints(initial="1", md="3"),
                        spacing="2",
                        width="100%",
                    ),
                    rx.heading(tr("fairness.cert_mapped"), size="3", as_="h3"),
                    rx.grid(
                        rx.foreach(CertificationState.mapped, _cert_row),
                        columns=rx.breakpoints(initial="1", md="3"),
                        spacing="2",
                        width="100%",
                    ),
                    rx.text(tr("fairness.cert_reproduce"), size="1", color_scheme="gray"),
                    spacing="2",
                    width="100%",
                ),
                empty_state("shield_check", tr("fairness.cert_none")),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="rng-certification",
        on_mount=CertificationState.load,
    )


@player_page(route=routes.FAIRNESS, title="Provably fair", on_load=FairnessState.load)
def fairness_page() -> rx.Component:
    return rx.vstack(
        casino_style(),
        rules_holder(),
        page_header(tr("fairness.title"), tr("fairness.subtitle")),
        rx.grid(
            how_it_works(),
            rx.vstack(fair_panel(), manual_verifier(), width="100%", spacing="4"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        rounds_card(tr("casino.recent_rounds_all")),
        revealed_card(),
        certification_card(),
        rx.hstack(
            rx.link(tr("casino.game_dice"), href=routes.DICE),
            rx.link(tr("fairness.link_roulette"), href=routes.ROULETTE),
            rx.link(tr("casino.game_slot"), href=routes.SLOTS),
            rx.link(tr("results.fairness_link"), href=routes.RESULTS, id="fairness-results-link"),
            spacing="4",
            wrap="wrap",
        ),
        spacing=SPACE["loose"],
        width="100%",
    )
