"""The lotto betting panel."""

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from casino_app.ui import routes
from casino_app.ui.components.common import ball, countdown, error_callout, number_row
from casino_app.ui.components.design import COLOUR, SPACE, TYPE, field_label, page_header
from casino_app.ui.components.reality import play_session_line, reality_dialog
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.games.lotto import PlayState
from casino_app.ui.state.rg.play import RealityState
from casino_app.ui.state.session.presses import PRESSED_AT


def number_button(n: rx.Var[int]) -> rx.Component:
    return rx.el.button(
        ball(n, selected=PlayState.selected.contains(n), size="2.6em"),
        on_click=PlayState.toggle(n),
        type="button",
        aria_label=f"{tr('play.number')} {n}",
        custom_attrs={"data-number": n, "aria-pressed": PlayState.selected.contains(n)},
        style={"background": "none", "border": "none", "padding": "0", "cursor": "pointer"},
    )


def rules_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("play.rules_title"), size="3"),
            rx.text(tr("play.pick"), " ", PlayState.pick, " ", tr("play.prizes_pay"), size=TYPE["small"]),
            rx.foreach(
                PlayState.paytable,
                lambda row: rx.hstack(
                    rx.text(row.matches, size="2"),
                    rx.spacer(),
                    rx.text(row.pays, size="2", weight="bold"),
                    width="100%",
                ),
            ),
            rx.cond(
                PlayState.jackpot_amount != "",
                rx.hstack(
                    rx.text(PlayState.jackpot_label, size="2"),
                    rx.spacer(),
                    rx.text(tr("play.jackpot"), " ", PlayState.jackpot_amount, size="2", weight="bold"),
                    color=COLOUR["accent_text"],
                    width="100%",
                    id="play-jackpot",
                ),
            ),
            rx.text(tr("play.rtp"), " ", PlayState.rtp, size=TYPE["fine"], color=COLOUR["muted"]),
            rx.text(
                tr("play.stake_from"),
                " ",
                PlayState.min_stake,
                " ",
                tr("play.stake_to"),
                " ",
                PlayState.max_stake,
                size=TYPE["fine"],
                color=COLOUR["muted"],
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
                rx.heading(tr("play.ticket_bought"), size="5"),
                align="center",
            ),
            rx.text(tr("play.validation_number"), size=TYPE["fine"], color=COLOUR["muted"]),
            rx.code(r.validation, size="5", id="receipt-validation"),
            rx.text(tr("play.lines_on_ticket"), size=TYPE["fine"], color=COLOUR["muted"]),
            rx.vstack(
                rx.foreach(r.lines, lambda line: number_row(line, highlight=line)),
                spacing="1",
                id="receipt-lines",
            ),
            rx.text(tr("play.draws_on_ticket"), size=TYPE["fine"], color=COLOUR["muted"]),
            rx.vstack(
                rx.foreach(
                    r.draws, lambda name: rx.text(name, size=TYPE["small"], class_name="receipt-draw")
                ),
                spacing="0",
                id="receipt-draws",
            ),
            rx.text(
                tr("play.stake"),
                " ",
                rx.text.strong(r.stake),
                " · ",
                tr("play.total"),
                " ",
                rx.text.strong(r.total, id="receipt-total"),
                " · ",
                tr("play.issued"),
                " ",
                r.issued,
                size=TYPE["small"],
            ),
            rx.text(tr("play.balance_after"), " ", rx.text.strong(r.balance), size=TYPE["small"]),
            rx.hstack(
                rx.button(tr("play.buy_another"), on_click=PlayState.new_ticket, size="3"),
                rx.link(rx.button(tr("play.my_tickets"), variant="soft", size="3"), href=routes.HISTORY),
                spacing="3",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="receipt",
    )


def offline_hosts() -> rx.Component:
    """Where the plain-JS offline ticket widgets live (assets/ticket-queue.js, offline-builder.js).

    The draw shown is written into data attributes, so a ticket prepared offline names it.
    """
    return rx.fragment(
        rx.el.span(
            custom_attrs={
                "data-offline-draw": PlayState.draw_id,
                "data-game": PlayState.game_code,
                "data-draw-name": PlayState.draw_at,
                "data-pick": PlayState.pick,
                "data-pool": PlayState.pool_numbers.length(),
                "data-max-lines": PlayState.max_lines,
                "data-currency": PlayState.currency,
                "data-closes-at": PlayState.close_iso,
            },
            style={"display": "none"},
        ),
        rx.el.div(id="offline-builder", hidden=True, width="100%"),
        rx.el.div(id="offline-queue", hidden=True, width="100%"),
    )


def draw_line() -> rx.Component:
    return rx.cond(
        PlayState.draw_id > 0,
        rx.hstack(
            rx.icon("timer", size=16),
            rx.text(
                tr("play.draw"),
                " ",
                rx.text.strong(PlayState.draw_at),
                " · ",
                tr("play.sales_close_in"),
                size=TYPE["small"],
            ),
            countdown(PlayState.close_iso, PlayState.close_at),
            # The server's clock with the page: countdown.js corrects the countdown for the device's.
            rx.el.span(custom_attrs={"data-server-now": PlayState.server_now_iso}, style={"display": "none"}),
            align="center",
            spacing="2",
            wrap="wrap",
            id="play-draw",
        ),
        rx.text(tr("play.next_draw_soon"), size=TYPE["small"], color=COLOUR["muted"]),
    )


def line_row(line: rx.Var, index: rx.Var[int]) -> rx.Component:
    """One line of the ticket: its numbers, edit (the grid shows it), quick pick, remove."""
    return rx.hstack(
        rx.text(tr("play.line"), " ", index + 1, weight="bold", size=TYPE["small"], min_width="4.5em"),
        number_row(line, highlight=line, size="1.7em"),
        rx.spacer(),
        rx.button(
            tr("play.edit_line"),
            on_click=PlayState.edit_line(index),
            size="1",
            variant=rx.cond(index == PlayState.active, "solid", "ghost"),  # the line the grid edits
        ),
        rx.button(
            rx.icon("shuffle", size=14),
            on_click=PlayState.quick_pick_line(index),
            size="1",
            variant="soft",
            aria_label=tr("play.quick_pick"),
            class_name="line-quick-pick",
        ),
        rx.cond(
            PlayState.line_count > 1,
            rx.button(
                rx.icon("trash_2", size=14),
                on_click=PlayState.remove_line(index),
                size="1",
                variant="ghost",
                color_scheme="red",
                aria_label=tr("play.remove_line"),
                class_name="line-remove",
            ),
        ),
        width="100%",
        align="center",
        wrap="wrap",
        class_name="ticket-line",
        custom_attrs={"data-active": index == PlayState.active},
    )


def lines_panel() -> rx.Component:
    return rx.vstack(
        rx.foreach(PlayState.line_views, line_row),
        rx.hstack(
            rx.button(
                rx.icon("plus", size=14),
                tr("play.add_line"),
                on_click=PlayState.add_line,
                size="2",
                variant="soft",
                id="add-line",
            ),
            rx.spacer(),
            field_label(tr("play.draws"), size="2", weight="medium", html_for="draw-count"),
            rx.select(
                PlayState.draw_options,
                value=PlayState.draw_count,
                on_change=PlayState.set_draw_count,
                size="2",
                id="draw-count",
                custom_attrs={"aria-label": tr("play.draws")},
            ),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        rx.text(tr("play.draws_help"), size=TYPE["fine"], color=COLOUR["muted"]),
        spacing="2",
        width="100%",
        id="ticket-lines",
    )


def panel() -> rx.Component:
    return rx.vstack(
        draw_line(),
        lines_panel(),
        rx.hstack(
            rx.text(
                PlayState.selected.length(),
                " ",
                tr("play.of"),
                " ",
                PlayState.pick,
                " ",
                tr("play.picked"),
                weight="bold",
                id="picked-count",
            ),
            rx.spacer(),
            rx.button(
                rx.icon("shuffle"),
                tr("play.quick_pick"),
                on_click=PlayState.quick_pick,
                variant="soft",
                id="quick-pick",
            ),
            rx.button(tr("play.clear"), on_click=PlayState.clear, variant="ghost", color_scheme="gray"),
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
                field_label(
                    tr("play.stake_per_line"),
                    " (",
                    PlayState.currency,
                    ")",
                    size="2",
                    weight="medium",
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
                tr("play.play"),
                on_click=PlayState.play(PRESSED_AT),
                size="4",
                id="play",
                # No money button while the connection is down: a queued press would replay later.
                disabled=~PlayState.ready | PlayState.busy | has_connection_errors,
                loading=PlayState.busy,
                flex_grow="1",
            ),
            align="end",
            width="100%",
            spacing="3",
        ),
        error_callout(PlayState.error, "play-error"),
        rx.cond(
            PlayState.offer != "",
            rx.callout(PlayState.offer, icon="calendar_clock", color_scheme="blue", id="next-draw-offer"),
        ),
        spacing=SPACE["loose"],
        width="100%",
    )


@player_page(route=routes.PLAY, title="Play", on_load=[PlayState.load, RealityState.check])
def play() -> rx.Component:
    return rx.vstack(
        reality_dialog(),
        page_header(tr("play.title"), tr("play.subtitle")),
        play_session_line(),
        offline_hosts(),
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
