"""The risk team's RG cases: assign, note, decide with a reason; the player reads and appeals.

A case's trail (`rg_case_events`) is append-only (the database refuses updates and deletes).
Decisions stay with people: an outcome is recorded with the reason the player is shown; an
action it names (limits, a time-out, an exclusion) is taken with `rg.limits.impose_limit` or
`rg.exclusion.impose_*`. Every step is audited and emitted (`rg.case_assigned` ...).
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session, col, select

from casino_app.domain.compliance.vocabulary import (
    CASE_TRANSITIONS,
    OUTCOME_LABELS,
    CaseEventKind,
    CaseOutcome,
    CaseStatus,
)
from casino_app.domain.errors import InvalidInput, NotFound
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import RgCase, RgCaseEvent, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.compliance.rg import state
from casino_app.services.compliance.rg.dto import CaseEventLine, CaseView, MarkerLine, PlayerDecision

MAX_TEXT = 4_000
DECIDERS = authz.PERMISSIONS["ops.rg.manage"]


def _text(value: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"Write the {what}.")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"Keep the {what} under {MAX_TEXT} characters.")
    return text


def _case(s: Session, case_id: int) -> RgCase:
    case = s.get(RgCase, case_id, with_for_update=s.get_bind().dialect.name == "postgresql")
    if case is None:
        raise NotFound("No such case.")
    return case


def _step(uow: UnitOfWork, actor: Actor, case: RgCase, kind: CaseEventKind, text: str, now: datetime) -> None:
    """Append to the trail, audit and emit `rg.case_<kind>` (all in the caller's transaction)."""
    assert case.id is not None
    case.updated_at = now
    uow.session.add(case)
    uow.session.add(RgCaseEvent(case_id=case.id, at=now, actor=actor.audit_name[:64], kind=kind, text=text))
    details = {
        "case_id": case.id,
        "status": case.status,
        **({"outcome": case.outcome} if case.outcome else {}),
    }
    state.record(uow, actor, f"rg.case_{kind.value}", case.user_id, details, now)
    state.emit(uow, f"rg.case_{kind.value}", case.user_id, details)


def _move(case: RgCase, target: CaseStatus) -> None:
    current = CaseStatus(case.status)
    if current != target:
        case.status = CASE_TRANSITIONS.check(current, target)


@authz.guard("ops.rg.manage")
def assign_case(uow: UnitOfWork, actor: Actor, case_id: int, assignee_id: int, now: datetime) -> CaseView:
    """Give a case to a risk officer (open or appealed cases move into review).

    Raises:
        NotFound: no such case. InvalidInput: the assignee cannot decide RG cases, or it is decided.
    """
    with uow:
        s = uow.session
        case = _case(s, case_id)
        assignee = s.get(User, assignee_id)
        if assignee is None or assignee.role not in DECIDERS:
            raise InvalidInput("Assign the case to a risk and compliance officer or an administrator.")
        if case.status == CaseStatus.DECIDED:
            raise InvalidInput("This case is decided; it reopens when the player appeals.")
        _move(case, CaseStatus.IN_REVIEW)
        case.assigned_to = assignee_id
        _step(uow, actor, case, CaseEventKind.ASSIGNED, f"Assigned to operator:{assignee_id}.", now)
        uow.commit()
        return case_view_of(s, case)


@authz.guard("ops.rg.manage")
def note_case(uow: UnitOfWork, actor: Actor, case_id: int, text: str, now: datetime) -> CaseView:
    """Add a note to a case's trail (kept for good).

    Raises:
        NotFound: no such case. InvalidInput: an empty or too long note.
    """
    note = _text(text, "note")
    with uow:
        case = _case(uow.session, case_id)
        _step(uow, actor, case, CaseEventKind.NOTE, note, now)
        uow.commit()
        return case_view_of(uow.session, case)


@authz.guard("ops.rg.manage")
def decide_case(
    uow: UnitOfWork, actor: Actor, case_id: int, outcome: str, reason: str, now: datetime
) -> CaseView:
    """Decide a case with an outcome and the reason the player is shown (they may appeal).

    Raises:
        NotFound: no such case. InvalidInput: an unknown outcome, no reason, or already decided.
    """
    try:
        picked = CaseOutcome(outcome)
    except ValueError:
        raise InvalidInput("Choose an outcome for the case.") from None
    why = _text(reason, "reason for the decision")
    with uow:
        case = _case(uow.session, case_id)
        if case.status == CaseStatus.DECIDED:
            raise InvalidInput("This case is already decided.")
        _move(case, CaseStatus.DECIDED)
        case.outcome, case.decision_reason, case.decided_at = picked, why, now
        _step(uow, actor, case, CaseEventKind.DECIDED, f"{OUTCOME_LABELS[picked]}: {why}", now)
        uow.commit()
        return case_view_of(uow.session, case)


@authz.guard("player.account")
def appeal_decision(uow: UnitOfWork, actor: Actor, case_id: int, text: str, now: datetime) -> PlayerDecision:
    """The player appeals a decision on their own case; the risk team reviews it again.

    Raises:
        NotFound: not the acting player's case. InvalidInput: not decided, or no appeal text.
    """
    player_id = actor.player_id()
    appeal = _text(text, "appeal")
    with uow:
        case = _case(uow.session, case_id)
        if case.user_id != player_id:
            raise NotFound("No such case.")
        if case.status != CaseStatus.DECIDED:
            raise InvalidInput("Only a decision can be appealed.")
        _move(case, CaseStatus.APPEALED)
        case.appeal, case.appealed_at = appeal, now
        _step(uow, actor, case, CaseEventKind.APPEALED, appeal, now)
        uow.commit()
        return decision_of(case)


def _markers(case: RgCase) -> tuple[MarkerLine, ...]:
    return tuple(
        MarkerLine(str(m["code"]), case.currency, int(m["value"]), int(m["threshold"]), str(m["reason"]))
        for m in json.loads(case.markers or "[]")
    )


def case_view_of(s: Session, case: RgCase) -> CaseView:
    """The risk team's view of a case with its whole trail, oldest first."""
    assert case.id is not None
    events = s.exec(
        select(RgCaseEvent).where(RgCaseEvent.case_id == case.id).order_by(col(RgCaseEvent.id))
    ).all()
    return CaseView(
        case.id,
        case.user_id,
        case.currency,
        case.status,
        _markers(case),
        case.opened_at,
        case.assigned_to,
        case.outcome,
        case.decision_reason,
        case.decided_at,
        case.appeal,
        case.appealed_at,
        tuple(CaseEventLine(e.at, e.actor, e.kind, e.text) for e in events),
    )


def decision_of(case: RgCase) -> PlayerDecision:
    """A decided (or appealed) case as its player reads it."""
    assert case.id is not None
    outcome = CaseOutcome(case.outcome) if case.outcome else None
    return PlayerDecision(
        case.id,
        case.currency,
        tuple(m.reason for m in _markers(case)),
        case.outcome or "",
        OUTCOME_LABELS[outcome] if outcome is not None else "",
        case.decision_reason,
        case.decided_at,
        case.appeal,
        case.appealed_at,
        case.status == CaseStatus.DECIDED,
    )


@authz.guard("ops.rg.view")
def get_case(uow: UnitOfWork, actor: Actor, case_id: int) -> CaseView:
    """One case with its trail. Raises `NotFound`."""
    with uow.reader() as r:
        case = r.session.get(RgCase, case_id)
        if case is None:
            raise NotFound("No such case.")
        return case_view_of(r.session, case)


def _status(status: str) -> CaseStatus:
    try:
        return CaseStatus(status)
    except ValueError:
        raise InvalidInput("Choose open, in review, decided or appealed cases.") from None


@authz.guard("ops.rg.view")
def list_cases(uow: UnitOfWork, actor: Actor, status: str = "", limit: int = 100) -> list[CaseView]:
    """Cases newest first, optionally of one status (open, in_review, decided, appealed)."""
    with uow.reader() as r:
        query = select(RgCase).order_by(col(RgCase.id).desc()).limit(max(1, min(limit, 500)))
        if status:
            query = query.where(RgCase.status == _status(status))
        return [case_view_of(r.session, c) for c in r.session.exec(query).all()]


@authz.guard("player.account")
def my_decisions(uow: UnitOfWork, actor: Actor) -> list[PlayerDecision]:
    """The decisions on the acting player's cases, newest first (the player reads and may appeal)."""
    player_id = actor.player_id()
    with uow.reader() as r:
        rows = r.session.exec(
            select(RgCase)
            .where(RgCase.user_id == player_id, col(RgCase.decided_at).is_not(None))
            .order_by(col(RgCase.decided_at).desc())
        ).all()
        return [decision_of(c) for c in rows]
