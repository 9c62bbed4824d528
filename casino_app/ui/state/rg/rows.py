"""The rows the responsible-gaming pages show: pre-formatted strings built from the RG DTOs
(the player's page and the back office share them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from casino_app.domain.compliance.vocabulary import KIND_LABELS, MONEY_KINDS, MONEY_PERIODS, PERIOD_LABELS
from casino_app.services.compliance.rg.dto import LimitChangeView, LimitLine, PlayerDecision
from casino_app.services.compliance.rg.views.dto import HistoryLine
from casino_app.services.dto import MoneyLine
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats

# The back office's selects (English); the player's page names them from the catalog (rg.kind_*).
KIND_CHOICES = [[k.value, KIND_LABELS[k]] for k in MONEY_KINDS]
PERIOD_CHOICES = [[p.value, PERIOD_LABELS[p]] for p in MONEY_PERIODS]
KIND_VALUES = [k.value for k in MONEY_KINDS]
PERIOD_VALUES = [p.value for p in MONEY_PERIODS]
ENGLISH = Formats()


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


def limit_label(lang: str, kind: str, period: str, fallback: str = "") -> str:
    """ "Deposit limit per 24 hours" / "Limit wpłat na 24 godziny"."""
    if kind not in KIND_VALUES or period not in PERIOD_VALUES:
        return fallback or f"{kind} {period}"
    what, per = text(lang, f"rg.kind_{kind}"), text(lang, f"rg.period_{period}")
    return text(lang, "rg.limit_per", kind=what, period=per)


def _money(fmt: Formats, line: MoneyLine | None) -> str:
    return fmt.money(line.minor, line.currency) if line else ""


def limit_row(line: LimitLine, fmt: Formats = ENGLISH) -> LimitRow:
    total = line.in_force.minor if line.in_force else 0
    used = line.used.minor
    return LimitRow(
        line.kind,
        line.period,
        limit_label(fmt.lang, line.kind, line.period, line.label),
        _money(fmt, line.in_force),
        _money(fmt, line.used),
        _money(fmt, line.remaining),
        min(100, used * 100 // total) if total else 0,
        _money(fmt, line.own),
        _money(fmt, line.imposed),
        f"{line.kind}:{line.period}",
    )


def pending_row(c: LimitChangeView, fmt: Formats = ENGLISH) -> PendingRow:
    return PendingRow(
        str(c.id),
        f"{c.old_text} → {c.new_text}",
        fmt.when(c.requested_at),
        fmt.when(c.effective_at),
        c.effective_at.isoformat(),
        fmt.when(c.expires_at),
        c.confirmable,
    )


def history_row(h: HistoryLine, fmt: Formats = ENGLISH) -> HistoryRow:
    return HistoryRow(
        h.what,
        h.status,
        fmt.when(h.requested_at),
        fmt.when(h.effective_at),
        fmt.when(h.confirmed_at),
        h.by,
        h.reason,
    )


def length_label(length: timedelta, lang: str = "en") -> str:
    """ "24 hours", "7 days"."""
    hours = int(length.total_seconds() // 3600)
    return text(lang, "rg.hours", n=hours) if hours < 48 else text(lang, "rg.days", n=hours // 24)


def decision_row(d: PlayerDecision, fmt: Formats = ENGLISH) -> DecisionRow:
    return DecisionRow(
        str(d.case_id),
        " ".join(d.reasons),
        d.outcome_text,
        d.decision_reason,
        fmt.when(d.decided_at),
        d.appeal,
        d.may_appeal,
    )
