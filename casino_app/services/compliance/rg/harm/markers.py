"""Markers of harm, evaluated by the RG job: each player's activity per currency against the
profile's thresholds; markers that fire open a case for the risk team (or add to the open one).

Nothing is decided here: a case only asks people to look, with the reasons spelled out.
A case decided in the last 30 days is not reopened for the same markers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from casino_app.domain.compliance import markers as rules
from casino_app.domain.compliance.profiles import RgProfile
from casino_app.domain.compliance.vocabulary import CaseEventKind, CaseStatus
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import Role
from casino_app.persistence.tables import RgCase, RgCaseEvent, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.compliance.rg import state
from casino_app.services.compliance.rg.dto import MarkerReport
from casino_app.services.compliance.rg.harm import activity

REOPEN_AFTER = timedelta(days=30)
OPEN_STATUSES = (CaseStatus.OPEN, CaseStatus.IN_REVIEW, CaseStatus.APPEALED)


def encode(found: Sequence[rules.Marker]) -> str:
    """The markers as the case keeps them (JSON, amounts in minor units of the case's currency)."""
    return json.dumps(
        [{"code": m.code, "value": m.value, "threshold": m.threshold, "reason": m.reason} for m in found]
    )


def _codes(markers_json: str) -> set[str]:
    return {str(m["code"]) for m in json.loads(markers_json or "[]")}


def _latest(s: Session, user_id: int, currency: str, statuses: Sequence[str]) -> RgCase | None:
    return s.exec(
        select(RgCase)
        .where(RgCase.user_id == user_id, RgCase.currency == currency, col(RgCase.status).in_(statuses))
        .order_by(col(RgCase.id).desc())
    ).first()


def _trail(s: Session, case: RgCase, actor: Actor, kind: CaseEventKind, text: str, now: datetime) -> None:
    assert case.id is not None
    s.add(RgCaseEvent(case_id=case.id, at=now, actor=actor.audit_name[:64], kind=kind, text=text))


def file_markers(
    uow: UnitOfWork, actor: Actor, user_id: int, currency: str, found: Sequence[rules.Marker], now: datetime
) -> str:
    """Open a case for the markers, or add new ones to the open case: "opened", "updated" or ""."""
    s = uow.session
    reasons = " ".join(m.reason for m in found)
    codes = {m.code.value for m in found}
    case = _latest(s, user_id, currency, OPEN_STATUSES)
    if case is not None:
        known = json.loads(case.markers or "[]")
        new = [m for m in found if m.code.value not in _codes(case.markers)]
        if not new:
            return ""
        case.markers = json.dumps([*known, *json.loads(encode(new))])
        case.updated_at = now
        s.add(case)
        _trail(s, case, actor, CaseEventKind.MARKERS, " ".join(m.reason for m in new), now)
        return "updated"
    decided = _latest(s, user_id, currency, (CaseStatus.DECIDED,))
    recent = decided is not None and decided.decided_at and now - decided.decided_at < REOPEN_AFTER
    if decided is not None and recent and codes <= _codes(decided.markers):
        return ""
    case = RgCase(
        user_id=user_id,
        currency=currency,
        status=CaseStatus.OPEN,
        markers=encode(found),
        opened_at=now,
        updated_at=now,
    )
    s.add(case)
    s.flush()
    _trail(s, case, actor, CaseEventKind.OPENED, reasons, now)
    details = {"case_id": case.id, "currency": currency, "markers": sorted(codes)}
    state.record(uow, actor, "rg.case_opened", user_id, details, now)
    state.emit(uow, "rg.case_opened", user_id, details)
    return "opened"


@authz.guard("system.jobs")
def evaluate_markers(uow: UnitOfWork, actor: Actor, now: datetime) -> MarkerReport:
    """Evaluate every recently active player's markers of harm; open or update their cases."""
    settings = uow.context.settings
    profiles: dict[int, RgProfile] = {}
    with uow.reader() as r:

        def profile_of(user_id: int) -> RgProfile:
            if user_id not in profiles:
                user = r.session.get(User, user_id)
                country = user.country if user is not None and user.role == Role.PLAYER else ""
                profiles[user_id] = state.profile_of(settings, country)
            return profiles[user_id]

        found = activity.activities(r.session, now, lambda user_id: profile_of(user_id).timezone)
    opened = updated = fired = 0
    for item in found:
        markers = rules.evaluate(item, profiles[item.user_id])
        if not markers:
            continue
        fired += len(markers)
        with uow:
            outcome = file_markers(uow, actor, item.user_id, item.currency, markers, now)
            uow.commit()
        opened += outcome == "opened"
        updated += outcome == "updated"
    return MarkerReport(len(found), fired, opened, updated)
