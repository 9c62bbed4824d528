"""Golden Fives: 5 reels, 3 rows, 10 lines; the reels land on what the server already decided."""

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from casino_app.ui import routes
from casino_app.ui.components.casino import (
    game_screen,
    play_beside,
)
from casino_app.ui.components.common import error_callout
from casino_app.ui.components.design import COLOUR, TYPE, money
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.games.casino import CasinoState
from casino_app.ui.state.games.slot import SlotState
from casino_app.ui.state.rg.play import RealityState
from casino_app.ui.state.session.presses import PRESSED_AT

SYMBOLS = {
    "seven": ("7", "red"),
    "wild": ("sparkles", "violet"),
    "crown": ("crown", "amber"),
    "bell": ("bell", "yellow"),
    "gem": ("gem", "cyan"),
    "grape": ("grape", "purple"),
    "citrus": ("citrus", "orange"),
    "cherry": ("cherry", "crimson"),
    "star": ("star", "gold"),
}

CELL_LIT, CELL_PLAIN = f"2px solid {rx.color('amber', 9)}", f"1px solid {rx.color('gray', 5)}"


def symbol_icon(symbol: rx.Var, size: int = 30) -> rx.Component:
    return rx.match(
        symbol,
        (
            "seven",
            rx.text("7", size="7", weight="bold", color=rx.color("red", 10), style={"line_height": "1"}),
        ),
        (
            "wild",
            rx.vstack(
                rx.icon("sparkles", size=size - 8, color=rx.color("violet", 10)),
                rx.text(tr("slots.wild_badge"), size="1", weight="bold", color=rx.color("violet", 11)),
                spacing="0",
                align="center",
            ),
        ),
        *[
            (name, rx.icon(icon, size=size, color=rx.color(colour, 10)))
            for name, (icon, colour) in SYMBOLS.items()
            if name not in ("seven", "wild")
        ],
        rx.text(symbol, size="1"),
    )


def cell(symbol: rx.Var, reel: rx.Var, row: rx.Var) -> rx.Component:
    lit = SlotState.highlight.contains(reel.to_string() + "-" + row.to_string())
    return rx.box(
        symbol_icon(symbol),
        display="flex",
        align_items="center",
        justify_content="center",
        height=rx.breakpoints(initial="3.6em", md="4.6em"),
        width="100%",
        border_radius="10px",
        background=rx.cond(lit, rx.color("amber", 4), rx.color("gray", 2)),
        border=rx.cond(lit, CELL_LIT, CELL_PLAIN),
        custom_attrs={"data-symbol": symbol},
    )


def reel(column: rx.Var, index: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.foreach(column, lambda symbol, row: cell(symbol, index, row)),
        spacing="2",
        width="100%",
        align="stretch",
        class_name="reel",
    )


def reels() -> rx.Component:
    return rx.box(
        rx.grid(
            rx.foreach(SlotState.window, reel),
            columns="5",
            spacing="2",
            width="100%",
            class_name=rx.cond(SlotState.parity, "reels-a", "reels-b"),
            id="reels",
        ),
        padding="0.6em",
        border_radius="14px",
        background=f"linear-gradient(180deg, {rx.color('amber', 3)}, {rx.color('gray', 3)})",
        border=f"2px solid {rx.color('amber', 7)}",
        overflow="hidden",
        width="100%",
    )


def win_line() -> rx.Component:
    return rx.cond(
        SlotState.has_result,
        rx.vstack(
            rx.cond(
                SlotState.gained,
                rx.hstack(
                    rx.text(tr("slots.win"), size="6", weight="bold", color=COLOUR["gain"]),
                    money(SlotState.win_text, gain=True, size="6"),
                    align="baseline",
                    spacing="1",
                ),
                rx.cond(
                    SlotState.paid,
                    # A return below the stake is not celebrated (no "loss disguised as a win").
                    rx.text(tr("slots.returned"), SlotState.win_text, size="4", weight="medium"),
                    rx.text(tr("slots.no_win_spin"), size="4", color_scheme="gray"),
                ),
            ),
            rx.foreach(
                SlotState.line_wins,
                lambda w: rx.text(w.text, size="1", color_scheme="gray"),
            ),
            align="center",
            spacing="1",
            id="slot-result",
            min_height="3.5em",
        ),
        rx.text(tr("slots.choose_and_spin"), size=TYPE["body"], color=COLOUR["muted"], min_height="3.5em"),
    )


def feature_banner() -> rx.Component:
    return rx.cond(
        SlotState.in_feature,
        rx.callout(
            rx.vstack(
                rx.text(SlotState.feature_text, weight="bold", id="feature-text"),
                rx.text(SlotState.free_left_text, size="2"),
                spacing="1",
            ),
            icon="star",
            color_scheme="amber",
            width="100%",
        ),
    )


def controls() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(tr("slots.stake"), size="2", weight="medium"),
            rx.segmented_control.root(
                rx.foreach(
                    SlotState.stake_options,
                    lambda s: rx.segmented_control.item(s[1], value=s[0]),
                ),
                value=SlotState.stake_minor.to_string(),
                on_change=SlotState.set_stake,
                size="1",
                id="slot-stake",
            ),
            align="center",
            wrap="wrap",
            width="100%",
        ),
        rx.cond(
            SlotState.in_feature,
            rx.button(
                rx.icon("star"),
                tr("slots.free_spin"),
                on_click=SlotState.free_spin,
                size="4",
                width="100%",
                color_scheme="amber",
                id="free-spin",
                disabled=SlotState.busy | SlotState.cooldown,
                loading=SlotState.busy,
            ),
            rx.button(
                rx.icon("rotate_cw"),
                tr("slots.spin"),
                SlotState.stake_text,
                on_click=SlotState.spin(PRESSED_AT),
                size="4",
                width="100%",
                id="spin",
                disabled=~SlotState.can_spin | (CasinoState.commitment == "") | has_connection_errors,
                loading=SlotState.busy,
            ),
        ),
        rx.text(tr("slots.pace"), size="1", color_scheme="gray"),
        width="100%",
        spacing="2",
    )


def paytable_card() -> rx.Component:
    def pay_row(p: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(rx.hstack(symbol_icon(p.symbol, 18), rx.text(p.label, size="1"), align="center")),
            rx.table.cell(p.five),
            rx.table.cell(p.four),
            rx.table.cell(p.three),
            rx.table.cell(p.two),
        )

    return rx.card(
        rx.vstack(
            rx.heading(tr("slots.paytable"), size="3", as_="h2"),
            rx.text(
                tr("slots.paytable_intro_pre"),
                SlotState.lines,
                tr("slots.paytable_intro_post"),
                size="1",
                color_scheme="gray",
            ),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(tr("slots.symbol")),
                        *[rx.table.column_header_cell(h) for h in ("5", "4", "3", "2")],
                    ),
                ),
                rx.table.body(rx.foreach(SlotState.paytable, pay_row)),
                size="1",
                width="100%",
            ),
            rx.text(SlotState.scatter_text, size="1"),
            rx.text(SlotState.free_text, size="1"),
            rx.text(
                tr("slots.rtp_pre"),
                rx.text.strong(SlotState.rtp),
                tr("slots.rtp_post"),
                size="2",
                id="slot-rtp",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


@player_page(route=routes.SLOTS, title="Golden Fives", on_load=[SlotState.load, RealityState.check])
def slots_page() -> rx.Component:
    return game_screen(
        tr("slots.title"),
        SlotState.rtp,
        play_beside(
            rx.vstack(
                reels(),
                win_line(),
                feature_banner(),
                rx.cond(SlotState.notice != "", rx.callout(SlotState.notice, icon="info", width="100%")),
                controls(),
                error_callout(SlotState.error, "slot-error"),
                spacing="3",
                width="100%",
                align="center",
            ),
            paytable_card(),
        ),
    )
