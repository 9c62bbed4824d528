"""Back office, safer gambling: the risk team's cases and a player's RG record.

Every handler (setters too) declares and re-checks its permission: reading is `ops.rg.view`,
assigning, noting, deciding and imposing limits or blocks is `ops.rg.manage`. Operators can only
make a player's limits stricter or block them, always with a reason; the services refuse
anything else, so the forms here need no second copy of those rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import reflex as rx

from casino_app.domain.compliance.profiles import PROFILES
from casino_app.domain.compliance.vocabulary import OUTCOME_LABELS, TERM_LABELS, CaseOutcome, ExclusionTerm
from casino_app.domain.money.amounts import parse_amount
from casino_app.services.compliance.rg.dto import CaseView, ImposeLimit, LiftLimit
from casino_app.services.compliance.rg.exclusion import periods as rg_exclusion
from casino_app.services.compliance.rg.harm import cases as rg_cases
from casino_app.services.compliance.rg.limits import imposed as rg_imposed
from casino_app.services.compliance.rg.limits import setting as rg_limits
from casino_app.services.compliance.rg.views import ops as rg_ops
from casino_app.ui import routes
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.rg.page import (
    HistoryRow,
    LimitRow,
    PendingRow,
    history_row,
    limit_row,
    pending_row,
)
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.session import SessionState

VIEW = "ops.rg.view"
MANAGE = "ops.rg.manage"
OUTCOME_CHOICES = [[o.value, OUTCOME_LABELS[o]] for o in CaseOutcome]
STATUS_CHOICES = [["active", "Open and appealed"], ["all", "All cases"], ["decided", "Decided"]]
TERM_CHOICES = [[t.value, TERM_LABELS[t]] for t in ExclusionTerm]
TIMEOUT_CHOICES = [
    [str(int(t.total_seconds() // 3600)), f"{int(t.total_seconds() // 3600)} hours"]
    for t in PROFILES["DEFAULT"].timeout_options
]


@dataclass(frozen=True)
class TrailRow:
    at: str = ""
    actor: str = ""
    kind: str = ""
    text: str = ""


@dataclass(frozen=True)
class CaseRow:
    id: str = ""
    player_id: str = ""
    player_link: str = ""
    currency: str = ""
    status: str = ""
    opened_at: str = ""
    assigned_to: str = ""
    markers: list[str] = field(default_factory=list)
    outcome: str = ""
    decision_reason: str = ""
    decided_at: str = ""
    appeal: str = ""
    trail: list[TrailRow] = field(default_factory=list)


def case_row(c: CaseView) -> CaseRow:
    return CaseRow(
        str(c.id),
        str(c.user_id),
        f"{routes.OPS_RG_PLAYER}?id={c.user_id}",
        c.currency,
        c.status,
        when(c.opened_at),
        f"operator:{c.assigned_to}" if c.assigned_to else "",
        [m.reason for m in c.markers],
        OUTCOME_LABELS[CaseOutcome(c.outcome)] if c.outcome else "",
        c.decision_reason,
        when(c.decided_at),
        c.appeal,
        [TrailRow(when(e.at), e.actor, e.kind, e.text) for e in c.trail],
    )


def _active(c: CaseView) -> bool:
    return c.status != "decided"


class OpsRgCasesState(rx.State):
    cases: list[CaseRow] = []
    status_filter: str = "active"
    selected: CaseRow = CaseRow()
    has_selected: bool = False
    note_text: str = ""
    outcome: str = CaseOutcome.NO_ACTION.value
    decision_reason: str = ""
    error: str = ""

    async def _actor(self):
        return (await self.get_state(SessionState))._actor()

    async def _refresh(self) -> None:
        wanted = "" if self.status_filter in ("active", "all") else self.status_filter
        rows = await call(rg_cases.list_cases, uow(), await self._actor(), wanted)
        if self.status_filter == "active":
            rows = [c for c in rows if _active(c)]
        self.cases = [case_row(c) for c in rows]

    async def _open(self, case_id: str) -> None:
        view = await call(rg_cases.get_case, uow(), await self._actor(), _int(case_id))
        self.selected, self.has_selected = case_row(view), True

    @rx.event
    @requires(VIEW)
    async def load(self) -> None:
        self.error, self.has_selected = "", False
        try:
            await self._refresh()
            wanted = self.router.url.query_parameters.get("case", "")
            if wanted:
                await self._open(str(wanted)[:12])
        except Exception as err:
            self.error = message(err)

    @rx.event
    @requires(VIEW)
    async def set_status_filter(self, value: str) -> None:
        self.status_filter = value if value in ("active", "all", "decided", "open", "appealed") else "active"
        await self.load()

    @rx.event
    @requires(VIEW)
    async def select_case(self, case_id: str) -> None:
        self.error, self.note_text, self.decision_reason = "", "", ""
        try:
            await self._open(case_id)
        except Exception as err:
            self.error = message(err)

    @rx.event
    @requires(MANAGE)
    def set_note_text(self, value: str) -> None:
        self.note_text = str(value)[:2000]

    @rx.event
    @requires(MANAGE)
    def set_outcome(self, value: str) -> None:
        self.outcome = str(value)[:24]

    @rx.event
    @requires(MANAGE)
    def set_decision_reason(self, value: str) -> None:
        self.decision_reason = str(value)[:2000]

    async def _act(self, fn, *args, done: str):
        actor = await self._actor()
        try:
            view = await call(fn, uow(), actor, _int(self.selected.id), *args, now())
        except Exception as err:
            self.error = message(err)
            return None
        self.error = ""
        self.selected = case_row(view)
        await self._refresh()
        return rx.toast.success(done)

    @rx.event
    @requires(MANAGE)
    async def assign_to_me(self):
        me = (await self.get_state(SessionState))._signed_in_id() or 0
        return await self._act(rg_cases.assign_case, me, done="The case is yours.")

    @rx.event
    @requires(MANAGE)
    async def add_note(self):
        result = await self._act(rg_cases.note_case, self.note_text, done="Note added to the trail.")
        if result is not None:
            self.note_text = ""
        return result

    @rx.event
    @requires(MANAGE)
    async def decide(self):
        result = await self._act(
            rg_cases.decide_case, self.outcome, self.decision_reason, done="Decision recorded."
        )
        if result is not None:
            self.decision_reason = ""
        return result


class OpsRgPlayerState(rx.State):
    player_id: str = ""
    lookup: str = ""
    email: str = ""
    profile_name: str = ""
    currency: str = ""
    block_text: str = ""
    session_limit: str = ""
    reality_text: str = ""
    limits: list[LimitRow] = []
    pending: list[PendingRow] = []
    history: list[HistoryRow] = []
    cases: list[CaseRow] = []
    loaded: bool = False
    # imposing
    kind: str = "loss"
    period: str = "day"
    amount: str = ""
    timeout_hours: str = "24"
    term: str = ExclusionTerm.SIX_MONTHS.value
    reason: str = ""
    error: str = ""

    async def _actor(self):
        return (await self.get_state(SessionState))._actor()

    async def _show(self, user_id: int) -> None:
        record = await call(rg_ops.player_record, uow(), await self._actor(), user_id, now())
        view, lim = record.overview, record.overview.limits
        self.player_id, self.email, self.currency = str(view.user_id), record.email, view.currency
        self.profile_name, self.block_text = view.profile_name, view.block.text
        self.session_limit = f"{lim.session_limit_minutes} min" if lim.session_limit_minutes else "none"
        minutes = view.reality.in_force_minutes
        self.reality_text = f"every {minutes} min" if minutes else "off"
        self.limits = [limit_row(line) for line in lim.lines if line.in_force is not None]
        self.pending = [pending_row(c) for c in lim.pending]
        self.history = [history_row(h) for h in record.history]
        self.cases = [case_row(c) for c in record.cases]
        self.loaded = True

    @rx.event
    @requires(VIEW)
    async def load(self) -> None:
        self.error, self.loaded, self.reason, self.amount = "", False, "", ""
        wanted = str(self.router.url.query_parameters.get("id", ""))[:12]
        if not wanted:
            return
        try:
            await self._show(_int(wanted))
        except Exception as err:
            self.error = message(err)

    @rx.event
    @requires(VIEW)
    def set_lookup(self, value: str) -> None:
        self.lookup = str(value)[:254]

    @rx.event
    @requires(VIEW)
    async def find(self):
        try:
            user_id = await call(rg_ops.find_player_id, uow(), await self._actor(), self.lookup)
        except Exception as err:
            self.error = message(err)
            return None
        return rx.redirect(f"{routes.OPS_RG_PLAYER}?id={user_id}")

    @rx.event
    @requires(MANAGE)
    def set_kind(self, value: str) -> None:
        self.kind = str(value)[:16]

    @rx.event
    @requires(MANAGE)
    def set_period(self, value: str) -> None:
        self.period = str(value)[:16]

    @rx.event
    @requires(MANAGE)
    def set_amount(self, value: str) -> None:
        self.amount = str(value)[:32]

    @rx.event
    @requires(MANAGE)
    def set_timeout_hours(self, value: str) -> None:
        self.timeout_hours = str(value)[:8]

    @rx.event
    @requires(MANAGE)
    def set_term(self, value: str) -> None:
        self.term = str(value)[:16]

    @rx.event
    @requires(MANAGE)
    def set_reason(self, value: str) -> None:
        self.reason = str(value)[:255]

    async def _impose(self, fn, *args, done: str):
        try:
            await call(fn, uow(), await self._actor(), _int(self.player_id), *args, now())
            await self._show(_int(self.player_id))
        except Exception as err:
            self.error = message(err)
            return None
        self.error, self.reason, self.amount = "", "", ""
        return rx.toast.success(done)

    @rx.event
    @requires(MANAGE)
    async def impose_limit(self):
        try:
            minor = parse_amount(self.amount, self.currency or "EUR").minor
        except Exception as err:
            self.error = message(err)
            return None
        cmd = ImposeLimit(self.kind, self.period, minor, self.reason)
        return await self._impose(rg_limits.impose_limit, cmd, done="The limit applies now.")

    @rx.event
    @requires(MANAGE)
    async def lift_limit(self):
        cmd = LiftLimit(self.kind, self.period, self.reason)
        return await self._impose(rg_imposed.lift_imposed_limit, cmd, done="The imposed limit is lifted.")

    @rx.event
    @requires(MANAGE)
    async def impose_time_out(self):
        length = timedelta(hours=_int(self.timeout_hours))
        return await self._impose(
            rg_exclusion.impose_time_out, length, self.reason, done="Time-out in force."
        )

    @rx.event
    @requires(MANAGE)
    async def impose_exclusion(self):
        return await self._impose(
            rg_exclusion.impose_exclusion, self.term, self.reason, done="Exclusion in force."
        )


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
