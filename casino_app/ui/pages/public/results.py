"""Public results, no sign-in: the archive by game and day, a draw's page, the ticket checker.

A draw's page shows its whole public record (commitment, ticket root, revealed seed, numbers),
its tickets and winners, and a Verify button that checks it in the reader's browser
(components/draw_verify.py, assets/draw-verifier.js); the ticket checker finds a ticket by its
validation number and verifies its inclusion in the draw the same way (pages/public/ticket_check.py).
"""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import number_row
from casino_app.ui.components.design import COLOUR, SPACE, TYPE, empty_state, field_label, page_header, panel
from casino_app.ui.components.draw_verify import field, verify_panel, verify_style
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.games.results import ALL_GAMES, DrawPageState, ResultsState

SELECT_STYLE = {"padding": "0.45em", "border_radius": "6px", "width": "100%"}


def fact(label_key: str, value: rx.Var, test_id: str = "", mono: bool = False) -> rx.Component:
    return rx.vstack(
        rx.text(tr(label_key), size=TYPE["fine"], color=COLOUR["muted"]),
        rx.el.div(value, class_name="dv-mono" if mono else "", id=test_id or None),
        spacing="1",
        width="100%",
        min_width="0",
    )


# --- the archive ----------------------------------------------------------------------------


def filters() -> rx.Component:
    return rx.grid(
        rx.vstack(
            field_label(tr("results.game"), size=TYPE["fine"], weight="medium", html_for="results-game"),
            rx.el.select(
                rx.el.option(tr("results.all_games"), value=ALL_GAMES),
                rx.foreach(ResultsState.games, lambda g: rx.el.option(g.name, value=g.code)),
                id="results-game",
                value=ResultsState.game,
                on_change=ResultsState.choose_game,
                style=SELECT_STYLE,
            ),
            spacing="1",
            width="100%",
        ),
        rx.vstack(
            field_label(tr("results.day"), size=TYPE["fine"], weight="medium", html_for="results-day"),
            rx.hstack(
                rx.input(
                    type="date", id="results-day", value=ResultsState.day, on_change=ResultsState.choose_day
                ),
                rx.cond(
                    ResultsState.day != "",
                    rx.button(tr("results.any_day"), variant="soft", on_click=ResultsState.clear_day),
                ),
                spacing=SPACE["snug"],
                width="100%",
            ),
            spacing="1",
            width="100%",
        ),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing=SPACE["normal"],
        width="100%",
    )


def archive_row(row: rx.Var) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.vstack(
                rx.text(row.draw_name, weight="medium"),
                number_row(row.numbers, size="1.9em"),
                spacing=SPACE["snug"],
                min_width="0",
            ),
            rx.spacer(),
            rx.hstack(
                rx.text(tr("results.open_draw"), size=TYPE["small"]),
                rx.icon("chevron_right", size=16),
                spacing="1",
                align="center",
                flex_shrink="0",
            ),
            align="center",
            width="100%",
            padding_y="0.6em",
            border_bottom=f"1px solid {COLOUR['line']}",
        ),
        href=row.href,
        underline="none",
        color="inherit",
        class_name="result-row",
        width="100%",
    )


def pager() -> rx.Component:
    return rx.hstack(
        rx.button(
            rx.icon("chevron_left", size=16),
            tr("results.newer"),
            variant="soft",
            disabled=ResultsState.page <= 1,
            on_click=ResultsState.turn_page(-1),
            id="results-newer",
        ),
        rx.spacer(),
        rx.button(
            tr("results.older"),
            rx.icon("chevron_right", size=16),
            variant="soft",
            disabled=~ResultsState.has_more,
            on_click=ResultsState.turn_page(1),
            id="results-older",
        ),
        width="100%",
    )


@player_page(route=routes.RESULTS, title="Results", guard=False, on_load=ResultsState.load)
def results_page() -> rx.Component:
    return rx.vstack(
        page_header(
            tr("results.title"),
            tr("results.subtitle"),
            rx.link(
                rx.button(rx.icon("search"), tr("results.check_ticket"), variant="soft"),
                href=routes.RESULTS_TICKET,
            ),
        ),
        rx.card(filters(), width="100%"),
        rx.card(
            rx.cond(
                ResultsState.rows.length() > 0,
                rx.vstack(
                    rx.foreach(ResultsState.rows, archive_row), width="100%", spacing="0", id="results-list"
                ),
                empty_state("trophy", tr("results.none_found"), tr("results.none_found_hint")),
            ),
            width="100%",
        ),
        pager(),
        spacing=SPACE["loose"],
        width="100%",
    )


# --- a draw ---------------------------------------------------------------------------------


def draw_numbers() -> rx.Component:
    return panel(
        tr("results.numbers"),
        rx.cond(
            DrawPageState.drawn,
            rx.box(number_row(DrawPageState.numbers, size="2.4em"), id="draw-numbers"),
            rx.text(tr("results.not_drawn_yet"), color=COLOUR["muted"]),
        ),
        rx.text(DrawPageState.matrix, size=TYPE["fine"], color=COLOUR["muted"]),
    )


def draw_record() -> rx.Component:
    not_yet = tr("results.not_published_yet")
    return panel(
        tr("results.record"),
        rx.grid(
            fact("results.sales_close", DrawPageState.closes_at),
            fact("results.draw_time", DrawPageState.draw_at),
            columns="2",
            spacing=SPACE["normal"],
            width="100%",
        ),
        fact("results.commitment", DrawPageState.commitment, "draw-commitment", mono=True),
        fact(
            "results.ticket_root",
            rx.cond(DrawPageState.ticket_root != "", DrawPageState.ticket_root, not_yet),
            "draw-root",
            mono=True,
        ),
        fact(
            "results.server_seed",
            rx.cond(DrawPageState.server_seed != "", DrawPageState.server_seed, not_yet),
            "draw-seed",
            mono=True,
        ),
    )


def tier_row(tier: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(tier.label, size=TYPE["small"]),
        rx.spacer(),
        rx.text(tier.winners, weight="bold", size=TYPE["small"]),
        width="100%",
        padding_y="0.3em",
        border_bottom=f"1px solid {COLOUR['line']}",
        class_name="prize-tier",
    )


def draw_winners() -> rx.Component:
    """Tickets, winners and prizes: `tiers` and `jackpot` come from the results service's prize hook."""
    return panel(
        tr("results.winners_title"),
        rx.grid(
            fact("results.tickets", DrawPageState.tickets, "draw-tickets"),
            fact("results.winners", DrawPageState.winners, "draw-winners"),
            fact("results.paid", DrawPageState.paid, "draw-paid"),
            columns="3",
            spacing=SPACE["normal"],
            width="100%",
        ),
        rx.cond(
            DrawPageState.tiers.length() > 0,
            rx.vstack(
                rx.hstack(
                    rx.text(tr("results.tier"), size=TYPE["fine"], color=COLOUR["muted"]),
                    rx.spacer(),
                    rx.text(tr("results.tier_winners"), size=TYPE["fine"], color=COLOUR["muted"]),
                    width="100%",
                ),
                rx.foreach(DrawPageState.tiers, tier_row),
                spacing="0",
                width="100%",
            ),
        ),
        rx.cond(DrawPageState.jackpot != "", fact("results.jackpot", DrawPageState.jackpot, "draw-jackpot")),
    )


def draw_verifier() -> rx.Component:
    return rx.cond(
        DrawPageState.drawn,
        verify_panel(
            DrawPageState.document,
            [
                field("verify.field_commitment", "commitment", DrawPageState.commitment),
                field("verify.field_seed", "server_seed", DrawPageState.server_seed),
                field("verify.field_root", "ticket_root", DrawPageState.ticket_root),
                field("verify.field_numbers", "numbers", DrawPageState.numbers_text),
            ],
            DrawPageState.draw_id,
            checks=("commitment", "numbers"),
        ),
        rx.callout(tr("results.verify_after_draw"), icon="info", width="100%"),
    )


def back_links() -> rx.Component:
    return rx.hstack(
        rx.link(tr("results.back_to_results"), href=routes.RESULTS),
        rx.link(tr("results.check_ticket"), href=routes.RESULTS_TICKET),
        rx.link(tr("results.how_it_works"), href=routes.FAIRNESS),
        spacing="4",
        wrap="wrap",
    )


def not_found() -> rx.Component:
    return empty_state(
        "search_x", tr("results.draw_not_found"), tr("results.draw_not_found_hint"), back_links()
    )


@player_page(route=routes.RESULTS_DRAW, title="Draw", guard=False, on_load=DrawPageState.load)
def draw_page() -> rx.Component:
    return rx.vstack(
        rx.cond(
            DrawPageState.found,
            rx.vstack(
                verify_style(),
                page_header(DrawPageState.draw_name, tr("results.draw_subtitle")),
                rx.grid(
                    rx.vstack(draw_numbers(), draw_winners(), spacing=SPACE["loose"], width="100%"),
                    draw_record(),
                    columns=rx.breakpoints(initial="1", md="2"),
                    spacing=SPACE["loose"],
                    width="100%",
                ),
                draw_verifier(),
                back_links(),
                spacing=SPACE["loose"],
                width="100%",
            ),
            rx.cond(DrawPageState.missing, not_found()),
        ),
        width="100%",
    )
