"""Golden Fives: 5 reels, 3 rows, 10 lines; the reels land on what the server already decided."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.casino import (
    game_screen,
    play_beside,
)
from casino_app.ui.components.common import error_callout
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.casino import CasinoState
from casino_app.ui.state.rg_play import RealityState
from casino_app.ui.state.slot import SlotState

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
                rx.text("WILD", size="1", weight="bold", color=rx.color("violet", 11)),
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
        border=rx.cond(lit, f"2px solid {rx.color('amber', 9)}", f"1px solid {rx.color('gray', 5)}"),
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
                rx.text("WIN ", SlotState.win_text, size="6", weight="bold", color=rx.color("grass", 11)),
                rx.cond(
                    SlotState.paid,
                    # A return below the stake is not celebrated (no "loss disguised as a win").
                    rx.text("Returned ", SlotState.win_text, size="4", weight="medium"),
                    rx.text("No win this spin", size="4", color_scheme="gray"),
                ),
            ),
            rx.foreach(
                SlotState.line_wins,
                lambda w: rx.text(
                    "Line ",
                    w.line,
                    ": ",
                    w.count,
                    " × ",
                    w.symbol,
                    " pays ",
                    w.pays,
                    size="1",
                    color_scheme="gray",
                ),
            ),
            align="center",
            spacing="1",
            id="slot-result",
            min_height="3.5em",
        ),
        rx.text("Choose a stake and spin.", size="3", color_scheme="gray", min_height="3.5em"),
    )


def feature_banner() -> rx.Component:
    return rx.cond(
        SlotState.in_feature,
        rx.callout(
            rx.vstack(
                rx.text(SlotState.feature_text, weight="bold", id="feature-text"),
                rx.text(SlotState.free_left, " free spins left · your stake is already in", size="2"),
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
            rx.text("Stake", size="2", weight="medium"),
            rx.segmented_control.root(
                rx.foreach(
                    SlotState.stake_options,
                    lambda s: rx.segmented_control.item(
                        rx.cond(s.to(int) >= 100, "€" + (s.to(int) / 100).to_string(), s + "c"), value=s
                    ),
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
                "Free spin",
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
                "Spin ",
                SlotState.stake_text,
                on_click=SlotState.spin,
                size="4",
                width="100%",
                id="spin",
                disabled=~SlotState.can_spin | (CasinoState.commitment == ""),
                loading=SlotState.busy,
            ),
        ),
        rx.text("Spins are at least 2.5 seconds apart. No autoplay.", size="1", color_scheme="gray"),
        width="100%",
        spacing="2",
    )


def paytable_card() -> rx.Component:
    def pay_row(p: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(rx.hstack(symbol_icon(p.symbol, 18), rx.text(p.symbol, size="1"), align="center")),
            rx.table.cell(p.five),
            rx.table.cell(p.four),
            rx.table.cell(p.three),
            rx.table.cell(p.two),
        )

    return rx.card(
        rx.vstack(
            rx.heading("Paytable", size="3"),
            rx.text(
                "Line wins pay left to right, in multiples of the line bet (stake ÷ ",
                SlotState.lines,
                "). Wild stands in for every symbol but the star.",
                size="1",
                color_scheme="gray",
            ),
            rx.table.root(
                rx.table.header(
                    rx.table.row(*[rx.table.column_header_cell(h) for h in ("", "5", "4", "3", "2")]),
                ),
                rx.table.body(rx.foreach(SlotState.paytable, pay_row)),
                size="1",
                width="100%",
            ),
            rx.text(SlotState.scatter_text, size="1"),
            rx.text(SlotState.free_text, size="1"),
            rx.text(
                "Return to player ",
                rx.text.strong(SlotState.rtp),
                " (exact, from the reel strips)",
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
        "Golden Fives",
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
