"""The lotto betting panel."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import ball, countdown, error_callout, number_row
from casino_app.ui.components.reality import play_session_line, reality_dialog
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.play import PlayState
from casino_app.ui.state.rg_play import RealityState


def number_button(n: rx.Var[int]) -> rx.Component:
    return rx.el.button(
        ball(n, selected=PlayState.selected.contains(n), size="2.6em"),
        on_click=PlayState.toggle(n),
        type="button",
        aria_label=f"Number {n}",
        custom_attrs={"data-number": n, "aria-pressed": PlayState.selected.contains(n)},
        style={"background": "none", "border": "none", "padding": "0", "cursor": "pointer"},
    )


def rules_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Rules and prizes", size="3"),
            rx.text("Pick ", PlayState.pick, " numbers. Prizes pay your stake times:", size="2"),
            rx.foreach(
                PlayState.paytable,
                lambda row: rx.hstack(
                    rx.text(row.matches, size="2"),
                    rx.spacer(),
                    rx.text(row.pays, size="2", weight="bold"),
                    width="100%",
                ),
            ),
            rx.text("Theoretical return to player: ", PlayState.rtp, size="1", color_scheme="gray"),
            rx.text(
                "Stake ", PlayState.min_stake, " to ", PlayState.max_stake, size="1", color_scheme="gray"
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def receipt_card() -> rx.Component:
    r = PlayState.receipt
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("circle_check", color=rx.color("grass", 10)),
                rx.heading("Ticket bought", size="5"),
                align="center",
            ),
            rx.text("Validation number", size="1", color_scheme="gray"),
            rx.code(r.validation, size="5", id="receipt-validation"),
            number_row(r.numbers, highlight=r.numbers),
            rx.text(r.game, " · draw ", r.draw, " at ", r.draw_at, size="2"),
            rx.text("Stake ", rx.text.strong(r.stake), " · issued ", r.issued, size="2"),
            rx.text("Balance after: ", rx.text.strong(r.balance), size="2"),
            rx.hstack(
                rx.button("Buy another ticket", on_click=PlayState.new_ticket, size="3"),
                rx.link(rx.button("My tickets", variant="soft", size="3"), href=routes.HISTORY),
                spacing="3",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="receipt",
    )


def draw_line() -> rx.Component:
    return rx.cond(
        PlayState.draw_id > 0,
        rx.hstack(
            rx.icon("timer", size=16),
            rx.text("Draw ", rx.text.strong(PlayState.draw_at), " · sales close in", size="2"),
            countdown(PlayState.close_iso, PlayState.close_at),
            align="center",
            spacing="2",
            wrap="wrap",
            id="play-draw",
        ),
        rx.text("The next draw opens in a moment.", size="2", color_scheme="gray"),
    )


def panel() -> rx.Component:
    return rx.vstack(
        draw_line(),
        rx.hstack(
            rx.text(PlayState.picked_count, weight="bold", id="picked-count"),
            rx.spacer(),
            rx.button(
                rx.icon("shuffle"),
                "Quick pick",
                on_click=PlayState.quick_pick,
                variant="soft",
                id="quick-pick",
            ),
            rx.button("Clear", on_click=PlayState.clear, variant="ghost", color_scheme="gray"),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        rx.grid(
            rx.foreach(PlayState.pool_numbers, number_button),
            columns="7",
            spacing="2",
            justify_items="center",
            width="100%",
            max_width="420px",
            margin_x="auto",
            id="number-grid",
        ),
        rx.hstack(
            rx.vstack(
                rx.text(
                    "Stake (",
                    PlayState.currency,
                    ")",
                    size="2",
                    weight="medium",
                    as_="label",
                    html_for="stake",
                ),
                rx.input(
                    value=PlayState.stake_text,
                    on_change=PlayState.set_stake_text,
                    id="stake",
                    input_mode="decimal",
                    size="3",
                    width="8em",
                ),
                spacing="1",
            ),
            rx.button(
                rx.icon("ticket"),
                "Play",
                on_click=PlayState.play,
                size="4",
                id="play",
                disabled=~PlayState.ready | PlayState.busy,
                loading=PlayState.busy,
                flex_grow="1",
            ),
            align="end",
            width="100%",
            spacing="3",
        ),
        error_callout(PlayState.error, "play-error"),
        spacing="4",
        width="100%",
    )


@player_page(route=routes.PLAY, title="Play", on_load=[PlayState.load, RealityState.check])
def play() -> rx.Component:
    return rx.vstack(
        reality_dialog(),
        rx.heading("Play lotto", size="6"),
        play_session_line(),
        rx.segmented_control.root(
            rx.foreach(PlayState.games, lambda g: rx.segmented_control.item(g.name, value=g.code)),
            value=PlayState.game_code,
            on_change=PlayState.select_game,
            size="2",
        ),
        rx.grid(
            rx.card(rx.cond(PlayState.has_receipt, receipt_card(), panel()), width="100%"),
            rules_card(),
            columns=rx.breakpoints(initial="1", md="2fr 1fr"),
            spacing="4",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
