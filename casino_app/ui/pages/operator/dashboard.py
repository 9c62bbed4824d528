"""Back office: sign-in and the KPI dashboard."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.common import error_callout, stat_card
from casino_app.ui.layouts.operator import operator_page
from casino_app.ui.pages.player.auth import field
from casino_app.ui.state.operator import OperatorState
from casino_app.ui.state.session import SessionState


@operator_page(
    route=routes.OPS_LOGIN, title="Operator sign-in", permission=None, on_load=SessionState.clear_error
)
def operator_login() -> rx.Component:
    return rx.center(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading("Operator sign-in", size="6"),
                    field("Email", "email", type="email", auto_complete="username", required=True),
                    field(
                        "Password",
                        "password",
                        type="password",
                        auto_complete="current-password",
                        required=True,
                    ),
                    error_callout(SessionState.auth_error),
                    rx.button("Sign in", type="submit", size="3", width="100%", id="ops-login-submit"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=SessionState.operator_login,
                reset_on_submit=False,
            ),
            width="100%",
            max_width="440px",
            size="3",
        ),
        width="100%",
        padding_top="2em",
    )


@operator_page(
    route=routes.OPS_DASHBOARD, title="Dashboard", permission="ops.dashboard.view", on_load=OperatorState.load
)
def operator_dashboard() -> rx.Component:
    t = OperatorState.totals
    return rx.vstack(
        rx.heading("Dashboard", size="6"),
        error_callout(OperatorState.error, "ops-error"),
        rx.grid(
            stat_card("Stakes", t["stakes"], test_id="kpi-stakes"),
            stat_card("Wins", t["wins"], test_id="kpi-wins"),
            stat_card("GGR", t["ggr"], hint="stakes − wins", test_id="kpi-ggr"),
            stat_card("Deposits", t["deposits"], test_id="kpi-deposits"),
            stat_card("Players", t["players"], test_id="kpi-players"),
            stat_card("Tickets", t["tickets"], test_id="kpi-tickets"),
            stat_card("Open draws", t["open_draws"]),
            stat_card("Player liability", t["liability"], hint="sum of player balances"),
            columns=rx.breakpoints(initial="2", md="4"),
            spacing="3",
            width="100%",
        ),
        rx.cond(
            OperatorState.demo_tools,
            rx.card(
                rx.vstack(
                    rx.heading("Demo tools", size="3"),
                    rx.text(
                        "Close sales, draw and settle a game's open draw right now.",
                        size="2",
                        color_scheme="gray",
                    ),
                    rx.hstack(
                        rx.foreach(
                            OperatorState.games,
                            lambda g: rx.button(
                                "Run ",
                                g["name"],
                                " draw now",
                                variant="soft",
                                on_click=OperatorState.run_draw_now(g["code"]),
                            ),
                        ),
                        wrap="wrap",
                        spacing="2",
                    ),
                    spacing="2",
                ),
                width="100%",
            ),
        ),
        rx.button(rx.icon("refresh_cw"), "Refresh", on_click=OperatorState.load, variant="soft"),
        spacing="4",
        width="100%",
    )
