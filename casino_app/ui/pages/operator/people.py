"""Back office: operator accounts (admins invite them) and a player's access (support)."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout
from casino_app.ui.components.security import detail_row, form_field, section_card
from casino_app.ui.layouts.operator import operator_page
from casino_app.ui.state.operator.people import OperatorsState, PlayersState


def operator_row(o: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(o.email, word_break="break-all")),
        rx.table.cell(o.role),
        rx.table.cell(o.mfa),
        rx.table.cell(o.last_login),
    )


def invite_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            form_field("Email", "email", id="invite-email", type="email", required=True, max_length=254),
            rx.vstack(
                rx.text("Role", size="2", weight="medium"),
                rx.select.root(
                    rx.select.trigger(width="100%", id="invite-role", custom_attrs={"aria-label": "Role"}),
                    rx.select.content(
                        rx.foreach(OperatorsState.roles, lambda r: rx.select.item(r.label, value=r.value)),
                    ),
                    name="role",
                    default_value="support",
                    size="3",
                ),
                spacing="1",
                width="100%",
            ),
            rx.text(
                "They get an email with a link to choose a password, and set up TOTP at their first sign-in.",
                size="1",
                color_scheme="gray",
            ),
            error_callout(OperatorsState.error, "invite-error"),
            rx.button("Invite", type="submit", size="3", id="invite-submit"),
            spacing="3",
            width="100%",
        ),
        on_submit=OperatorsState.invite,
        reset_on_submit=False,
        width="100%",
    )


@operator_page(
    route=routes.OPS_OPERATORS,
    title="Operators",
    permission="ops.operators.manage",
    on_load=OperatorsState.load,
)
def operators_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Operator accounts", size="6"),
        rx.grid(
            section_card(
                "Team",
                "users",
                rx.box(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell("Email"),
                                rx.table.column_header_cell("Role"),
                                rx.table.column_header_cell("2FA"),
                                rx.table.column_header_cell("Last sign-in"),
                            )
                        ),
                        rx.table.body(rx.foreach(OperatorsState.operators, operator_row)),
                        size="1",
                        width="100%",
                    ),
                    overflow_x="auto",
                    width="100%",
                ),
            ),
            section_card("Invite an operator", "user_plus", invite_form()),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def reason_form(label: str, handler, test_id: str, color: str) -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.input(
                name="reason",
                placeholder="Reason (for the audit log)",
                required=True,
                max_length=255,
                size="2",
                flex="1",
                min_width="12em",
            ),
            rx.button(label, type="submit", color_scheme=color, variant="soft", id=test_id),
            spacing="2",
            width="100%",
            wrap="wrap",
        ),
        on_submit=handler,
        reset_on_submit=True,
        width="100%",
    )


def player_card() -> rx.Component:
    f = PlayersState.found
    return rx.cond(
        f.email != "",
        section_card(
            "Player",
            "user_round",
            detail_row("Email", f.email, test_id="player-email"),
            detail_row("Player id", f.id),
            detail_row("Status", f.status),
            detail_row("Email status", f.verified),
            detail_row("Two-step verification", f.mfa),
            detail_row("Live sessions", f.sessions, test_id="player-sessions"),
            detail_row("Last sign-in", f.last_login),
            rx.cond(
                f.locked,
                rx.badge("Locked after failed sign-ins", color_scheme="red", id="player-locked"),
            ),
            rx.cond(
                PlayersState.can_unlock & f.locked,
                reason_form("Unlock", PlayersState.unlock, "unlock-player", "amber"),
            ),
            rx.cond(
                PlayersState.can_revoke,
                reason_form("Sign out everywhere", PlayersState.revoke_sessions, "revoke-player", "red"),
            ),
        ),
    )


@operator_page(route=routes.OPS_PLAYERS, title="Players", permission="ops.players.view")
def players_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Player access", size="6"),
        rx.form(
            rx.hstack(
                rx.input(
                    name="email",
                    id="player-search",
                    type="email",
                    placeholder="Exact email address",
                    required=True,
                    max_length=254,
                    size="3",
                    flex="1",
                    min_width="14em",
                ),
                rx.button("Find", type="submit", size="3", id="player-search-submit"),
                spacing="2",
                width="100%",
                wrap="wrap",
            ),
            on_submit=PlayersState.search,
            reset_on_submit=False,
            width="100%",
            max_width="640px",
        ),
        error_callout(PlayersState.error, "players-error"),
        rx.box(player_card(), width="100%", max_width="640px"),
        spacing="4",
        width="100%",
    )
