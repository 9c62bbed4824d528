"""The rows the responsible-gaming pages show: pre-formatted strings built from the RG DTOs
(the player's page and the back office share them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from casino_app.domain.compliance.vocabulary import KIND_LABELS, MONEY_KINDS, MONEY_PERIODS, PERIOD_LABELS
from casino_app.services.compliance.rg.dto import LimitChangeView, LimitLine, PlayerDecision
from casino_app.services.compliance.rg.views.dto import HistoryLine
from casino_app.ui.format import when

KIND_CHOICES = [[k.value, KIND_LABELS[k]] for k in MONEY_KINDS]
PERIOD_CHOICES = [[p.value, PERIOD_LABELS[p]] for p in MONEY_PERIODS]


@dataclass(frozen=True)
class LimitRow:
    kind: str = ""
    period: str = ""
    label: str = ""
    in_force: str = ""
    used: str = ""
    remaining: str = ""
    percent: int = 0
    own: str = ""  # the player's own amount, "" for none
    imposed: str = ""  # the safer gambling team's, "" for none
    key: str = ""  # "loss:week", the row's id on the page


@dataclass(frozen=True)
class PendingRow:
    id: str = ""
    change: str = ""  # "Loss limit €50.00 per 7 days → no loss limit per 7 days"
    requested_at: str = ""
    effective_at: str = ""
    effective_iso: str = ""
    expires_at: str = ""
    confirmable: bool = False


@dataclass(frozen=True)
class HistoryRow:
    what: str = ""
    status: str = ""
    requested_at: str = ""
    effective_at: str = ""
    confirmed_at: str = ""
    by: str = ""
    reason: str = ""


@dataclass(frozen=True)
class DecisionRow:
    id: str = ""
    reasons: str = ""
    outcome: str = ""
    reason: str = ""
    decided_at: str = ""
    appeal: str = ""
    may_appeal: bool = False


def limit_row(line: LimitLine) -> LimitRow:
    total = line.in_force.minor if line.in_force else 0
    used = line.used.minor
    return LimitRow(
        line.kind,
        line.period,
        line.label,
        line.in_force.text if line.in_force else "",
        line.used.text,
        line.remaining.text if line.remaining else "",
        min(100, used * 100 // total) if total else 0,
        line.own.text if line.own else "",
        line.imposed.text if line.imposed else "",
        f"{line.kind}:{line.period}",
    )


def pending_row(c: LimitChangeView) -> PendingRow:
    return PendingRow(
        str(c.id),
        f"{c.old_text} → {c.new_text}",
        when(c.requested_at),
        when(c.effective_at),
        c.effective_at.isoformat(),
        when(c.expires_at),
        c.confirmable,
    )


def history_row(h: HistoryLine) -> HistoryRow:
    return HistoryRow(
        h.what, h.status, when(h.requested_at), when(h.effective_at), when(h.confirmed_at), h.by, h.reason
    )


def length_label(length: timedelta) -> str:
    """ "24 hours", "7 days"."""
    hours = int(length.total_seconds() // 3600)
    return f"{hours} hours" if hours < 48 else f"{hours // 24} days"


def decision_row(d: PlayerDecision) -> DecisionRow:
    return DecisionRow(
        str(d.case_id),
        " ".join(d.reasons),
        d.outcome_text,
        d.decision_reason,
        when(d.decided_at),
        d.appeal,
        d.may_appeal,
    )
