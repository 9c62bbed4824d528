"""Stored RNG reports: written by the shell (`rng report`), read by the fairness page and operators."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import RngReport
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.games.certification.run import Report
from casino_app.services.security import audit


@dataclass(frozen=True)
class ReportView:
    """A stored report as the pages show it."""

    id: int
    created_at: datetime
    code_version: str
    sequences: int
    bits_per_sequence: int
    mapped_samples: int
    passed: bool
    duration_ms: int
    figures: dict[str, Any]


def code_version() -> str:
    """The git commit of the running code when there is one, else the package version."""
    root = Path(__file__).resolve().parents[4]
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5
        )
        if out.returncode == 0 and out.stdout.strip():
            return f"git:{out.stdout.strip()}"
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return f"version:{metadata.version('casino_app')}"
    except metadata.PackageNotFoundError:
        return "unknown"


def _view(row: RngReport) -> ReportView:
    assert row.id is not None
    return ReportView(
        row.id,
        row.created_at,
        row.code_version,
        row.sequences,
        row.bits_per_sequence,
        row.mapped_samples,
        row.passed,
        row.duration_ms,
        json.loads(row.figures),
    )


@authz.guard("ops.games.manage")
def record_report(uow: UnitOfWork, actor: Actor, report: Report, version: str, now: datetime) -> ReportView:
    """Store one report with its date and code version (audited in the same transaction)."""
    with uow:
        row = RngReport(
            created_at=now,
            code_version=version[:64],
            sequences=report.sequences,
            bits_per_sequence=report.bits,
            mapped_samples=report.mapped_samples,
            passed=report.passed,
            duration_ms=int(report.seconds * 1000),
            figures=json.dumps(report.figures(), sort_keys=True),
        )
        uow.session.add(row)
        uow.session.flush()
        audit.record(
            uow.session,
            actor=actor.audit_name,
            action="rng.report_recorded",
            subject=f"rng_report:{row.id}",
            details={"passed": report.passed, "code_version": row.code_version},
            now=now,
        )
        uow.commit()
        return _view(row)


def latest_report(uow: UnitOfWork) -> ReportView | None:
    """The newest report: public (the fairness page publishes it)."""
    with uow.reader() as r:
        row = r.session.exec(
            select(RngReport).order_by(col(RngReport.created_at).desc(), col(RngReport.id).desc())
        ).first()
        return _view(row) if row is not None else None


@authz.guard("ops.dashboard.view")
def recent_reports(uow: UnitOfWork, actor: Actor, limit: int = 10) -> list[ReportView]:
    """The newest reports for operators."""
    with uow.reader() as r:
        rows = r.session.exec(
            select(RngReport)
            .order_by(col(RngReport.created_at).desc(), col(RngReport.id).desc())
            .limit(int(limit))
        ).all()
        return [_view(row) for row in rows]
