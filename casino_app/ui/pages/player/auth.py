"""Player sign-in (with a code step when 2FA is on), registration, and the emailed-link pages."""

import reflex as rx

from casino_app.domain.identity.rules import COUNTRIES, PRIVACY_VERSION, TERMS_VERSION
from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.components.design import field_label
from casino_app.ui.components.security import Label, code_field, form_field, notice_callout
from casino_app.ui.format import country_name
from casino_app.ui.i18n.catalog import DEFAULT_LANGUAGE, LANGUAGES
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.player.links import LinkState
from casino_app.ui.state.session.locale import LocaleState
from casino_app.ui.state.session.session import SessionState

COUNTRY_OPTIONS = sorted(COUNTRIES.items(), key=lambda item: item[1])


def field(label: Label, name: str, **props) -> rx.Component:
    """A labelled input (kept for pages that import it from here)."""
    return form_field(label, name, **props)


def country_label(code: str) -> rx.Var:
    """A country's name in the tab's language (the names come from Babel, not the catalog)."""
    chosen: rx.Var = rx.Var.create(country_name(code, DEFAULT_LANGUAGE))
    for lang in LANGUAGES:
        if lang != DEFAULT_LANGUAGE:
            chosen = rx.cond(LocaleState.lang == lang, country_name(code, lang), chosen)
    return chosen


def auth_card(title: Label, *children: rx.Component) -> rx.Component:
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


def submit(label: Label, test_id: str, **props) -> rx.Component:
    return rx.button(label, type="submit", size="3", width="100%", id=test_id, **props)


def password_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            field(
                tr("auth.email"),
                "email",
                type="email",
                auto_complete="username",
                required=True,
                max_length=254,
            ),
            field(
                tr("auth.password"),
                "password",
                type="password",
                auto_complete="current-password",
                required=True,
                max_length=128,
            ),
            error_callout(SessionState.auth_error),
            submit(tr("auth.log_in"), "login-submit"),
            rx.link(tr("auth.forgot"), href=routes.FORGOT_PASSWORD, size="2", id="forgot-link"),
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
            submit(tr("auth.continue"), test_id),
            rx.button(
                tr("auth.back"), on_click=SessionState.back_to_password, variant="ghost", type="button"
            ),
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
                submit(tr("auth.unlock"), "unlock-submit", variant="soft"),
                spacing="3",
                width="100%",
            ),
            on_submit=SessionState.unlock_with_code,
            reset_on_submit=True,
            width="100%",
        ),
        rx.hstack(
            rx.button(
                tr("auth.resend_unlock"), on_click=SessionState.resend_unlock, variant="ghost", size="2"
            ),
            rx.button(tr("auth.back"), on_click=SessionState.back_to_password, variant="ghost", size="2"),
            wrap="wrap",
            spacing="3",
        ),
        spacing="3",
        width="100%",
    )


@player_page(route=routes.LOGIN, title="Log in", guard=False, on_load=SessionState.clear_error)
def login() -> rx.Component:
    return auth_card(
        tr("auth.log_in"),
        notice_callout(SessionState.auth_notice),
        rx.match(
            SessionState.login_step,
            (
                "code",
                rx.vstack(
                    rx.text(tr("auth.two_step"), size="2"),
                    code_form(SessionState.submit_code),
                    spacing="3",
                    width="100%",
                ),
            ),
            ("locked", locked_panel()),
            password_form(),
        ),
        rx.text(
            tr("auth.new_here"), " ", rx.link(tr("auth.create_an_account"), href=routes.REGISTER), size="2"
        ),
    )


def country_select() -> rx.Component:
    return rx.vstack(
        field_label(tr("auth.country"), size="2", weight="medium", html_for="country"),
        rx.el.select(
            rx.el.option(tr("auth.choose_country"), value="", disabled=True),
            *[rx.el.option(country_label(code), value=code) for code, _ in COUNTRY_OPTIONS],
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
                tr("auth.i_accept"),
                " ",
                rx.link(
                    tr("auth.the_terms"),
                    " (",
                    tr("auth.version"),
                    " ",
                    TERMS_VERSION,
                    ")",
                    href=routes.TERMS,
                    is_external=True,
                ),
                " ",
                tr("auth.and_have_read"),
                " ",
                rx.link(
                    tr("auth.the_privacy_notice"),
                    " (",
                    tr("auth.version"),
                    " ",
                    PRIVACY_VERSION,
                    ")",
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
        tr("auth.create_your_account"),
        rx.form(
            rx.vstack(
                field(
                    tr("auth.email"),
                    "email",
                    type="email",
                    auto_complete="email",
                    required=True,
                    max_length=254,
                ),
                field(
                    tr("auth.password"),
                    "password",
                    type="password",
                    auto_complete="new-password",
                    required=True,
                    max_length=128,
                    hint=tr("auth.password_hint"),
                ),
                field(tr("auth.full_name"), "full_name", auto_complete="name", required=True, max_length=100),
                field(tr("auth.birth_date"), "birth_date", type="date", required=True),
                country_select(),
                field(
                    tr("auth.phone_optional"),
                    "phone",
                    type="tel",
                    auto_complete="tel",
                    max_length=32,
                    placeholder="+44 20 7946 0000",
                ),
                consent(),
                rx.text(tr("auth.age_and_currency"), size="1", color_scheme="gray"),
                error_callout(SessionState.auth_error),
                submit(tr("auth.create_account"), "register-submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=SessionState.register,
            reset_on_submit=False,
            width="100%",
        ),
        rx.text(tr("auth.already_playing"), " ", rx.link(tr("auth.log_in"), href=routes.LOGIN), size="2"),
    )


@player_page(route=routes.FORGOT_PASSWORD, title="Forgot password", guard=False, on_load=LinkState.reset_form)
def forgot_password() -> rx.Component:
    return auth_card(
        tr("auth.reset_title"),
        rx.cond(
            LinkState.done,
            rx.callout(
                tr("auth.reset_sent"),
                icon="mail",
                color_scheme="green",
                id="reset-requested",
            ),
            rx.form(
                rx.vstack(
                    rx.text(tr("auth.reset_intro"), size="2"),
                    field(
                        tr("auth.email"),
                        "email",
                        type="email",
                        auto_complete="email",
                        required=True,
                        max_length=254,
                    ),
                    submit(tr("auth.send_link"), "forgot-submit"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=LinkState.request_reset,
                width="100%",
            ),
        ),
        rx.text(rx.link(tr("auth.back_to_login"), href=routes.LOGIN), size="2"),
    )


@player_page(
    route=routes.RESET_PASSWORD, title="New password", guard=False, on_load=LinkState.take_reset_token
)
def reset_password() -> rx.Component:
    return auth_card(
        tr("auth.new_password_title"),
        rx.form(
            rx.vstack(
                field(
                    tr("auth.new_password"),
                    "password",
                    type="password",
                    auto_complete="new-password",
                    required=True,
                    max_length=128,
                    hint=tr("auth.new_password_hint"),
                ),
                error_callout(LinkState.error),
                submit(tr("auth.set_password"), "reset-submit"),
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
        tr("auth.email_confirmation"),
        rx.cond(
            LinkState.error != "",
            error_callout(LinkState.error, "verify-error"),
            rx.cond(
                LinkState.result != "",
                rx.callout(LinkState.result, icon="circle_check", color_scheme="green", id="verify-result"),
                rx.text(tr("auth.open_link"), size="2"),
            ),
        ),
        rx.text(rx.link(tr("auth.go_to_login"), href=routes.LOGIN), size="2"),
    )
