"""Lobby: next draws with countdowns and the latest results."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.casino import casino_section
from casino_app.ui.components.common import countdown, number_row
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.casino import CasinoLobbyState
from casino_app.ui.state.lobby import LobbyState
from casino_app.ui.state.play import PlayState
from casino_app.ui.state.session import SessionState


def draw_card(draw: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(draw.game_name, size="5"),
                rx.spacer(),
                rx.badge(draw.rule, color_scheme="amber", variant="soft"),
                width="100%",
            ),
            rx.text("Next draw ", rx.text.strong(draw.draw_at), size="2"),
            rx.hstack(
                rx.icon("timer", size=16),
                rx.text("Sales close in", size="2"),
                countdown(draw.close_iso, draw.close_at),
                align="center",
                spacing="2",
            ),
            rx.text(
                "Seed commitment ",
                rx.code(draw.commitment),
                " · RTP ",
                draw.rtp,
                size="1",
                color_scheme="gray",
            ),
            rx.button(
                rx.icon("ticket"),
                "Play ",
                draw.game_name,
                width="100%",
                size="3",
                on_click=PlayState.open_game(draw.game_code),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def result_row(result: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(result.game_name, weight="medium"),
            rx.spacer(),
            rx.text(result.draw_at, size="1", color_scheme="gray"),
            width="100%",
        ),
        number_row(result.numbers, size="1.9em"),
        width="100%",
        padding_y="0.6em",
        spacing="2",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
    )


@player_page(route=routes.LOBBY, title="Lobby", guard=False, on_load=[LobbyState.load, CasinoLobbyState.load])
def lobby() -> rx.Component:
    return rx.vstack(
        rx.cond(
            SessionState.is_player,
            rx.cond(
                SessionState.previous_login_text != "",
                rx.text(
                    "Welcome back. Your previous login: ",
                    SessionState.previous_login_text,
                    size="2",
                    color_scheme="gray",
                ),
                rx.text("Welcome to Kasyno Lotto.", size="2", color_scheme="gray"),
            ),
            rx.callout("Sign in or join to play. You must be 18 or older.", icon="info", width="100%"),
        ),
        rx.heading("Next draws", size="6"),
        rx.grid(
            rx.foreach(LobbyState.draws, draw_card),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        rx.cond(
            LobbyState.draws.length() == 0,
            rx.text("The next draws are being scheduled…", color_scheme="gray"),
        ),
        casino_section(),
        rx.heading("Latest results", size="5", margin_top="1em"),
        rx.card(
            rx.cond(
                LobbyState.results.length() > 0,
                rx.vstack(rx.foreach(LobbyState.results, result_row), width="100%", spacing="0"),
                rx.text("No draws yet.", color_scheme="gray"),
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
