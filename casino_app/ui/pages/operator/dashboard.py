"""Back office: the KPI dashboard (the sign-in lives in login.py)."""

import reflex as rx

from casino_app.ui import routes
from casino_app.ui.components.alerts import alerts_card
from casino_app.ui.components.common import error_callout, stat_card
from casino_app.ui.layouts.operator import operator_page
from casino_app.ui.state.operator.dashboard import OperatorState
from casino_app.ui.state.operator.rng import OpsRngState, RngReportRow


def _rng_row(r: RngReportRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(r.when),
        rx.table.cell(rx.badge(r.verdict, color_scheme=rx.cond(r.ok, "green", "red"))),
        rx.table.cell(r.version),
        rx.table.cell(r.worst_proportion),
        rx.table.cell(r.worst_p),
        rx.table.cell(r.duration),
    )


def rng_card() -> rx.Component:
    """RNG certification: the latest `rng report` runs (a failing pre-draw self-test shows as an alert)."""
    return rx.card(
        rx.vstack(
            rx.heading("RNG certification", size="3"),
            rx.text(
                "SP 800-22 battery and chi-square per outcome space, from python -m casino_app rng report. "
                "A failed pre-draw self-test holds the draws and raises the rng_self_test alert above.",
                size="2",
                color_scheme="gray",
            ),
            error_callout(OpsRngState.error, "ops-rng-error"),
            rx.cond(
                OpsRngState.reports.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in ("Run", "Verdict", "Code", "Lowest pass count", "Lowest p", "Took")
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(OpsRngState.reports, _rng_row)),
                    width="100%",
                ),
                rx.text("No report yet: run python -m casino_app rng report.", size="2"),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id="ops-rng",
        on_mount=OpsRngState.load,
    )


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
        rng_card(),
        rx.button(rx.icon("refresh_cw"), "Refresh", on_click=OperatorState.load, variant="soft"),
        spacing="4",
        width="100%",
    )
