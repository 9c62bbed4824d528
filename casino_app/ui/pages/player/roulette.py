"""European roulette: the betting board (vertical on phones, the classic table on wide screens)."""

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from casino_app.domain.games.roulette import RED
from casino_app.ui import routes
from casino_app.ui.components.casino import (
    fair_panel,
    game_screen,
)
from casino_app.ui.components.common import error_callout
from casino_app.ui.components.design import COLOUR, SPACE, TYPE
from casino_app.ui.i18n.catalog import DEFAULT_LANGUAGE, LANGUAGES, translations
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.games.casino import CasinoState
from casino_app.ui.state.games.roulette import MODES, RouletteState, outside_key
from casino_app.ui.state.rg.play import RealityState
from casino_app.ui.state.session.locale import LocaleState
from casino_app.ui.state.session.presses import PRESSED_AT

CELL = "2.6em"
FELT = {"red": "#c53640", "black": "#1e1f24", "green": "#1f8a4c"}
LIT, PLAIN, PLAIN_OUTSIDE = "3px solid var(--amber-9)", "1px solid var(--gray-a5)", "1px solid var(--gray-a6)"
PICKED = "3px dashed var(--amber-10)"


def _colour(n: int) -> str:
    return "green" if n == 0 else "red" if n in RED else "black"


def _chip(spot: str, *, outside: bool = False) -> rx.Component:
    """The amount on a spot: inside a number's corner, above an outside bet's label."""
    place = (
        {"top": "-0.7em", "right": "-0.2em", "z_index": "1"} if outside else {"bottom": "1px", "right": "1px"}
    )
    return rx.cond(
        RouletteState.chips_on.contains(spot),
        rx.badge(
            RouletteState.chips_on[spot],
            position="absolute",
            **place,
            size="1",
            radius="full",
            color_scheme="amber",
            variant="solid",
            style={"font_size": "0.62em", "padding": "0 0.35em", "pointer_events": "none"},
        ),
    )


def _number_label(n: int) -> rx.Var:
    """ "Number 17" for screen readers, in the tab's language (like `tr`, with the number filled in)."""
    values = translations("roulette.number")
    chosen: rx.Var = rx.Var.create(values[DEFAULT_LANGUAGE].format(n=n))
    for lang in LANGUAGES:
        if lang != DEFAULT_LANGUAGE:
            chosen = rx.cond(LocaleState.lang == lang, values[lang].format(n=n), chosen)
    return chosen


def number_cell(n: int) -> rx.Component:
    """A number on the board: its place is a row of three on phones, a column of three on the table."""
    col, row = (n - 1) % 3 + 1, (n - 1) // 3 + 2
    lit = RouletteState.has_result & (RouletteState.pocket == n)
    picked = RouletteState.picking.contains(n)
    return rx.el.button(
        rx.text(str(n), weight="bold", size="3"),
        _chip(f"straight:{n}"),
        on_click=RouletteState.tap_number(n),
        type="button",
        aria_label=_number_label(n),
        custom_attrs={"data-number": str(n)},
        style={
            "position": "relative",
            "min_height": CELL,
            "border": rx.cond(lit, LIT, PLAIN),
            "outline": rx.cond(picked, PICKED, "none"),
            "outline_offset": "-4px",
            "border_radius": "6px",
            "color": "white",
            "background": FELT[_colour(n)],
            "cursor": "pointer",
            "grid_column": rx.breakpoints(initial=str(col), md=str(row)),
            "grid_row": rx.breakpoints(initial=str(row), md=str(4 - col)),
        },
    )


def zero_cell() -> rx.Component:
    lit = RouletteState.has_result & (RouletteState.pocket == 0)
    return rx.el.button(
        rx.text("0", weight="bold", size="3"),
        _chip("straight:0"),
        on_click=RouletteState.tap_number(0),
        type="button",
        aria_label=tr("roulette.number_zero"),
        custom_attrs={"data-number": "0"},
        style={
            "position": "relative",
            "min_height": CELL,
            "border": rx.cond(lit, LIT, PLAIN),
            "outline": rx.cond(RouletteState.picking.contains(0), PICKED, "none"),
            "outline_offset": "-4px",
            "border_radius": "6px",
            "color": "white",
            "background": FELT["green"],
            "cursor": "pointer",
            "grid_column": rx.breakpoints(initial="1 / span 3", md="1"),
            "grid_row": rx.breakpoints(initial="1", md="1 / span 3"),
        },
    )


def board() -> rx.Component:
    return rx.box(
        zero_cell(),
        *[number_cell(n) for n in range(1, 37)],
        display="grid",
        grid_template_columns=rx.breakpoints(initial="repeat(3, 1fr)", md="1.2fr repeat(12, 1fr)"),
        gap="4px",
        width="100%",
        id="roulette-board",
    )


def outside_button(spot: str) -> rx.Component:
    felt = FELT.get(spot)
    return rx.el.button(
        rx.text(tr(outside_key(spot)), size="2", weight="medium"),
        _chip(spot, outside=True),
        on_click=RouletteState.place_outside(spot),
        type="button",
        custom_attrs={"data-spot": spot},
        style={
            "position": "relative",
            "min_height": "2.6em",
            "border_radius": "6px",
            "border": rx.cond(
                RouletteState.has_result & RouletteState.winning.contains(spot),
                LIT,
                PLAIN_OUTSIDE,
            ),
            "background": felt or "var(--amber-3)",
            "color": "white" if felt else "var(--gray-12)",
            "cursor": "pointer",
        },
    )


def outside_bets() -> rx.Component:
    def row(spots: list[str]) -> rx.Component:
        return rx.grid(
            *[outside_button(s) for s in spots], columns=str(len(spots)), spacing="1", width="100%"
        )

    return rx.vstack(
        row(["dozen:1", "dozen:2", "dozen:3"]),
        row(["column:1", "column:2", "column:3"]),
        row(["low", "even", "red", "black", "odd", "high"]),
        spacing="3",
        width="100%",
        padding_top="0.5em",
    )


def bet_line(bet: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(bet.label, size="2", weight="medium"),
        rx.text(bet.pays, size="1", color_scheme="gray"),
        rx.spacer(),
        rx.text(bet.amount, size="2", weight="bold"),
        rx.icon_button(
            rx.icon("x", size=14),
            on_click=RouletteState.remove_bet(bet.spot),
            size="1",
            variant="ghost",
            color_scheme="gray",
            aria_label=tr("roulette.remove_bet"),
        ),
        width="100%",
        align="center",
        class_name="roulette-bet",
    )


def result_display() -> rx.Component:
    return rx.cond(
        RouletteState.has_result,
        rx.hstack(
            rx.box(
                rx.text(RouletteState.pocket, size="7", weight="bold", color="white"),
                width="3.2em",
                height="3.2em",
                border_radius="50%",
                display="flex",
                align_items="center",
                justify_content="center",
                background=rx.match(
                    RouletteState.pocket_colour,
                    ("red", "var(--red-9)"),
                    ("black", "var(--gray-12)"),
                    "var(--grass-9)",
                ),
                class_name=rx.cond(RouletteState.spins % 2 == 0, "pop-a", "pop-b"),
                id="roulette-pocket",
            ),
            rx.vstack(
                rx.text(RouletteState.pocket_text, size="4", weight="bold"),
                rx.text(RouletteState.result_line, size="3", id="roulette-result"),
                spacing="0",
            ),
            align="center",
            spacing="3",
        ),
        rx.text(tr("roulette.place_and_spin"), size=TYPE["body"], color=COLOUR["muted"]),
    )


def controls() -> rx.Component:
    return rx.vstack(
        rx.segmented_control.root(
            *[rx.segmented_control.item(tr(f"roulette.mode_{m}"), value=m) for m in MODES],
            value=RouletteState.mode,
            on_change=RouletteState.set_mode,
            size="1",
            width="100%",
            id="bet-mode",
        ),
        rx.text(RouletteState.mode_hint, size="1", color_scheme="gray"),
        rx.hstack(
            rx.text(tr("roulette.chip"), size="2", weight="medium"),
            rx.segmented_control.root(
                rx.foreach(
                    RouletteState.chip_options,
                    lambda c: rx.segmented_control.item(c[1], value=c[0]),
                ),
                value=RouletteState.chip.to_string(),
                on_change=RouletteState.set_chip,
                size="1",
                id="chip-value",
            ),
            align="center",
            width="100%",
            wrap="wrap",
        ),
    )


def bets_box() -> rx.Component:
    return rx.vstack(
        rx.cond(
            RouletteState.bets.length() > 0,
            rx.vstack(
                rx.foreach(RouletteState.bets, bet_line), width="100%", spacing="1", id="roulette-bets"
            ),
            rx.text(tr("roulette.no_bets"), size="2", color_scheme="gray"),
        ),
        rx.hstack(
            rx.text(
                tr("roulette.total"), rx.text.strong(RouletteState.total_text, id="roulette-total"), size="2"
            ),
            rx.spacer(),
            rx.button(
                tr("roulette.clear"),
                on_click=RouletteState.clear_bets,
                variant="ghost",
                color_scheme="gray",
                size="2",
            ),
            rx.button(
                rx.icon("circle_dot"),
                tr("roulette.spin"),
                on_click=RouletteState.spin(PRESSED_AT),
                size="3",
                id="spin-wheel",
                disabled=has_connection_errors
                | RouletteState.busy
                | (RouletteState.bets.length() == 0)
                | (CasinoState.commitment == ""),
                loading=RouletteState.busy,
            ),
            width="100%",
            align="center",
        ),
        error_callout(RouletteState.error, "roulette-error"),
        width="100%",
        spacing="2",
    )


def rules_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("roulette.rules_title"), size="3", as_="h2"),
            rx.text(tr("roulette.rule_wheel"), size="2"),
            rx.text(tr("roulette.rule_inside"), size="2"),
            rx.text(tr("roulette.rule_outside"), size="2"),
            rx.text(
                tr("roulette.rtp_pre"), rx.text.strong(RouletteState.rtp), tr("roulette.rtp_post"), size="2"
            ),
            rx.text(RouletteState.limits_text, size="1", color_scheme="gray"),
            spacing=SPACE["snug"],
        ),
        width="100%",
    )


@player_page(route=routes.ROULETTE, title="Roulette", on_load=[RouletteState.load, RealityState.check])
def roulette_page() -> rx.Component:
    return game_screen(
        tr("roulette.title"),
        RouletteState.rtp,
        rx.card(
            rx.vstack(
                result_display(), controls(), board(), outside_bets(), bets_box(), spacing="3", width="100%"
            ),
            width="100%",
        ),
        rx.grid(
            rules_card(),
            fair_panel(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
    )
