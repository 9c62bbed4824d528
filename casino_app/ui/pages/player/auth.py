"""Player login and registration."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.session import SessionState


def field(label: str, name: str, **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium", as_="label", html_for=name),
        rx.input(name=name, id=name, size="3", width="100%", **props),
        spacing="1",
        width="100%",
    )


def auth_card(title: str, *children: rx.Component) -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(rx.heading(title, size="6"), *children, spacing="4", width="100%"),
            width="100%",
            max_width="440px",
            size="3",
        ),
        width="100%",
        padding_top="1em",
    )


@player_page(route=routes.LOGIN, title="Log in", guard=False, on_load=SessionState.clear_error)
def login() -> rx.Component:
    return auth_card(
        "Log in",
        rx.form(
            rx.vstack(
                field("Email", "email", type="email", auto_complete="username", required=True),
                field(
                    "Password", "password", type="password", auto_complete="current-password", required=True
                ),
                error_callout(SessionState.auth_error),
                rx.button("Log in", type="submit", size="3", width="100%", id="login-submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=SessionState.login,
            reset_on_submit=False,
            width="100%",
        ),
        rx.text("New here? ", rx.link("Create an account", href=routes.REGISTER), size="2"),
    )


@player_page(route=routes.REGISTER, title="Join", guard=False, on_load=SessionState.clear_error)
def register() -> rx.Component:
    return auth_card(
        "Create your account",
        rx.form(
            rx.vstack(
                field("Email", "email", type="email", auto_complete="email", required=True),
                field(
                    "Password (at least 12 characters)",
                    "password",
                    type="password",
                    auto_complete="new-password",
                    required=True,
                ),
                field("Date of birth", "birth_date", type="date", required=True),
                rx.text(
                    "You must be 18 or older. Your wallet is in euro (EUR).", size="1", color_scheme="gray"
                ),
                error_callout(SessionState.auth_error),
                rx.button("Create account", type="submit", size="3", width="100%", id="register-submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=SessionState.register,
            reset_on_submit=False,
            width="100%",
        ),
        rx.text("Already playing? ", rx.link("Log in", href=routes.LOGIN), size="2"),
    )
