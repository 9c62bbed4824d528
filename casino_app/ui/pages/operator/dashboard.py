"""Back office: the KPI dashboard (the sign-in lives in login.py)."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.alerts import alerts_card
from casino_app.ui.components.common import error_callout, stat_card
from casino_app.ui.layouts.operator import operator_page
from casino_app.ui.state.operator import OperatorState


@operator_page(
    route=routes.OPS_DASHBOARD, title="Dashboard", permission="ops.dashboard.view", on_load=OperatorState.load
)
def operator_dashboard() -> rx.Component:
    t = OperatorState.totals
    return rx.vstack(
        rx.heading("Dashboard", size="6"),
        error_callout(OperatorState.error, "ops-error"),
        alerts_card(OperatorState.alerts),
        rx.grid(
            stat_card("Stakes", t.stakes, test_id="kpi-stakes"),
            stat_card("Wins", t.wins, test_id="kpi-wins"),
            stat_card("GGR", t.ggr, hint="real-money stakes − wins", test_id="kpi-ggr"),
            stat_card("Deposits", t.deposits, test_id="kpi-deposits"),
            stat_card("Players", t.players, test_id="kpi-players"),
            stat_card("Bets", t.bets, test_id="kpi-bets"),
            stat_card("Open rounds", t.open_rounds),
            stat_card(
                "Player liability",
                t.liability,
                hint="cash, bonus and pending withdrawals",
                test_id="kpi-liability",
            ),
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
                                g.name,
                                " draw now",
                                variant="soft",
                                on_click=OperatorState.run_draw_now(g.code),
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
