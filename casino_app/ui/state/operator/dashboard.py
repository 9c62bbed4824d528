"""Back-office dashboard. Every handler re-checks the permission itself."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from casino_app.services import authz
from casino_app.services.backoffice import reports
from casino_app.services.dto import DashboardTotals
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.security import security_checks
from casino_app.ui import wiring
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.games.lotto import GameChoice
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.session import SessionState


@dataclass(frozen=True)
class TotalsRow:
    stakes: str = ""
    wins: str = ""
    ggr: str = ""
    deposits: str = ""
    players: str = ""
    bets: str = ""
    open_rounds: str = ""
    liability: str = ""


@dataclass(frozen=True)
class AlertRow:
    kind: str = ""
    severity: str = ""
    message: str = ""
    since: str = ""


def totals_row(t: DashboardTotals) -> TotalsRow:
    return TotalsRow(
        t.stakes.text,
        t.wins.text,
        t.ggr.text,
        t.deposits.text,
        str(t.players),
        str(t.bets),
        str(t.open_rounds),
        t.player_liability.text,
    )


class OperatorState(rx.State):
    totals: TotalsRow = TotalsRow()
    games: list[GameChoice] = []
    demo_tools: bool = False
    alerts: list[AlertRow] = []
    error: str = ""

    @rx.event
    @requires("ops.dashboard.view")
    async def load(self):
        actor = (await self.get_state(SessionState))._actor()
        try:
            totals = await call(reports.dashboard_totals, uow(), actor)
            alerts = await call(security_checks.alerts_for, uow(), actor)
        except Exception as err:
            self.totals, self.error = TotalsRow(), message(err)
            return
        self.error, self.totals = "", totals_row(totals)
        self.games = [GameChoice(g.code, g.name) for g in await call(lotto.list_games, uow())]
        self.demo_tools = wiring.current().settings.demo_mode and authz.allowed(
            actor.role, "ops.draws.run_now"
        )
        self.alerts = [AlertRow(a.kind, a.severity, a.message, when(a.raised_at)) for a in alerts]

    @rx.event
    @requires("ops.draws.run_now")
    async def run_draw_now(self, game_code: str):
        actor = (await self.get_state(SessionState))._actor()
        try:
            draw = await call(draws.run_draw_now, uow(), actor, str(game_code)[:32], now())
        except Exception as err:
            return rx.toast.error(message(err))
        await self.load()
        return rx.toast.success(f"Draw {draw.code}: {', '.join(map(str, draw.numbers))}")
