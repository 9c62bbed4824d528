"""A player's RG history as lines: limit changes, blocks, reality checks (requested, effective, confirmed)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from casino_app.domain.compliance import exclusion
from casino_app.domain.compliance.vocabulary import (
    KIND_LABELS,
    PERIOD_LABELS,
    BlockKind,
    ChangeStatus,
    LimitKind,
    LimitPeriod,
    LimitSource,
)
from casino_app.domain.errors import NotFound
from casino_app.persistence.tables import RgExclusion, RgLimitChange, RgRealityCheck
from casino_app.services.common import money_line
from casino_app.services.compliance.rg.views.dto import HISTORY_ROWS, HistoryLine


def history_in(s: Session, user_id: int, *, player_view: bool) -> tuple[HistoryLine, ...]:
    """Limit changes, blocks and acknowledged reality checks, newest first."""
    changes = s.exec(
        select(RgLimitChange)
        .where(RgLimitChange.user_id == user_id)
        .order_by(col(RgLimitChange.requested_at).desc())
        .limit(HISTORY_ROWS)
    ).all()
    blocks = s.exec(
        select(RgExclusion)
        .where(RgExclusion.user_id == user_id)
        .order_by(col(RgExclusion.starts_at).desc())
        .limit(HISTORY_ROWS)
    ).all()
    checks = s.exec(
        select(RgRealityCheck)
        .where(RgRealityCheck.user_id == user_id)
        .order_by(col(RgRealityCheck.acknowledged_at).desc())
        .limit(HISTORY_ROWS)
    ).all()
    lines = [_change_line(c, player_view) for c in changes]
    lines += [_exclusion_line(e, player_view) for e in blocks]
    lines += [_reality_line(c) for c in checks]
    return tuple(sorted(lines, key=lambda h: h.requested_at, reverse=True)[:HISTORY_ROWS])


def _by(source: str, who: str, player_view: bool) -> str:
    if not player_view:
        return who
    return "You" if source == LimitSource.PLAYER else "Safer gambling team"


def _change_line(c: RgLimitChange, player_view: bool) -> HistoryLine:
    old, new = amount_text(c.kind, c.old_amount, c.currency), amount_text(c.kind, c.new_amount, c.currency)
    return HistoryLine(
        f"{change_label(c.kind, c.period)}: {old} → {new}",
        c.status,
        LimitSource(c.source),
        c.requested_at,
        c.effective_at if c.status in (ChangeStatus.APPLIED, ChangeStatus.PENDING) else c.confirmed_at,
        c.confirmed_at,
        c.closed_at,
        _by(c.source, c.requested_by, player_view),
        c.reason,
    )


def _exclusion_line(e: RgExclusion, player_view: bool) -> HistoryLine:
    block = exclusion.Block(BlockKind(e.kind), e.ends_at)
    return HistoryLine(
        exclusion.describe(block).capitalize(),
        ChangeStatus.APPLIED,
        LimitSource(e.source),
        e.starts_at,
        e.starts_at,
        None,
        e.ends_at,
        _by(e.source, e.created_by, player_view),
        e.reason,
    )


def _reality_line(c: RgRealityCheck) -> HistoryLine:
    minutes = c.played_seconds // 60
    played = f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
    return HistoryLine(
        f"Reality check: played {played}, net {money_line(c.net, c.currency).text}",
        c.choice,
        LimitSource.PLAYER,
        c.acknowledged_at,
        c.due_at,
        c.acknowledged_at,
        None,
        "You",
        "",
    )


def record_id(value: object) -> int:
    """An id from a page or a link; anything else is an unknown record."""
    try:
        return int(str(value))
    except ValueError:
        raise NotFound("No such record.") from None


def amount_text(kind: str, amount: int | None, currency: str) -> str:
    if amount is None:
        return "no limit"
    return f"{amount} min" if kind == LimitKind.SESSION else money_line(amount, currency).text


def change_label(kind: str, period: str) -> str:
    if kind == LimitKind.SESSION:
        return KIND_LABELS[LimitKind.SESSION]
    return f"{KIND_LABELS[LimitKind(kind)]} per {PERIOD_LABELS[LimitPeriod(period)]}"
