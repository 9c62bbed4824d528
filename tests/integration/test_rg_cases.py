"""Markers of harm open cases with their reasons; people assign, note and decide; the player
reads the decision and appeals; the trail is append-only; the RG job runs them on a lease.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from casino_app.bootstrap import Wiring
from casino_app.domain.errors import InvalidInput, NotFound
from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.jobs import rg as rg_job
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.compliance.rg.dto import SetLimit
from casino_app.services.compliance.rg.harm import cases, markers
from casino_app.services.compliance.rg.limits import setting as limits
from casino_app.services.dto import UserView
from casino_app.services.games import catalog, engine
from casino_app.services.games.catalog import GameSpec
from casino_app.services.games.engine import rounds, settlement
from casino_app.services.identity.accounts import registration
from tests.support import PASSWORD, count_rows

FLIP = GameSpec("flip", "Coin flip", GameKind.INSTANT, "EUR", {"pays": 2}, 10, 100_00)
JOB = Actor.system("rg-job")


def _lose(uow: UnitOfWork, user_id: int, times: int, now: datetime) -> None:
    game = catalog.ensure_game(uow, Actor.system("test"), FLIP, now)
    for _ in range(times):
        with uow:
            round_id = rounds.open_round_in(uow, game, now)
            request = engine.Stake(game, round_id, 100_00, "heads", f"lose-{round_id}", {})
            placed = engine.place_stake_in(uow, Actor.player(user_id), request, now)
            bet = settlement.placed_bet(request, placed, user_id)
            settlement.settle_in(uow, [(bet, settlement.Outcome())], now)
            rounds.finish_round_in(uow, round_id, "tails", now)
            uow.commit()


def _officer(uow: UnitOfWork, now: datetime) -> Actor:
    created = registration.create_operator(
        uow, Actor.system("test"), "risk@ops.example", PASSWORD, "risk_compliance", now
    )
    return Actor.operator(created.id, "risk_compliance")


def test_a_loss_velocity_marker_opens_one_case_with_its_reason(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    quiet = funded_player(amount_minor=1_000_00)
    loser = funded_player(amount_minor=1_000_00)
    _lose(uow, quiet.id, 1, now)
    _lose(uow, loser.id, 6, now)
    report = markers.evaluate_markers(uow, JOB, now + timedelta(minutes=5))
    assert (report.players, report.cases_opened) == (2, 1)
    (case,) = cases.list_cases(uow, Actor.operator(901, "support"))
    assert (case.user_id, case.currency, case.status) == (loser.id, "EUR", "open")
    (marker,) = [m for m in case.markers if m.code == "loss_velocity"]
    assert marker.value == 600_00 and "Lost €600.00 in the last 24 hours (threshold €500.00)" in marker.reason
    again = markers.evaluate_markers(uow, JOB, now + timedelta(minutes=20))
    assert (again.cases_opened, again.cases_updated) == (0, 0)
    assert count_rows(db, "audit_log", "action = 'rg.case_opened'") == 1


def test_limit_raises_add_a_marker_to_the_open_case(
    uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=1_000_00)
    me = Actor.player(user.id)
    _lose(uow, user.id, 6, now)
    markers.evaluate_markers(uow, JOB, now)
    limits.set_limit(uow, me, SetLimit("loss", "day", 10_00), now)
    limits.set_limit(uow, me, SetLimit("loss", "day", 20_00), now)
    limits.set_limit(uow, me, SetLimit("loss", "day", 30_00), now)  # replaces the first raise
    assert markers.evaluate_markers(uow, JOB, now + timedelta(minutes=1)).cases_updated == 1
    (case,) = cases.list_cases(uow, Actor.operator(901, "support"))
    assert {m.code for m in case.markers} == {"loss_velocity", "limit_raises"}
    assert [e.kind for e in case.trail] == ["opened", "markers"]


def test_people_decide_with_a_reason_and_the_player_reads_it_and_appeals(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=1_000_00)
    _lose(uow, user.id, 6, now)
    markers.evaluate_markers(uow, JOB, now)
    (case,) = cases.list_cases(uow, Actor.operator(901, "support"))
    officer = _officer(uow, now)
    with pytest.raises(InvalidInput):
        cases.assign_case(uow, officer, case.id, 901, now)  # nobody, or not a risk officer
    cases.assign_case(uow, officer, case.id, officer.user_id or 0, now)
    cases.note_case(uow, officer, case.id, "Called the player; they agreed to a limit.", now)
    with pytest.raises(InvalidInput, match="reason"):
        cases.decide_case(uow, officer, case.id, "limits_imposed", "  ", now)
    decided = cases.decide_case(uow, officer, case.id, "limits_imposed", "Losses rose fast in one day.", now)
    assert decided.status == "decided"
    me = Actor.player(user.id)
    (decision,) = cases.my_decisions(uow, me)
    assert (decision.outcome_text, decision.decision_reason, decision.may_appeal) == (
        "Limits set on your account",
        "Losses rose fast in one day.",
        True,
    )
    with pytest.raises(NotFound):
        cases.appeal_decision(uow, Actor.player(user.id + 1000), case.id, "not mine", now)
    appealed = cases.appeal_decision(uow, me, case.id, "I was winning overall that week.", now)
    assert appealed.appeal.startswith("I was winning") and not appealed.may_appeal
    trail = cases.get_case(uow, officer, case.id).trail
    assert [e.kind for e in trail] == ["opened", "assigned", "note", "decided", "appealed"]
    assert count_rows(db, "audit_log", "action LIKE 'rg.case_%'") == 5
    with db.write_engine.begin() as conn, pytest.raises(sa.exc.DBAPIError, match="append-only"):
        conn.execute(sa.text("UPDATE rg_case_events SET text = 'rewritten'"))


def test_the_rg_job_expires_raises_and_evaluates_markers_on_one_lease(
    wiring: Wiring, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=1_000_00)
    me = Actor.player(user.id)
    limits.set_limit(uow, me, SetLimit("deposit", "day", 10_00), now)
    limits.set_limit(uow, me, SetLimit("deposit", "day", 20_00), now)
    later = now + timedelta(days=9)
    first = rg_job.tick(wiring, later, holder="worker-a")
    assert first is not None and first.expired_raises == 1
    assert rg_job.tick(wiring, later + timedelta(seconds=1), holder="worker-b") is None
