"""A player's responsible-gaming history, preferences and inbox, for their data export.

What the player set or was told: limit changes (requested, effective, confirmed, by whom and
why), breaks and exclusions, reality checks answered, and the decisions of cases about them
with their appeals. The risk team's internal trail stays in the back office.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from casino_app.persistence.tables import (
    Notification,
    PlayerPreference,
    RgCase,
    RgExclusion,
    RgLimitChange,
    RgRealityCheck,
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def responsible_gaming(s: Session, user_id: int) -> dict[str, Any]:
    """The export's "responsible_gaming" section, oldest first in each list."""
    return {
        "limit_changes": [_change(c) for c in _rows(s, RgLimitChange, user_id, RgLimitChange.requested_at)],
        "breaks_and_exclusions": [_block(b) for b in _rows(s, RgExclusion, user_id, RgExclusion.starts_at)],
        "reality_checks": [_reality(r) for r in _rows(s, RgRealityCheck, user_id, RgRealityCheck.due_at)],
        "cases": [_case(c) for c in _rows(s, RgCase, user_id, RgCase.opened_at)],
    }


def preferences(s: Session, user_id: int) -> dict[str, Any]:
    """The export's "preferences" section (empty values: never chosen)."""
    row = s.get(PlayerPreference, user_id)
    if row is None:
        return {"language": "", "time_zone": "", "favourite_games": []}
    return {
        "language": row.language,
        "time_zone": row.time_zone,
        "favourite_games": json.loads(row.favourite_games or "[]"),
    }


def _rows(s: Session, table: Any, user_id: int, order: Any) -> list[Any]:
    return list(s.exec(select(table).where(table.user_id == user_id).order_by(col(order), col(table.id))))


def _change(c: RgLimitChange) -> dict[str, Any]:
    return {
        "limit": f"{c.kind}_{c.period}",
        "currency": c.currency,
        "from_minor": c.old_amount,
        "to_minor": c.new_amount,
        "status": c.status,
        "set_by": c.source,
        "requested_at": _iso(c.requested_at),
        "effective_at": _iso(c.effective_at),
        "confirmed_at": _iso(c.confirmed_at),
        "expires_at": _iso(c.expires_at),
        "reason": c.reason,
    }


def _block(b: RgExclusion) -> dict[str, Any]:
    return {
        "kind": b.kind,
        "set_by": b.source,
        "starts_at": _iso(b.starts_at),
        "ends_at": _iso(b.ends_at),
        "reason": b.reason,
    }


def _reality(r: RgRealityCheck) -> dict[str, Any]:
    return {
        "due_at": _iso(r.due_at),
        "acknowledged_at": _iso(r.acknowledged_at),
        "played_seconds": r.played_seconds,
        "net_minor": r.net,
        "currency": r.currency,
        "choice": r.choice,
    }


def _case(c: RgCase) -> dict[str, Any]:
    return {
        "currency": c.currency,
        "status": c.status,
        "markers": json.loads(c.markers or "[]"),
        "opened_at": _iso(c.opened_at),
        "outcome": c.outcome,
        "decision": c.decision_reason,
        "decided_at": _iso(c.decided_at),
        "appeal": c.appeal,
        "appealed_at": _iso(c.appealed_at),
    }


def inbox(s: Session, user_id: int) -> list[dict[str, Any]]:
    """The export's "inbox" section: every notice the player was sent, oldest first."""
    return [
        {
            "kind": n.kind,
            "details": json.loads(n.params or "{}"),
            "sent_at": _iso(n.created_at),
            "read_at": _iso(n.read_at),
        }
        for n in _rows(s, Notification, user_id, Notification.created_at)
    ]
