"""Back office: the RNG certification reports and the pre-draw self-test's alert (English)."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from casino_app.services.games.certification import records
from casino_app.ui.format import when
from casino_app.ui.services import call, message, uow
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.session import SessionState


@dataclass(frozen=True)
class RngReportRow:
    when: str = ""
    version: str = ""
    verdict: str = ""
    worst_proportion: str = ""
    worst_p: str = ""
    duration: str = ""
    ok: bool = True


def report_row(r: records.ReportView) -> RngReportRow:
    battery = r.figures.get("battery", [])
    mapped = r.figures.get("mapped", [])
    worst = min(battery, key=lambda b: b["proportion"], default=None)
    lowest = min(mapped, key=lambda m: m["p"], default=None)
    return RngReportRow(
        when(r.created_at),
        r.code_version,
        "passed" if r.passed else "FAILED",
        f"{worst['test']} {worst['passed']}/{worst['sequences']}" if worst else "-",
        f"{lowest['outcome']} p={lowest['p']:.4f}" if lowest else "-",
        f"{r.duration_ms / 1000:.1f} s",
        r.passed,
    )


class OpsRngState(rx.State):
    reports: list[RngReportRow] = []
    error: str = ""

    @rx.event
    @requires("ops.dashboard.view")
    async def load(self) -> None:
        actor = (await self.get_state(SessionState))._actor()
        try:
            found = await call(records.recent_reports, uow(), actor, 5)
        except Exception as err:
            self.reports, self.error = [], message(err)
            return
        self.error, self.reports = "", [report_row(r) for r in found]
