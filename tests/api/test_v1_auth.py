"""Mobile API v1: login with 2FA, rotating refresh tokens, problem+json errors, strict bodies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from casino_app.adapters.clock import FixedClock
from casino_app.api.app import create_api
from casino_app.bootstrap import Wiring
from casino_app.domain.identity import totp
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.rules import PRIVACY_VERSION, TERMS_VERSION
from casino_app.persistence.db import Database
from casino_app.services.identity.accounts import registration
from casino_app.services.identity.credentials import mfa
from tests.support import PASSWORD, count_rows
from tests.support import registration as player_form

PROBLEM = "application/problem+json"


@pytest.fixture
def moving_clock(clock: FixedClock) -> FixedClock:
    """The wiring's clock: the routes read the time from it."""
    return clock


@pytest.fixture
def api(wiring: Wiring) -> Iterator[TestClient]:
    """The real API app over the test's wiring (its database and fixed clock)."""
    app: FastAPI = create_api(wiring)
    with TestClient(app) as client:
        yield client


def _login(api: TestClient, email: str, password: str = PASSWORD, code: str = "") -> dict:
    response = api.post("/api/v1/auth/login", json={"email": email, "password": password, "code": code})
    assert response.status_code == 200, response.text
    return response.json()


def _bearer(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def _signup(email: str, password: str = PASSWORD) -> dict:
    return {
        "email": email,
        "password": password,
        "full_name": "Mo Bile",
        "birth_date": "1991-02-03",
        "country": "SE",
        "terms_version": TERMS_VERSION,
        "privacy_version": PRIVACY_VERSION,
    }


def test_register_then_sign_in_and_read_the_account(api: TestClient, db: Database) -> None:
    response = api.post("/api/v1/auth/register", json=_signup("mobile@example.com"))
    assert response.status_code == 202, response.text
    assert "check your email" in response.json()["detail"].lower()
    tokens = _login(api, "mobile@example.com")
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 1800
    me = api.get("/api/v1/me", headers=_bearer(tokens)).json()
    assert (me["email"], me["full_name"], me["country"], me["mfa_enabled"]) == (
        "mobile@example.com",
        "Mo Bile",
        "SE",
        False,
    )


def test_registering_a_taken_email_answers_exactly_like_a_new_one(api: TestClient, db: Database) -> None:
    """No 201-versus-409 oracle (issue 14.4): the same status, body and headers; the owner gets a mail."""
    first = api.post("/api/v1/auth/register", json=_signup("owner@example.com"))
    again = api.post("/api/v1/auth/register", json=_signup("OWNER@example.com", "a-different-pass-77"))
    fresh = api.post("/api/v1/auth/register", json=_signup("fresh@example.com"))
    assert first.status_code == again.status_code == fresh.status_code == 202
    assert first.json() == again.json() == fresh.json()
    assert set(first.headers) == set(again.headers)
    assert count_rows(db, "users") == 2
    assert count_rows(db, "mail_outbox", "kind = 'account_exists'") == 1


def test_bad_input_is_a_problem_with_a_code_and_nothing_is_stored(api: TestClient, db: Database) -> None:
    body = {
        "email": "bad@example.com",
        "password": "short",
        "full_name": "X",
        "birth_date": "1991-02-03",
        "country": "SE",
        "terms_version": TERMS_VERSION,
        "privacy_version": PRIVACY_VERSION,
    }
    weak = api.post("/api/v1/auth/register", json=body)
    assert (weak.status_code, weak.headers["content-type"], weak.json()["code"]) == (
        422,
        PROBLEM,
        "weak_password",
    )
    extra = api.post("/api/v1/auth/register", json={**body, "password": PASSWORD, "is_admin": True})
    assert (extra.status_code, extra.json()["code"]) == (422, "invalid_input")
    huge = api.post("/api/v1/auth/register", json={**body, "password": PASSWORD, "full_name": "x" * 101})
    assert (huge.status_code, huge.json()["code"]) == (422, "invalid_input")
    assert count_rows(db, "users") == 0


def test_login_with_2fa_needs_the_code_and_refuses_a_replay(
    api: TestClient, wiring: Wiring, moving_clock: FixedClock
) -> None:
    user = registration.register_player(wiring.uow(), player_form("twofa@example.com"), moving_clock.now())
    player = Actor.player(user.id)
    enrollment = mfa.begin_enrollment(wiring.uow(), player, moving_clock.now())
    moving_clock.advance(seconds=30)
    code = totp.code_at(enrollment.secret, totp.time_step(moving_clock.now()))
    mfa.confirm_enrollment(wiring.uow(), player, code, moving_clock.now())
    missing = api.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert (missing.status_code, missing.json()["code"]) == (401, "mfa_required")
    replay = api.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD, "code": code})
    assert (replay.status_code, replay.json()["code"]) == (401, "invalid_code")
    moving_clock.advance(seconds=30)
    fresh = totp.code_at(enrollment.secret, totp.time_step(moving_clock.now()))
    assert _login(api, user.email, code=fresh)["access_token"]


def test_wrong_password_and_unknown_email_answer_alike(api: TestClient, register) -> None:
    register("known@example.com")
    answers = [
        api.post("/api/v1/auth/login", json={"email": email, "password": "wrong-password-123"})
        for email in ("known@example.com", "ghost@example.com")
    ]
    assert [(a.status_code, a.json()["code"], a.json()["detail"]) for a in answers] == [
        (401, "invalid_credentials", "Wrong email or password.")
    ] * 2


def test_a_throttled_login_says_when_to_retry(api: TestClient, register) -> None:
    register("quick@example.com")
    api.post("/api/v1/auth/login", json={"email": "quick@example.com", "password": "wrong-password-123"})
    again = api.post(
        "/api/v1/auth/login", json={"email": "quick@example.com", "password": "wrong-password-123"}
    )
    assert (again.status_code, again.json()["code"], again.headers["retry-after"]) == (
        429,
        "too_many_attempts",
        "1",
    )


def test_refresh_rotates_and_reuse_revokes_the_family(
    api: TestClient, register, moving_clock: FixedClock, db: Database
) -> None:
    register("rotate@example.com")
    first = _login(api, "rotate@example.com")
    moving_clock.advance(minutes=1)
    second = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
    assert api.get("/api/v1/me", headers=_bearer(second)).status_code == 200
    reuse = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert (reuse.status_code, reuse.json()["code"]) == (401, "invalid_token")
    assert api.get("/api/v1/me", headers=_bearer(second)).status_code == 401
    gone = api.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert gone.status_code == 401


def test_access_tokens_expire_after_30_minutes(api: TestClient, register, moving_clock: FixedClock) -> None:
    register("expire@example.com")
    tokens = _login(api, "expire@example.com")
    moving_clock.advance(minutes=29)
    assert api.get("/api/v1/me", headers=_bearer(tokens)).status_code == 200
    moving_clock.advance(minutes=1)
    expired = api.get("/api/v1/me", headers=_bearer(tokens))
    assert (expired.status_code, expired.json()["code"]) == (401, "invalid_token")
    assert expired.headers["www-authenticate"].startswith("Bearer")


def test_sessions_are_listed_and_revoked_and_logout_ends_the_family(api: TestClient, register) -> None:
    register("devices@example.com")
    phone, tablet = _login(api, "devices@example.com"), _login(api, "devices@example.com")
    listed = api.get("/api/v1/me/sessions", headers=_bearer(phone)).json()
    assert len(listed) == 2 and sum(s["current"] for s in listed) == 1
    other = next(s["id"] for s in listed if not s["current"])
    assert api.delete(f"/api/v1/me/sessions/{other}", headers=_bearer(phone)).status_code == 204
    assert api.get("/api/v1/me", headers=_bearer(tablet)).status_code == 401
    assert api.post("/api/v1/auth/logout", headers=_bearer(phone)).status_code == 204
    assert api.get("/api/v1/me", headers=_bearer(phone)).status_code == 401


def test_operators_cannot_use_the_mobile_login(api: TestClient, wiring: Wiring, now: datetime) -> None:
    registration.create_operator(
        wiring.uow(),
        Actor.system("test"),
        "ops-mobile@example.com",
        PASSWORD,
        "admin",
        now - timedelta(days=1),
    )
    refused = api.post("/api/v1/auth/login", json={"email": "ops-mobile@example.com", "password": PASSWORD})
    assert refused.status_code in (401, 403)
    assert refused.headers["content-type"] == PROBLEM


def test_password_reset_request_always_answers_202(api: TestClient, register, db: Database) -> None:
    register("reset-me@example.com")
    for email in ("reset-me@example.com", "nobody@example.com"):
        response = api.post("/api/v1/auth/password-reset", json={"email": email})
        assert response.status_code == 202
    assert count_rows(db, "mail_outbox", "kind = 'reset_password'") == 1


def test_the_api_acts_for_the_token_holder_only(api: TestClient, register, db: Database) -> None:
    """Another player's session id in the URL is not found; a denial of the permission is audited."""
    register("alice-api@example.com")
    register("bob-api@example.com")
    alice, bob = _login(api, "alice-api@example.com"), _login(api, "bob-api@example.com")
    bobs = api.get("/api/v1/me/sessions", headers=_bearer(bob)).json()[0]["id"]
    stolen = api.delete(f"/api/v1/me/sessions/{bobs}", headers=_bearer(alice))
    assert (stolen.status_code, stolen.json()["code"]) == (404, "not_found")
    assert api.get("/api/v1/me", headers=_bearer(bob)).status_code == 200
    assert count_rows(db, "audit_log", "action = 'auth.session_revoke'") == 0
