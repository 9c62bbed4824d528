"""RNG certification records and the pre-draw self-test, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from casino_app.domain.errors import PermissionDenied
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games import rng_health
from casino_app.services.games.certification import records, run
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.security import security_checks
from tests.support import count_rows

SYSTEM = Actor.system("rng-test")
SEED = "5a" * 32


def _small_report() -> run.Report:
    return run.run_report(sequences=3, bits=8_192, count=2_000, seed=SEED)


def test_a_report_is_stored_with_its_date_code_version_and_figures(
    db: Database, uow: UnitOfWork, now: datetime
) -> None:
    report = _small_report()
    stored = records.record_report(uow, SYSTEM, report, "git:abc123", now)

    latest = records.latest_report(uow)
    assert latest is not None and latest.id == stored.id
    assert (latest.created_at, latest.code_version, latest.sequences, latest.bits_per_sequence) == (
        now,
        "git:abc123",
        3,
        8_192,
    )
    assert latest.passed == report.passed
    tests = [line["test"] for line in latest.figures["battery"]]
    assert tests[:4] == ["frequency", "block-frequency", "runs", "longest-run"]
    outcomes = {line["outcome"] for line in latest.figures["mapped"]}
    assert {"dice", "roulette", "slot-reel:5", "lotto:lotto649", "lotto:quick535"} <= outcomes
    assert latest.figures["seed"] == SEED
    assert count_rows(db, "audit_log", "action = 'rng.report_recorded'") == 1


def test_the_newest_report_is_the_one_published_and_operators_see_the_history(
    uow: UnitOfWork, now: datetime
) -> None:
    assert records.latest_report(uow) is None
    report = _small_report()
    records.record_report(uow, SYSTEM, report, "v1", now)
    records.record_report(uow, SYSTEM, report, "v2", now + timedelta(days=1))
    latest = records.latest_report(uow)
    assert latest is not None and latest.code_version == "v2"
    history = records.recent_reports(uow, Actor.operator(1, "support"))
    assert [r.code_version for r in history] == ["v2", "v1"]
    with pytest.raises(PermissionDenied):
        records.record_report(uow, Actor.operator(1, "support"), report, "v3", now)


def _due(games: dict[str, Round]) -> tuple[Round, datetime]:
    draw = games["lotto649"]
    assert draw.draw_at is not None
    return draw, draw.draw_at


def _status(uow: UnitOfWork, draw: Round) -> str:
    with uow.reader() as r:
        stored = r.session.get(Round, draw.id)
        assert stored is not None
        return stored.status


def test_a_failing_os_rng_keeps_the_draw_waiting_and_raises_a_critical_alert(
    db: Database, uow: UnitOfWork, games: dict[str, Round], monkeypatch: pytest.MonkeyPatch
) -> None:
    draw, at = _due(games)
    monkeypatch.setattr(rng_health, "os_entropy", lambda n: bytes(n))  # a stuck OS RNG: all zeros
    draws.run_cycle(uow, SYSTEM, at)

    assert _status(uow, draw) == "closed"  # sales stopped, nothing drawn
    alerts = security_checks.alerts_for(uow, SYSTEM)
    assert [(a.kind, a.severity) for a in alerts] == [(rng_health.ALERT, "critical")]
    assert "OS RNG: two reads are equal" in alerts[0].message
    assert count_rows(db, "audit_log", "action = 'rng.self_test_failed'") == 1

    draws.run_cycle(uow, SYSTEM, at + timedelta(seconds=5))  # still broken: still waiting, one alert
    assert _status(uow, draw) == "closed"
    assert count_rows(db, "security_alerts", "resolved_at IS NULL") == 1

    monkeypatch.undo()  # the OS RNG is healthy again: the draw goes ahead, the alert resolves
    draws.run_cycle(uow, SYSTEM, at + timedelta(seconds=10))
    assert _status(uow, draw) in {"drawn", "settled"}
    assert security_checks.alerts_for(uow, SYSTEM) == []


def test_a_failing_stream_self_test_holds_the_draw(
    uow: UnitOfWork, games: dict[str, Round], monkeypatch: pytest.MonkeyPatch
) -> None:
    draw, at = _due(games)
    monkeypatch.setattr(rng_health, "fresh_stream", lambda n: b"\xff" * n)
    assert draws.run_cycle(uow, SYSTEM, at).drawn == 0
    assert _status(uow, draw) == "closed"
    report = rng_health.check_before_draw(uow, SYSTEM, at)
    assert not report.healthy and "stream: frequency" in report.problems


def test_no_self_test_runs_when_no_draw_is_due(
    uow: UnitOfWork, games: dict[str, Round], now: datetime
) -> None:
    assert rng_health.check_before_draw(uow, SYSTEM, now) == rng_health.HealthReport(True, ran=False)
