"""Back office: the reconciliation queue (provider vs ledger). Every handler re-checks its permission."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from casino_app.services.payments import reconciliation
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.session import SessionState

REVIEW = "ops.reconciliation.review"
KIND_LABELS = {
    "missing_in_ledger": "Provider moved money the ledger never booked",
    "missing_at_provider": "Ledger booked money the provider never moved",
    "amount_mismatch": "Amounts differ",
    "currency_mismatch": "Currencies differ",
    "duplicate_at_provider": "Provider charged twice for one order",
}


@dataclass(frozen=True)
class ItemRow:
    id: str = ""
    provider: str = ""
    order: str = ""
    kind: str = ""
    summary: str = ""
    evidence: str = ""
    seen: str = ""


@dataclass(frozen=True)
class RunRow:
    provider: str = ""
    window: str = ""
    counts: str = ""
    ran: str = ""


def _item_row(i: reconciliation.ItemView) -> ItemRow:
    return ItemRow(
        str(i.id),
        i.provider,
        f"{i.direction} {i.order_id}",
        KIND_LABELS.get(i.kind, i.kind),
        i.summary,
        i.evidence,
        f"first {when(i.detected_at)}, last {when(i.last_seen_at)}",
    )


def _run_row(r: reconciliation.RunView) -> RunRow:
    counts = r.error or f"{r.reported} reported · {r.booked} booked · {r.mismatches} mismatch(es)"
    return RunRow(r.provider, f"{when(r.window_start)} – {when(r.window_end)}", counts, when(r.ran_at))


def _load(actor) -> tuple[list[ItemRow], list[RunRow]]:
    items = reconciliation.open_items(uow(), actor)
    runs = reconciliation.recent_runs(uow(), actor)
    return [_item_row(i) for i in items], [_run_row(r) for r in runs]


class OpsReconciliationState(rx.State):
    items: list[ItemRow] = []
    runs: list[RunRow] = []
    note: str = ""
    error: str = ""

    @rx.event
    @requires(REVIEW)
    async def load(self) -> None:
        actor = (await self.get_state(SessionState))._actor()
        try:
            self.items, self.runs = await call(_load, actor)
            self.error = ""
        except Exception as err:
            self.items, self.runs, self.error = [], [], message(err)

    @rx.event
    @requires(REVIEW)
    def set_note(self, value: str) -> None:
        self.note = value[:255]

    @rx.event
    @requires(REVIEW)
    async def resolve(self, item_id: str):
        """Close an item with the note typed above (what was done: refunded, credited, corrected)."""
        actor = (await self.get_state(SessionState))._actor()
        try:
            await call(reconciliation.resolve_item, uow(), actor, int(item_id), self.note, now())
        except (ValueError, TypeError):
            return rx.toast.error("Unknown item.")
        except Exception as err:
            return rx.toast.error(message(err))
        self.note = ""
        await self.load()
        return rx.toast.success("Resolved.")
