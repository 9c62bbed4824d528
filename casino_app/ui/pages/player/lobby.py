"""Lobby: next draws with countdowns (favourites first) and the latest results."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.casino import casino_section
from casino_app.ui.components.common import countdown, number_row
from casino_app.ui.components.design import COLOUR, SPACE, TYPE, empty_state, page_header
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.games.casino import CasinoLobbyState
from casino_app.ui.state.games.lotto import PlayState
from casino_app.ui.state.player.lobby import LobbyState
from casino_app.ui.state.session.session import SessionState


def favourite_toggle(draw: rx.Var) -> rx.Component:
    """The star of a game: signed-in players only; starred games come first in the lobby."""
    return rx.cond(
        SessionState.is_player,
        rx.icon_button(
            rx.icon("star", size=18, fill=rx.cond(draw.favourite, "currentColor", "none")),
            on_click=LobbyState.toggle_favourite(draw.game_code),
            variant="ghost",
            color_scheme=rx.cond(draw.favourite, "amber", "gray"),
            size="2",
            aria_label=rx.cond(draw.favourite, tr("lobby.unstar"), tr("lobby.star")),
            custom_attrs={"aria-pressed": draw.favourite},
            class_name="favourite-toggle",
        ),
    )


def draw_card(draw: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(draw.game_name, size="5"),
                favourite_toggle(draw),
                rx.spacer(),
                rx.badge(draw.rule, color_scheme="amber", variant="soft"),
                width="100%",
                align="center",
            ),
            rx.text(tr("lobby.next_draw"), " ", rx.text.strong(draw.draw_at), size=TYPE["small"]),
            rx.cond(
                draw.jackpot != "",
                rx.text(tr("lobby.jackpot"), " ", rx.text.strong(draw.jackpot), class_name="jackpot"),
            ),
            rx.hstack(
                rx.icon("timer", size=16),
                rx.text(tr("lobby.sales_close_in"), size=TYPE["small"]),
                countdown(draw.close_iso, draw.close_at),
                align="center",
                spacing=SPACE["snug"],
            ),
            rx.text(
                tr("lobby.seed_commitment"),
                " ",
                rx.code(draw.commitment),
                " · ",
                tr("lobby.rtp"),
                " ",
                draw.rtp,
                size=TYPE["fine"],
                color=COLOUR["muted"],
            ),
            rx.button(
                rx.icon("ticket"),
                tr("lobby.play"),
                " ",
                draw.game_name,
                width="100%",
                size="3",
                on_click=PlayState.open_game(draw.game_code),
            ),
            spacing=SPACE["normal"],
            width="100%",
        ),
        width="100%",
        title=draw.draw_name,
        class_name="draw-card",
        custom_attrs={"data-favourite": draw.favourite},
    )


def result_row(result: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(result.draw_name, weight="medium"),
        number_row(result.numbers, size="1.9em"),
        width="100%",
        padding_y="0.6em",
        spacing=SPACE["snug"],
        border_bottom=f"1px solid {COLOUR['line']}",
    )


def welcome() -> rx.Component:
    return rx.cond(
        SessionState.is_player,
        rx.cond(
            SessionState.previous_login_text != "",
            rx.text(
                tr("lobby.welcome_back"),
                " ",
                SessionState.previous_login_text,
                size=TYPE["small"],
                color=COLOUR["muted"],
            ),
            rx.text(tr("lobby.welcome"), size=TYPE["small"], color=COLOUR["muted"]),
        ),
        rx.callout(tr("lobby.sign_in_to_play"), icon="info", width="100%"),
    )


@player_page(route=routes.LOBBY, title="Lobby", guard=False, on_load=[LobbyState.load, CasinoLobbyState.load])
def lobby() -> rx.Component:
    return rx.vstack(
        welcome(),
        page_header(tr("lobby.next_draws"), tr("lobby.subtitle")),
        rx.grid(
            rx.foreach(LobbyState.draws, draw_card),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing=SPACE["loose"],
            width="100%",
        ),
        rx.cond(
            LobbyState.draws.length() == 0,
            empty_state("calendar_clock", tr("lobby.scheduling")),
        ),
        casino_section(),
        rx.heading(tr("lobby.latest_results"), size=TYPE["section"], margin_top="1em"),
        rx.card(
            rx.cond(
                LobbyState.results.length() > 0,
                rx.vstack(rx.foreach(LobbyState.results, result_row), width="100%", spacing="0"),
                empty_state("trophy", tr("lobby.no_draws")),
            ),
            width="100%",
        ),
        rx.link(tr("results.archive_link"), href=routes.RESULTS, id="lobby-all-results"),
        spacing=SPACE["loose"],
        width="100%",
    )
