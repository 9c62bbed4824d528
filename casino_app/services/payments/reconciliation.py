"""Reconciliation of each provider's transactions with the ledger, and the operators' queue.

A run asks one provider for its transactions over a settled window (the newest minutes are left
to webhooks and status polling), reads the ledger's movements through that provider's clearing
account (deposits credited, payouts paid), and compares them order by order
(`domain/payments/reconciliation.compare`). Every difference is an item with both sides as
evidence; found again by a later run it is the same item (its `last_seen_at` moves). Operators
resolve items with a note, audited.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.domain.errors import InvalidInput, NotFound
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.vocabulary import AccountKind, TransactionKind
from casino_app.domain.payments.errors import ProviderError
from casino_app.domain.payments.reconciliation import (
    ITEM_TRANSITIONS,
    ItemStatus,
    LedgerMovement,
    Mismatch,
    compare,
)
from casino_app.domain.payments.vocabulary import PaymentDirection
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.tables import Account, LedgerEntry, LedgerTransaction
from casino_app.persistence.tables.payouts import ReconciliationItem, ReconciliationRun
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line
from casino_app.services.security import audit

MARGIN = timedelta(minutes=10)  # each side is read this much wider than the judged window
_DIRECTIONS = {
    TransactionKind.DEPOSIT: PaymentDirection.DEPOSIT,
    TransactionKind.WITHDRAWAL_PAID: PaymentDirection.PAYOUT,
}


@dataclass(frozen=True)
class RunView:
    id: int
    provider: str
    window_start: datetime
    window_end: datetime
    reported: int
    booked: int
    mismatches: int
    error: str
    ran_at: datetime


@dataclass(frozen=True)
class ItemView:
    id: int
    provider: str
    direction: str
    order_id: str
    provider_reference: str
    kind: str
    status: str
    summary: str  # one line for the queue: both sides' amounts
    evidence: str  # the JSON evidence, pretty-printed
    detected_at: datetime
    last_seen_at: datetime
    resolved_by: str
    resolution: str


@authz.guard("system.jobs")
def reconcile(
    uow: UnitOfWork, actor: Actor, provider: str, now: datetime, *, since: datetime | None = None
) -> RunView:
    """Compare `provider` with the ledger over the settled window ending now - settle time.

    Raises:
        NotFound: no such provider in the wiring.
    """
    cfg = uow.context.settings.payouts
    until = now - timedelta(seconds=cfg.reconciliation_settle_seconds)
    since = since or until - timedelta(seconds=cfg.reconciliation_window_seconds)
    source = uow.context.payments.get(provider)
    try:
        reported = list(source.transactions(since - MARGIN, until + MARGIN))
    except ProviderError as err:
        return _record(uow, provider, (since, until), [], [], [], now, error=str(err))
    with uow.reader() as r:
        booked = movements(
            r.session, provider, since - MARGIN, until + MARGIN, [t.order_id for t in reported]
        )
    found = compare(provider, reported, booked, (since, until))
    return _record(uow, provider, (since, until), reported, booked, found, now)


def movements(
    s: Session, provider: str, since: datetime, until: datetime, order_ids: Sequence[str] = ()
) -> list[LedgerMovement]:
    """Deposits credited from and payouts paid to `provider`'s clearing accounts, in the window
    or for the given orders (wherever their postings fall in time)."""
    clearing = col(Account.code).startswith(
        f"{AccountKind.PROVIDER_CLEARING.value}:{provider}:", autoescape=True
    )
    in_time = sa.and_(col(LedgerTransaction.created_at) >= since, col(LedgerTransaction.created_at) < until)
    ids = [o for o in dict.fromkeys(order_ids) if o]
    wanted = sa.or_(in_time, col(LedgerTransaction.reference).in_(ids)) if ids else in_time
    rows = s.exec(
        select(LedgerTransaction, LedgerEntry)
        .join(LedgerEntry, col(LedgerEntry.transaction_id) == LedgerTransaction.id)
        .join(Account, col(Account.id) == LedgerEntry.account_id)
        .where(clearing, col(LedgerTransaction.kind).in_(list(_DIRECTIONS)), wanted)
    ).all()
    return [
        LedgerMovement(
            _DIRECTIONS[TransactionKind(t.kind)],
            t.reference,
            provider,
            abs(e.amount),
            e.currency,
            t.id or 0,
            t.created_at,
        )
        for t, e in rows
    ]


@retry_transient
def _record(
    uow: UnitOfWork,
    provider: str,
    window: tuple[datetime, datetime],
    reported: Sequence[object],
    booked: Sequence[LedgerMovement],
    found: Sequence[Mismatch],
    now: datetime,
    *,
    error: str = "",
) -> RunView:
    since, until = window
    with uow:
        s = uow.session
        run = ReconciliationRun(
            provider=provider,
            window_start=since,
            window_end=until,
            reported=len(reported),
            booked=len(booked),
            mismatches=len(found),
            error=error[:255],
            ran_at=now,
        )
        s.add(run)
        s.flush()
        for mismatch in found:
            _file(s, run.id or 0, mismatch, now)
        uow.commit()
        return _run_view(run)


def _file(s: Session, run_id: int, m: Mismatch, now: datetime) -> None:
    """One queue item per (provider, direction, order, kind): a known one is only seen again."""
    direction = str(m.evidence.get("direction", ""))
    known = s.exec(
        select(ReconciliationItem).where(
            ReconciliationItem.provider == m.provider,
            ReconciliationItem.direction == direction,
            ReconciliationItem.order_id == m.order_id,
            ReconciliationItem.kind == m.kind,
        )
    ).first()
    if known is not None:
        known.last_seen_at = now
        known.evidence = json.dumps(m.evidence, sort_keys=True)
        s.add(known)
        return
    s.add(
        ReconciliationItem(
            run_id=run_id,
            provider=m.provider,
            direction=direction,
            order_id=m.order_id[:64],
            provider_reference=m.provider_reference[:128],
            kind=m.kind,
            status=ItemStatus.OPEN,
            evidence=json.dumps(m.evidence, sort_keys=True),
            detected_at=now,
            last_seen_at=now,
        )
    )


@authz.guard("ops.reconciliation.review")
def open_items(uow: UnitOfWork, actor: Actor, limit: int = 200) -> list[ItemView]:
    """The queue: unresolved differences, oldest first."""
    with uow.reader() as r:
        rows = r.session.exec(
            select(ReconciliationItem)
            .where(ReconciliationItem.status == ItemStatus.OPEN)
            .order_by(col(ReconciliationItem.id))
            .limit(limit)
        ).all()
        return [_item_view(i) for i in rows]


@authz.guard("ops.reconciliation.review")
def recent_runs(uow: UnitOfWork, actor: Actor, limit: int = 20) -> list[RunView]:
    """The latest runs of every provider, newest first."""
    with uow.reader() as r:
        rows = r.session.exec(
            select(ReconciliationRun).order_by(col(ReconciliationRun.id).desc()).limit(limit)
        ).all()
        return [_run_view(run) for run in rows]


@authz.guard("ops.reconciliation.review")
@retry_transient
def resolve_item(uow: UnitOfWork, actor: Actor, item_id: int, note: str, now: datetime) -> ItemView:
    """Close an item with what was done about it (refunded, credited by hand, provider corrected).

    Raises:
        InvalidInput: no note (the resolution is the audit trail's reason).
        NotFound: no such item.
        InvalidTransition: resolved before.
    """
    note = (note or "").strip()[:255]
    if not note:
        raise InvalidInput("Say what was done about this difference.")
    with uow:
        s = uow.session
        item = s.get(ReconciliationItem, item_id)
        if item is None:
            raise NotFound("Unknown reconciliation item.")
        ITEM_TRANSITIONS.check(ItemStatus(item.status), ItemStatus.RESOLVED)
        claimed = s.execute(
            sa.update(ReconciliationItem)
            .where(col(ReconciliationItem.id) == item_id, col(ReconciliationItem.status) == ItemStatus.OPEN)
            .values(
                status=ItemStatus.RESOLVED, resolved_by=actor.audit_name, resolution=note, resolved_at=now
            )
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            ITEM_TRANSITIONS.check(ItemStatus.RESOLVED, ItemStatus.RESOLVED)  # raises: resolved meanwhile
        audit.record(
            s,
            actor=actor.audit_name,
            action="reconciliation.resolved",
            subject=f"reconciliation:{item_id}",
            details={"before": ItemStatus.OPEN.value, "after": ItemStatus.RESOLVED.value, "reason": note},
            now=now,
        )
        uow.commit()
        s.refresh(item)
        return _item_view(item)


def _run_view(run: ReconciliationRun) -> RunView:
    return RunView(
        run.id or 0,
        run.provider,
        run.window_start,
        run.window_end,
        run.reported,
        run.booked,
        run.mismatches,
        run.error,
        run.ran_at,
    )


def _item_view(item: ReconciliationItem) -> ItemView:
    evidence = json.loads(item.evidence or "{}")
    return ItemView(
        item.id or 0,
        item.provider,
        item.direction,
        item.order_id,
        item.provider_reference,
        item.kind,
        item.status,
        _summary(evidence),
        json.dumps(evidence, indent=2, sort_keys=True),
        item.detected_at,
        item.last_seen_at,
        item.resolved_by,
        item.resolution,
    )


def _summary(evidence: dict[str, object]) -> str:
    def side(entries: object) -> str:
        lines = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
        return (
            ", ".join(money_line(int(e["amount_minor"]), str(e["currency"])).text for e in lines) or "nothing"
        )

    return f"provider: {side(evidence.get('provider'))}; ledger: {side(evidence.get('ledger'))}"
