"""Mobile API v1 bets: buy a lotto ticket with an Idempotency-Key, list and read one's own tickets."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from casino_app.api.app import create_api
from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.games.instant import specs
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.identity.sessions import api_tokens
from casino_app.services.identity.sessions.server import ClientInfo
from tests.support import count_rows

LINES = [[3, 11, 19, 27, 35, 43], "quick_pick"]


@pytest.fixture
def api(wiring: Wiring) -> Iterator[TestClient]:
    with TestClient(create_api(wiring)) as client:
        yield client


def _bearer(uow: UnitOfWork, user: UserView, now: datetime) -> dict[str, str]:
    with uow:
        pair = api_tokens.open_api_session(uow, user.id, ClientInfo("192.0.2.20"), now)
        uow.commit()
    return {"Authorization": f"Bearer {pair.access_token}"}


def _body(draw: Round, **change: Any) -> dict[str, Any]:
    return {"game": "lotto649", "draw": draw.id, "draws": 2, "lines": LINES, "stake": "2.00", **change}


@pytest.fixture
def player(
    uow: UnitOfWork, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> dict[str, str]:
    return _bearer(uow, funded_player(amount_minor=50_00), now)


def test_a_ticket_bought_with_a_key_is_201_with_its_id_receipt_number_and_receipt(
    api: TestClient, player: dict[str, str], games: dict[str, Round], db: Database
) -> None:
    shown = games["lotto649"]
    response = api.post(
        "/api/v1/bets", json=_body(shown), headers={**player, "Idempotency-Key": "key-00000001"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    receipt = body["receipt"]
    assert body["id"] == body["receipt_number"] == receipt["validation_number"]
    assert receipt["lines"][0] == LINES[0] and len(receipt["lines"][1]) == 6
    assert receipt["stake_per_draw"] == {"amount": "2.00", "currency": "EUR"}
    assert receipt["total_stake"] == {"amount": "4.00", "currency": "EUR"}
    assert receipt["draws"][0]["draw_id"] == shown.id and len(receipt["draws"]) == 2
    assert count_rows(db, "bets") == 2
    assert api.get(f"/api/v1/bets/{body['id']}", headers=player).json() == body


def test_the_same_key_and_body_replay_the_stored_201_and_another_body_is_409(
    api: TestClient, player: dict[str, str], games: dict[str, Round], db: Database
) -> None:
    headers = {**player, "Idempotency-Key": "key-replay-1"}
    first = api.post("/api/v1/bets", json=_body(games["lotto649"]), headers=headers)
    again = api.post("/api/v1/bets", json=_body(games["lotto649"]), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    other = api.post("/api/v1/bets", json=_body(games["lotto649"], stake="4.00"), headers=headers)
    assert (other.status_code, other.json()["code"]) == (409, "idempotency_conflict")
    assert other.headers["content-type"].startswith("application/problem+json")
    assert count_rows(db, "bets") == 2


@pytest.mark.parametrize(
    ("key", "code"),
    [
        (None, "idempotency_key_required"),
        ("short", "invalid_idempotency_key"),
        ("has space 123", "invalid_idempotency_key"),
    ],
    ids=["missing", "too-short", "bad-character"],
)
def test_a_missing_or_malformed_key_is_400_and_writes_nothing(
    api: TestClient, player: dict[str, str], games: dict[str, Round], db: Database, key: str | None, code: str
) -> None:
    headers = player if key is None else {**player, "Idempotency-Key": key}
    response = api.post("/api/v1/bets", json=_body(games["lotto649"]), headers=headers)
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert count_rows(db, "bets") == 0


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"lines": [[1, 2, 3, 4, 5, 50]]}, 422, "invalid_selection"),
        ({"lines": ["quick_pick"] * 11, "stake": "11.00"}, 422, "too_many_lines"),
        ({"draws": 9}, 422, "too_many_draws"),
        ({"stake": "3.00"}, 422, "stake_not_multiple"),
        ({"game": "keno"}, 404, "not_found"),
        ({"colour": "red"}, 422, "invalid_input"),
    ],
    ids=[
        "outside-matrix",
        "eleven-lines",
        "nine-draws",
        "not-price-times-lines",
        "unknown-game",
        "extra-field",
    ],
)
def test_bad_tickets_are_problems_with_their_code(
    api: TestClient,
    player: dict[str, str],
    games: dict[str, Round],
    db: Database,
    change: dict[str, Any],
    status: int,
    code: str,
) -> None:
    body = _body(games["lotto649"], **change)
    response = api.post("/api/v1/bets", json=body, headers={**player, "Idempotency-Key": "key-bad-0001"})
    assert (response.status_code, response.json()["code"]) == (status, code), response.text
    assert count_rows(db, "bets") == 0


def test_a_closed_draw_is_409_draw_closed_naming_the_next_draw(
    api: TestClient,
    player: dict[str, str],
    games: dict[str, Round],
    wiring: Wiring,
    db: Database,
    now: datetime,
) -> None:
    shown = games["lotto649"]
    assert shown.closes_at is not None
    wiring.clock.advance(seconds=(shown.closes_at - now).total_seconds())  # type: ignore[attr-defined]
    draws.schedule(wiring.uow(), shown.closes_at)
    response = api.post(
        "/api/v1/bets", json=_body(shown), headers={**player, "Idempotency-Key": "key-late-001"}
    )
    problem = response.json()
    assert (response.status_code, problem["code"]) == (409, "draw_closed")
    assert problem["next_draw_id"] not in (None, shown.id)
    assert count_rows(db, "bets") == 0


def test_bets_list_pages_newest_first_and_another_players_bet_is_404(
    api: TestClient,
    player: dict[str, str],
    games: dict[str, Round],
    uow: UnitOfWork,
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    ids = []
    for i in range(3):
        body = _body(games["lotto649"], draws=1, lines=[[1, 2, 3, 4, 5, 6 + i]], stake="1.00")
        ids.append(
            api.post("/api/v1/bets", json=body, headers={**player, "Idempotency-Key": f"key-list-{i:04}"})
        )
    ids = [r.json()["id"] for r in ids]
    page = api.get("/api/v1/bets?limit=2", headers=player).json()
    assert (page["total"], page["offset"], page["limit"]) == (3, 0, 2)
    assert {t["id"] for t in page["items"]} | {
        t["id"] for t in api.get("/api/v1/bets?offset=2&limit=2", headers=player).json()["items"]
    } == set(ids)
    stranger = _bearer(uow, funded_player(amount_minor=5_00), now)
    missing = api.get(f"/api/v1/bets/{ids[0]}", headers=stranger)
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert api.get("/api/v1/bets", headers=stranger).json()["total"] == 0


def test_the_same_key_sent_twice_at_once_buys_one_ticket(
    wiring: Wiring, player: dict[str, str], games: dict[str, Round], db: Database
) -> None:
    barrier, answers = threading.Barrier(2), []

    def send() -> None:
        with TestClient(create_api(wiring)) as client:
            barrier.wait()
            headers = {**player, "Idempotency-Key": "key-at-once-1"}
            answers.append(client.post("/api/v1/bets", json=_body(games["lotto649"]), headers=headers))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in answers) == [201, 201], [r.text for r in answers]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert count_rows(db, "bets") == 2  # one ticket of two draws
    assert count_rows(db, "ledger_transactions", "kind = 'stake'") == 2


def test_a_casino_game_is_no_lotto_ticket_and_is_refused_as_such(
    api: TestClient, player: dict[str, str], uow: UnitOfWork, db: Database, now: datetime
) -> None:
    specs.ensure_instant_games(uow, Actor.system("test"), now)
    body = {"game": "dice", "draws": 1, "lines": LINES, "stake": "2.00"}
    response = api.post("/api/v1/bets", json=body, headers={**player, "Idempotency-Key": "key-dice-001"})
    problem = response.json()
    assert (response.status_code, problem["code"]) == (422, "invalid_input"), response.text
    assert "not a lotto game" in problem["detail"]
    assert count_rows(db, "bets") == 0
