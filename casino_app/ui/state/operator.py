"""Back-office dashboard. Every handler re-checks the permission itself."""

from __future__ import annotations

import reflex as rx

from casino_app.config import load_settings
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.backoffice import reports
from casino_app.services.games import draws, lotto
from casino_app.services.security import security_checks
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now
from casino_app.ui.state.guard import requires
from casino_app.ui.state.session import SessionState


class OperatorState(rx.State):
    totals: dict[str, str] = {}
    games: list[dict[str, str]] = []
    demo_tools: bool = False
    alerts: list[dict[str, str]] = []
    error: str = ""

    @rx.event
    @requires("ops.dashboard.view")
    async def load(self):
        session = await self.get_state(SessionState)
        try:
            t = await call(reports.dashboard_totals, UnitOfWork(), session.role())
        except Exception as err:
            self.totals, self.error = {}, message(err)
            return
        self.error = ""
        self.totals = {
            "stakes": t.stakes.text,
            "wins": t.wins.text,
            "ggr": t.ggr.text,
            "deposits": t.deposits.text,
            "players": str(t.players),
            "tickets": str(t.tickets),
            "open_draws": str(t.open_draws),
            "liability": t.player_liability.text,
        }
        self.games = [{"code": g.code, "name": g.name} for g in await call(lotto.list_games, UnitOfWork())]
        self.demo_tools = load_settings().demo_mode and authz.allowed(session.role(), "ops.draws.run_now")
        self.alerts = [
            {"kind": a.kind, "severity": a.severity, "message": a.message, "since": when(a.raised_at)}
            for a in await call(security_checks.alerts_for, UnitOfWork(), session.role())
        ]

    @rx.event
    @requires("ops.draws.run_now")
    async def run_draw_now(self, game_code: str):
        session = await self.get_state(SessionState)
        settings = load_settings()
        if not (settings.demo_mode and authz.allowed(session.role(), "ops.draws.run_now")):
            return rx.toast.error("You do not have permission to do that.")
        try:
            draw = await call(
                draws.run_draw_now,
                UnitOfWork(),
                game_code,
                now(),
                settings.sales_close_seconds,
                settings.draw_interval_seconds,
                actor=session.actor(),
            )
        except Exception as err:
            return rx.toast.error(message(err))
        await self.load()
        return rx.toast.success(f"Draw {draw.code}: {draw.numbers}")
