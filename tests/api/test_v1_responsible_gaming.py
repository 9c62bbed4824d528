"""Mobile API v1 and responsible gaming: a refused sign-in is a 403 with its code, and audited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from casino_app.adapters.clock import FixedClock
from casino_app.api.app import create_api
from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.compliance.rg.exclusion import periods as exclusion
from casino_app.services.identity.accounts import registration
from tests.support import PASSWORD, confirm_email, count_rows
from tests.support import registration as player_form


@pytest.fixture
def api(wiring: Wiring) -> Iterator[TestClient]:
    app: FastAPI = create_api(wiring)
    with TestClient(app) as client:
        yield client


def _player(uow: UnitOfWork, now: datetime, email: str) -> int:
    user = registration.register_player(uow, player_form(email), now)
    assert user is not None
    confirm_email(uow, user.id, now)
    return user.id


def _login(api: TestClient, email: str):
    return api.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD, "code": ""})


def test_a_self_excluded_player_signing_in_on_the_api_gets_403_self_excluded_and_an_audit_record(
    api: TestClient, uow: UnitOfWork, db: Database, clock: FixedClock
) -> None:
    player_id = _player(uow, clock.now(), "away@example.com")
    exclusion.self_exclude(uow, Actor.player(player_id), "6m", clock.now())
    sessions_before = count_rows(db, "user_sessions", f"user_id = {player_id}")

    refused = _login(api, "away@example.com")

    assert (refused.status_code, refused.json()["code"]) == (403, "self_excluded")
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert count_rows(db, "user_sessions", f"user_id = {player_id}") == sessions_before
    assert count_rows(db, "audit_log", f"action = 'auth.login_refused' AND subject = 'user:{player_id}'") == 1


def test_a_player_on_a_time_out_gets_403_timed_out_until_it_ends(
    api: TestClient, uow: UnitOfWork, clock: FixedClock
) -> None:
    player_id = _player(uow, clock.now(), "pause@example.com")
    exclusion.take_time_out(uow, Actor.player(player_id), timedelta(hours=24), clock.now())

    assert (
        _login(api, "pause@example.com").status_code,
        _login(api, "pause@example.com").json()["code"],
    ) == (
        403,
        "timed_out",
    )
    clock.advance(hours=24, seconds=1)
    assert _login(api, "pause@example.com").status_code == 200
