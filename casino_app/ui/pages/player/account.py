"""Account and security: profile, last sign-ins, two-step verification, sessions, password, email."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.components.design import COLOUR, SPACE, TYPE, page_header
from casino_app.ui.components.preferences import preferences_card
from casino_app.ui.components.security import (
    code_field,
    detail_row,
    form_field,
    qr_enrollment,
    recovery_codes_panel,
    section_card,
)
from casino_app.ui.i18n.text import tr
from casino_app.ui.layouts.player import player_page
from casino_app.ui.state.player.account import AccountState, SessionRow


def _section_error(section: str) -> rx.Component:
    return error_callout(AccountState.section_error.get(section, ""), f"{section}-error")


def confirm_field() -> rx.Component:
    """The step-up: a TOTP code when 2FA is on, the password otherwise."""
    return rx.cond(
        AccountState.mfa_enabled,
        code_field("confirm", field_id="confirm-code"),
        form_field(
            tr("security.your_password"),
            "confirm",
            id="confirm-password",
            type="password",
            auto_complete="current-password",
            required=True,
            max_length=128,
        ),
    )


def profile_card() -> rx.Component:
    p = AccountState.profile
    return section_card(
        tr("account.profile"),
        "user_round",
        detail_row(tr("account.name"), p.full_name, test_id="profile-name"),
        detail_row(tr("auth.email"), p.email, test_id="profile-email"),
        rx.cond(
            ~AccountState.email_verified,
            rx.hstack(
                rx.badge(tr("account.email_not_confirmed"), color_scheme="amber"),
                rx.button(
                    tr("account.send_link_again"),
                    on_click=AccountState.resend_verification,
                    variant="ghost",
                    size="1",
                ),
                align="center",
                wrap="wrap",
            ),
            rx.badge(tr("account.email_confirmed"), color_scheme="green", width="fit-content"),
        ),
        detail_row(tr("auth.birth_date"), p.birth_date),
        detail_row(tr("account.country"), p.country),
        detail_row(tr("account.phone"), p.phone),
        detail_row(tr("account.member_since"), p.member_since),
        test_id="profile-card",
    )


def logins_card() -> rx.Component:
    p = AccountState.profile
    return section_card(
        tr("account.sign_ins"),
        "history",
        detail_row(tr("account.this_sign_in"), p.this_login, test_id="this-login"),
        detail_row(tr("account.previous_sign_in"), p.previous_login, test_id="previous-login"),
        rx.text(tr("account.dont_recognise"), size=TYPE["fine"], color=COLOUR["muted"]),
    )


def mfa_off() -> rx.Component:
    return rx.cond(
        AccountState.enroll_secret != "",
        rx.form(
            rx.vstack(
                qr_enrollment(AccountState.enroll_qr, AccountState.enroll_secret),
                code_field(allow_recovery=False, field_id="enroll-code"),
                _section_error("mfa"),
                rx.hstack(
                    rx.button(tr("account.turn_on"), type="submit", size="3", id="enroll-submit"),
                    rx.button(
                        tr("wallet.cancel"),
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                        size="3",
                        on_click=AccountState.cancel_enrollment,
                    ),
                    spacing="3",
                    align="center",
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=AccountState.confirm_enrollment,
            reset_on_submit=True,
            width="100%",
        ),
        rx.vstack(
            rx.text(tr("account.mfa_intro"), size=TYPE["small"]),
            _section_error("mfa"),
            rx.button(
                rx.icon("smartphone", size=16),
                tr("account.set_up_app"),
                on_click=AccountState.start_enrollment,
                size="3",
                id="mfa-start",
            ),
            spacing="3",
            width="100%",
        ),
    )


def _choice(value: str, label: rx.Var | str) -> rx.Component:
    return rx.text(
        rx.flex(
            rx.radio_group.item(value=value, id=f"mfa-action-{value}"), label, spacing="2", align="center"
        ),
        as_="label",
        size="2",
    )


def mfa_on() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.badge(tr("account.on"), color_scheme="green", size="2", id="mfa-status"),
            rx.text(
                AccountState.recovery_left,
                " ",
                tr("account.codes_left"),
                size=TYPE["small"],
                color=COLOUR["muted"],
            ),
            align="center",
        ),
        rx.form(
            rx.vstack(
                rx.radio_group.root(
                    rx.vstack(
                        rx.radio_group.item(
                            tr("account.get_new_codes"), value="codes", id="mfa-action-codes"
                        ),
                        rx.radio_group.item(tr("account.turn_off"), value="off", id="mfa-action-off"),
                        spacing="2",
                    ),
                    name="action",
                    default_value="codes",
                ),
                confirm_field(),
                _section_error("mfa"),
                rx.button(tr("account.confirm"), type="submit", variant="soft", id="mfa-manage-submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=AccountState.manage_mfa,
            reset_on_submit=True,
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def mfa_card() -> rx.Component:
    return section_card(
        tr("account.two_step"),
        "shield_check",
        rx.cond(
            AccountState.new_codes.length() > 0,
            recovery_codes_panel(AccountState.new_codes, AccountState.codes_saved),
            rx.cond(AccountState.mfa_enabled, mfa_on(), mfa_off()),
        ),
        test_id="mfa-card",
    )


def session_row(s: rx.Var[SessionRow]) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.hstack(
                rx.text(s.device, weight="medium", size="2"),
                rx.cond(s.current, rx.badge(tr("account.this_browser"), color_scheme="green")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.text(
                s.ip, " · ", tr("account.active"), " ", s.last_seen, size=TYPE["fine"], color=COLOUR["muted"]
            ),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.cond(
            ~s.current,
            rx.button(
                tr("account.sign_out"),
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=AccountState.revoke_session(s.id),
                class_name="revoke-session",
            ),
        ),
        width="100%",
        align="center",
        padding_y="0.5em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="session-row",
    )


def sessions_card() -> rx.Component:
    return section_card(
        tr("account.where_signed_in"),
        "monitor_smartphone",
        rx.vstack(rx.foreach(AccountState.sessions, session_row), spacing="0", width="100%", id="sessions"),
        _section_error("sessions"),
        test_id="sessions-card",
    )


def password_card() -> rx.Component:
    return section_card(
        tr("auth.password"),
        "key_round",
        rx.form(
            rx.vstack(
                form_field(
                    tr("account.current_password"),
                    "current_password",
                    type="password",
                    auto_complete="current-password",
                    required=True,
                    max_length=128,
                ),
                form_field(
                    tr("auth.new_password"),
                    "new_password",
                    type="password",
                    auto_complete="new-password",
                    required=True,
                    max_length=128,
                    hint=tr("account.new_password_hint"),
                ),
                _section_error("password"),
                rx.button(tr("account.change_password"), type="submit", variant="soft", id="password-submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=AccountState.change_password,
            reset_on_submit=False,
            width="100%",
        ),
    )


def email_card() -> rx.Component:
    return section_card(
        tr("account.change_email"),
        "mail",
        rx.form(
            rx.vstack(
                form_field(
                    tr("account.new_email"),
                    "new_email",
                    type="email",
                    auto_complete="email",
                    required=True,
                    max_length=254,
                ),
                confirm_field(),
                _section_error("email"),
                rx.button(tr("account.send_confirmation"), type="submit", variant="soft", id="email-submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=AccountState.change_email,
            reset_on_submit=True,
            width="100%",
        ),
    )


@player_page(route=routes.ACCOUNT, title="Account and security", on_load=AccountState.load)
def account() -> rx.Component:
    return rx.vstack(
        page_header(tr("nav.account_and_security"), tr("account.subtitle")),
        rx.grid(
            rx.vstack(
                profile_card(), preferences_card(), logins_card(), sessions_card(), spacing="4", width="100%"
            ),
            rx.vstack(mfa_card(), password_card(), email_card(), spacing="4", width="100%"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing=SPACE["loose"],
            width="100%",
        ),
        spacing=SPACE["loose"],
        width="100%",
    )
