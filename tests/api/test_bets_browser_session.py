"""The bets API from the app's own pages: the session cookie with its Origin and CSRF token.

The bearer path is unchanged; a cookie alone, a wrong token or a foreign Origin is 403
problem+json and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from casino_app.api.app import create_api
from casino_app.bootstrap import Wiring
from casino_app.domain.identity import csrf
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.services.dto import UserView
from casino_app.services.identity.sessions import cookies as cookie_sessions
from tests.support import count_rows
from tests.tabs import browser_cookie

OWN_ORIGIN = "http://localhost:3000"


@pytest.fixture
def api(wiring: Wiring) -> Iterator[TestClient]:
    with TestClient(create_api(wiring)) as client:
        yield client


@pytest.fixture
def cookie(
    wiring: Wiring, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> dict[str, str]:
    token, _ = browser_cookie(wiring, funded_player(amount_minor=50_00).id, now)
    return {"Cookie": f"{cookie_sessions.COOKIE}={token}"}


def _body(draw: Round, **change: Any) -> dict[str, Any]:
    return {"game": "lotto649", "draw": draw.id, "lines": [[1, 2, 3, 4, 5, 6]], "stake": "2.00", **change}


def _csrf(api: TestClient, cookie: dict[str, str]) -> str:
    response = api.get("/api/session/csrf", headers={**cookie, "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 200, response.text
    assert response.json()["header"] == csrf.HEADER
    return str(response.json()["csrf_token"])


def _post(api: TestClient, draw: Round, headers: dict[str, str], key: str = "page-key-0001") -> Any:
    return api.post("/api/v1/bets", json=_body(draw), headers={"Idempotency-Key": key, **headers})


def _nothing_written(db: Database) -> bool:
    """No bet and no stake posting (the player's funding is the only money moved)."""
    stakes = "kind = 'stake'"
    return count_rows(db, "bets") == 0 and count_rows(db, "ledger_transactions", stakes) == 0


def test_the_session_cookie_with_origin_and_csrf_token_buys_a_ticket_and_replays_on_the_same_key(
    api: TestClient, cookie: dict[str, str], games: dict[str, Round], db: Database
) -> None:
    headers = {**cookie, "Origin": OWN_ORIGIN, csrf.HEADER: _csrf(api, cookie)}
    first = _post(api, games["lotto649"], headers)
    again = _post(api, games["lotto649"], headers)
    assert first.status_code == 201, first.text
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert count_rows(db, "bets") == 1


@pytest.mark.parametrize("token", ["", "not-the-token", "x" * 43])
def test_a_missing_or_wrong_csrf_token_is_403_problem_json_and_writes_nothing(
    api: TestClient, cookie: dict[str, str], games: dict[str, Round], db: Database, token: str
) -> None:
    headers = {**cookie, "Origin": OWN_ORIGIN, **({csrf.HEADER: token} if token else {})}
    response = _post(api, games["lotto649"], headers)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "csrf_rejected"
    assert _nothing_written(db)


@pytest.mark.parametrize("origin", ["https://evil.example", "null", ""])
def test_a_foreign_or_missing_origin_is_403_even_with_the_right_token_and_writes_nothing(
    api: TestClient, cookie: dict[str, str], games: dict[str, Round], db: Database, origin: str
) -> None:
    headers = {**cookie, csrf.HEADER: _csrf(api, cookie), **({"Origin": origin} if origin else {})}
    response = _post(api, games["lotto649"], headers)
    assert response.status_code == 403 and response.json()["code"] == "csrf_rejected"
    assert _nothing_written(db)


def test_another_sessions_csrf_token_does_not_fit_this_cookie(
    api: TestClient,
    wiring: Wiring,
    cookie: dict[str, str],
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    db: Database,
    now: datetime,
) -> None:
    other, _ = browser_cookie(wiring, funded_player(amount_minor=10_00).id, now)
    foreign_token = _csrf(api, {"Cookie": f"{cookie_sessions.COOKIE}={other}"})
    response = _post(api, games["lotto649"], {**cookie, "Origin": OWN_ORIGIN, csrf.HEADER: foreign_token})
    assert response.status_code == 403 and response.json()["code"] == "csrf_rejected"
    assert _nothing_written(db)


def test_the_csrf_token_needs_a_live_session_and_a_same_origin_request(
    api: TestClient, cookie: dict[str, str]
) -> None:
    assert api.get("/api/session/csrf").status_code == 401
    cross = api.get("/api/session/csrf", headers={**cookie, "Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403 and cross.json()["code"] == "permission_denied"
    assert _csrf(api, cookie) == _csrf(api, cookie)  # bound to the session, not to the call


def test_the_bearer_path_is_unchanged_and_a_token_alone_is_not_a_credential(
    api: TestClient, cookie: dict[str, str], games: dict[str, Round], db: Database
) -> None:
    token = _csrf(api, cookie)
    no_cookie = _post(api, games["lotto649"], {"Origin": OWN_ORIGIN, csrf.HEADER: token})
    assert no_cookie.status_code == 401 and no_cookie.json()["code"] == "invalid_token"
    bad_bearer = _post(api, games["lotto649"], {**cookie, "Authorization": "Bearer nope"})
    assert bad_bearer.status_code == 401  # a bearer header is checked as a bearer, cookie or not
    assert _nothing_written(db)
