"""Player sign-in (with a code step when 2FA is on), registration, and the emailed-link pages."""

import reflex as rx

from casino_app.domain.identity.rules import COUNTRIES, PRIVACY_VERSION, TERMS_VERSION
from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.components.security import code_field, form_field, notice_callout
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.links import LinkState
from casino_app.ui.state.session import SessionState

COUNTRY_OPTIONS = sorted(COUNTRIES.items(), key=lambda item: item[1])


def field(label: str, name: str, **props) -> rx.Component:
    """A labelled input (kept for pages that import it from here)."""
    return form_field(label, name, **props)


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


def submit(label: str, test_id: str, **props) -> rx.Component:
    return rx.button(label, type="submit", size="3", width="100%", id=test_id, **props)


def password_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            field("Email", "email", type="email", auto_complete="username", required=True, max_length=254),
            field(
                "Password",
                "password",
                type="password",
                auto_complete="current-password",
                required=True,
                max_length=128,
            ),
            error_callout(SessionState.auth_error),
            submit("Log in", "login-submit"),
            rx.link("Forgot your password?", href=routes.FORGOT_PASSWORD, size="2", id="forgot-link"),
            spacing="3",
            width="100%",
        ),
        on_submit=SessionState.login,
        reset_on_submit=False,
        width="100%",
    )


def code_form(on_submit, *, test_id: str = "code-submit", allow_recovery: bool = True) -> rx.Component:
    return rx.form(
        rx.vstack(
            code_field(allow_recovery=allow_recovery, focus=True),
            error_callout(SessionState.auth_error),
            submit("Continue", test_id),
            rx.button("Back", on_click=SessionState.back_to_password, variant="ghost", type="button"),
            spacing="3",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=True,
        width="100%",
    )


def locked_panel() -> rx.Component:
    return rx.vstack(
        error_callout(SessionState.auth_error, "locked-message"),
        rx.form(
            rx.vstack(
                code_field(),
                submit("Unlock", "unlock-submit", variant="soft"),
                spacing="3",
                width="100%",
            ),
            on_submit=SessionState.unlock_with_code,
            reset_on_submit=True,
            width="100%",
        ),
        rx.hstack(
            rx.button(
                "Send the unlock link again", on_click=SessionState.resend_unlock, variant="ghost", size="2"
            ),
            rx.button("Back", on_click=SessionState.back_to_password, variant="ghost", size="2"),
            wrap="wrap",
            spacing="3",
        ),
        spacing="3",
        width="100%",
    )


@player_page(route=routes.LOGIN, title="Log in", guard=False, on_load=SessionState.clear_error)
def login() -> rx.Component:
    return auth_card(
        "Log in",
        notice_callout(SessionState.auth_notice),
        rx.match(
            SessionState.login_step,
            (
                "code",
                rx.vstack(
                    rx.text("Two-step verification: enter the code from your authenticator app.", size="2"),
                    code_form(SessionState.submit_code),
                    spacing="3",
                    width="100%",
                ),
            ),
            ("locked", locked_panel()),
            password_form(),
        ),
        rx.text("New here? ", rx.link("Create an account", href=routes.REGISTER), size="2"),
    )


def country_select() -> rx.Component:
    return rx.vstack(
        rx.text("Country of residence", size="2", weight="medium", as_="label", html_for="country"),
        rx.el.select(
            rx.el.option("Choose your country", value="", disabled=True),
            *[rx.el.option(name, value=code) for code, name in COUNTRY_OPTIONS],
            name="country",
            id="country",
            required=True,
            default_value="",
            class_name="native-select",
            style={
                "width": "100%",
                "height": "var(--space-7)",
                "padding": "0 0.75em",
                "border_radius": "var(--radius-3)",
                "border": f"1px solid {rx.color('gray', 7)}",
                "background": rx.color("gray", 1),
                "color": rx.color("gray", 12),
                "font_size": "var(--font-size-3)",
            },
        ),
        spacing="1",
        width="100%",
    )


def consent() -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.checkbox(name="accept", id="accept", size="2", margin_top="0.2em"),
            rx.text(
                "I accept the ",
                rx.link(f"terms (version {TERMS_VERSION})", href=routes.TERMS, is_external=True),
                " and have read the ",
                rx.link(
                    f"privacy notice (version {PRIVACY_VERSION})",
                    href=routes.PRIVACY_NOTICE,
                    is_external=True,
                ),
                ".",
                size="2",
            ),
            spacing="2",
            align="start",
        ),
        html_for="accept",
    )


@player_page(route=routes.REGISTER, title="Join", guard=False, on_load=SessionState.clear_error)
def register() -> rx.Component:
    return auth_card(
        "Create your account",
        rx.form(
            rx.vstack(
                field("Email", "email", type="email", auto_complete="email", required=True, max_length=254),
                field(
                    "Password",
                    "password",
                    type="password",
                    auto_complete="new-password",
                    required=True,
                    max_length=128,
                    hint="At least 12 characters. A few random words work well.",
                ),
                field("Full name", "full_name", auto_complete="name", required=True, max_length=100),
                field("Date of birth", "birth_date", type="date", required=True),
                country_select(),
                field(
                    "Phone (optional)",
                    "phone",
                    type="tel",
                    auto_complete="tel",
                    max_length=32,
                    placeholder="+44 20 7946 0000",
                ),
                consent(),
                rx.text(
                    "You must be 18 or older. Your wallet is in euro (EUR).", size="1", color_scheme="gray"
                ),
                error_callout(SessionState.auth_error),
                submit("Create account", "register-submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=SessionState.register,
            reset_on_submit=False,
            width="100%",
        ),
        rx.text("Already playing? ", rx.link("Log in", href=routes.LOGIN), size="2"),
    )


@player_page(route=routes.FORGOT_PASSWORD, title="Forgot password", guard=False, on_load=LinkState.reset_form)
def forgot_password() -> rx.Component:
    return auth_card(
        "Reset your password",
        rx.cond(
            LinkState.done,
            rx.callout(
                "If an account uses this address, we have sent it a link. It works once, for 30 minutes.",
                icon="mail",
                color_scheme="green",
                id="reset-requested",
            ),
            rx.form(
                rx.vstack(
                    rx.text(
                        "Enter your email and we will send you a link to choose a new password.", size="2"
                    ),
                    field(
                        "Email", "email", type="email", auto_complete="email", required=True, max_length=254
                    ),
                    submit("Send the link", "forgot-submit"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=LinkState.request_reset,
                width="100%",
            ),
        ),
        rx.text(rx.link("Back to log in", href=routes.LOGIN), size="2"),
    )


@player_page(
    route=routes.RESET_PASSWORD, title="New password", guard=False, on_load=LinkState.take_reset_token
)
def reset_password() -> rx.Component:
    return auth_card(
        "Choose a new password",
        rx.form(
            rx.vstack(
                field(
                    "New password",
                    "password",
                    type="password",
                    auto_complete="new-password",
                    required=True,
                    max_length=128,
                    hint="At least 12 characters. You will be signed out everywhere.",
                ),
                error_callout(LinkState.error),
                submit("Set the password", "reset-submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=LinkState.reset_password,
            reset_on_submit=False,
            width="100%",
        ),
    )


@player_page(
    route=routes.VERIFY_EMAIL, title="Confirm email", guard=False, on_load=LinkState.open_verify_link
)
def verify_email() -> rx.Component:
    return auth_card(
        "Email confirmation",
        rx.cond(
            LinkState.error != "",
            error_callout(LinkState.error, "verify-error"),
            rx.cond(
                LinkState.result != "",
                rx.callout(LinkState.result, icon="circle_check", color_scheme="green", id="verify-result"),
                rx.text("Open the link from your email to confirm your address.", size="2"),
            ),
        ),
        rx.text(rx.link("Go to log in", href=routes.LOGIN), size="2"),
    )
