"""Back-office sign-in: password, then TOTP (mandatory; the first sign-in sets it up)."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.components.security import (
    code_field,
    form_field,
    notice_callout,
    qr_enrollment,
    recovery_codes_panel,
)
from casino_app.ui.layouts.operator import operator_page
from casino_app.ui.state.session.session import SessionState


def _submit(label: str, test_id: str) -> rx.Component:
    return rx.button(label, type="submit", size="3", width="100%", id=test_id)


def _back() -> rx.Component:
    return rx.button("Back", on_click=SessionState.back_to_password, variant="ghost", type="button")


def password_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            form_field(
                "Email", "email", type="email", auto_complete="username", required=True, max_length=254
            ),
            form_field(
                "Password",
                "password",
                type="password",
                auto_complete="current-password",
                required=True,
                max_length=128,
            ),
            error_callout(SessionState.auth_error),
            _submit("Sign in", "ops-login-submit"),
            spacing="3",
            width="100%",
        ),
        on_submit=SessionState.operator_login,
        reset_on_submit=False,
        width="100%",
    )


def code_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text("Enter the code from your authenticator app.", size="2"),
            code_field(field_id="ops-code", focus=True),
            error_callout(SessionState.auth_error),
            _submit("Verify", "ops-code-submit"),
            _back(),
            spacing="3",
            width="100%",
        ),
        on_submit=SessionState.submit_code,
        reset_on_submit=True,
        width="100%",
    )


def enroll_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.callout(
                "Back-office accounts need two-step verification. Set it up now to finish signing in.",
                icon="shield_check",
                color_scheme="amber",
                width="100%",
            ),
            qr_enrollment(SessionState.enroll_qr, SessionState.enroll_secret),
            code_field(allow_recovery=False, field_id="ops-code"),
            error_callout(SessionState.auth_error),
            _submit("Turn on and sign in", "ops-enroll-submit"),
            _back(),
            spacing="3",
            width="100%",
        ),
        on_submit=SessionState.submit_code,
        reset_on_submit=True,
        width="100%",
    )


def locked_step() -> rx.Component:
    """A locked account (one policy for every account) unlocks with an authenticator code or the mail."""
    return rx.vstack(
        error_callout(SessionState.auth_error, "locked-message"),
        rx.form(
            rx.vstack(
                code_field(field_id="ops-unlock-code"),
                _submit("Unlock", "ops-unlock-submit"),
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
            _back(),
            wrap="wrap",
            spacing="3",
        ),
        spacing="3",
        width="100%",
    )


@operator_page(
    route=routes.OPS_LOGIN, title="Operator sign-in", permission=None, on_load=SessionState.clear_error
)
def operator_login() -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                rx.heading("Operator sign-in", size="6"),
                notice_callout(SessionState.auth_notice),
                rx.match(
                    SessionState.login_step,
                    ("code", code_step()),
                    ("enroll", enroll_step()),
                    (
                        "recovery",
                        recovery_codes_panel(SessionState.recovery_codes, SessionState.finish_recovery),
                    ),
                    ("locked", locked_step()),
                    password_step(),
                ),
                rx.link("Forgot your password?", href=routes.FORGOT_PASSWORD, size="2"),
                spacing="4",
                width="100%",
            ),
            width="100%",
            max_width="440px",
            size="3",
        ),
        width="100%",
        padding_top="2em",
    )
