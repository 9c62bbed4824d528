"""Periodic security checks and the operator alerts they raise.

`run_checks` verifies the audit chain, signs finished days' heads and checks whether key
rotation is due; each problem keeps one open `SecurityAlert` per kind (raised once, refreshed
while it lasts, resolved when it clears). The operator dashboard lists the open ones.
The checks run as `ops.security.manage` (the job acts as `Actor.system("security")`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from casino_app.domain.compliance.audit_chain import ChainReport
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import SecurityAlert
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.security import audit, key_management

AUDIT_CHAIN = "audit_chain"
KEY_ROTATION = "key_rotation_due"


@dataclass(frozen=True)
class AlertView:
    kind: str
    severity: str
    message: str
    raised_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class CheckReport:
    audit_ok: bool
    audit_checked: int
    audit_finding: str
    heads_signed: int
    rotation_due: bool
    key_age_days: int
    head: tuple[int, str]  # the last verified record (seq, hash): where the next pass may start


def raise_alert(session: Session, kind: str, severity: str, message: str, now: datetime) -> bool:
    """Open (or refresh) the alert of `kind`; True when it is new."""
    alert = session.exec(
        select(SecurityAlert).where(SecurityAlert.kind == kind, col(SecurityAlert.resolved_at).is_(None))
    ).first()
    if alert is not None:
        alert.message, alert.severity, alert.last_seen_at = message[:500], severity, now
        session.add(alert)
        return False
    session.add(
        SecurityAlert(kind=kind, severity=severity, message=message[:500], raised_at=now, last_seen_at=now)
    )
    return True


def resolve_alert(session: Session, kind: str, now: datetime) -> bool:
    """Close the open alert of `kind`; True when there was one."""
    alert = session.exec(
        select(SecurityAlert).where(SecurityAlert.kind == kind, col(SecurityAlert.resolved_at).is_(None))
    ).first()
    if alert is None:
        return False
    alert.resolved_at = now
    session.add(alert)
    return True


def _open_alerts(uow: UnitOfWork) -> list[AlertView]:
    """Open alerts, critical first, newest first."""
    with uow.reader() as reader:
        rows = reader.session.exec(
            select(SecurityAlert)
            .where(col(SecurityAlert.resolved_at).is_(None))
            .order_by(col(SecurityAlert.raised_at).desc())
        ).all()
    views = [AlertView(a.kind, a.severity, a.message, a.raised_at, a.last_seen_at) for a in rows]
    return sorted(views, key=lambda a: a.severity != "critical")


@authz.guard("ops.security.manage")
def run_checks(
    uow: UnitOfWork, actor: Actor, now: datetime, *, after: tuple[int, str] | None = None
) -> CheckReport:
    """Verify the audit chain, sign finished days, check key age; raise or resolve alerts.

    Args:
        after: a (seq, hash) checkpoint from an earlier pass: verify only what follows it.
    """
    with uow.reader() as reader:
        chain = audit.verify(reader.session, after=after)
    signed: list[audit.SignedHead] = []
    with uow:
        if chain.ok:
            signed = audit.sign_daily_heads(uow.session, now, uow.context.keys)
        _chain_alert(uow.session, actor, chain, now)
        uow.commit()
    key_status = key_management.key_status(uow, now)
    with uow:
        _rotation_alert(uow.session, key_status, now)
        uow.commit()
    finding = chain.finding.message if chain.finding else ""
    return CheckReport(
        chain.ok,
        chain.checked,
        finding,
        len(signed),
        key_status.rotation_due,
        key_status.age_days,
        (chain.head_seq, chain.head_hash),
    )


def _chain_alert(session: Session, actor: Actor, chain: ChainReport, now: datetime) -> None:
    if chain.ok:
        if resolve_alert(session, AUDIT_CHAIN, now):
            audit.record(
                session,
                actor=actor.audit_name,
                action="audit.chain_ok",
                subject="audit_log",
                details={},
                now=now,
            )
        return
    assert chain.finding is not None
    message = f"Audit chain broken: {chain.finding.message}. Details: python -m casino_app audit verify"
    if raise_alert(session, AUDIT_CHAIN, "critical", message, now):
        audit.record(
            session,
            actor=actor.audit_name,
            action="audit.chain_broken",
            subject=f"audit:{chain.finding.seq}",
            details={"kind": chain.finding.kind, "message": chain.finding.message},
            now=now,
        )


def _rotation_alert(session: Session, status: key_management.KeyStatus, now: datetime) -> None:
    if not status.rotation_due:
        resolve_alert(session, KEY_ROTATION, now)
        return
    message = (
        f"Key rotation due: key version {status.current_version} is {status.age_days} days old "
        f"(rotate every {key_management.ROTATION_DUE_DAYS}). Run: python -m casino_app keys rotate"
    )
    raise_alert(session, KEY_ROTATION, "warning", message, now)


@authz.guard("ops.dashboard.view")
def alerts_for(uow: UnitOfWork, actor: Actor) -> list[AlertView]:
    """Open alerts for the operator dashboard.

    Raises:
        PermissionDenied: the actor may not view the dashboard (audited).
    """
    return _open_alerts(uow)
