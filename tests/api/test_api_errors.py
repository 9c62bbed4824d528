"""Framework errors on the API: problem+json with their own status, bounded ids, 405 with Allow,
and a self-contained reference page at /api/docs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette

from casino_app.api.app import create_api
from casino_app.bootstrap import Wiring
from casino_app.services.identity.accounts import registration
from casino_app.services.identity.sessions import signin
from tests.support import PASSWORD
from tests.support import registration as player_form

PROBLEM = "application/problem+json"


@pytest.fixture
def api(wiring: Wiring) -> Iterator[TestClient]:
    with TestClient(create_api(wiring), raise_server_exceptions=False) as client:
        yield client


def _json_routes(api: TestClient) -> list[str]:
    paths = api.get("/api/openapi.json").json()["paths"]
    return [path for path, ops in paths.items() if "requestBody" in ops.get("post", {})]


def test_a_body_that_is_not_utf8_is_a_400_problem_on_every_json_route(api: TestClient) -> None:
    routes = _json_routes(api)
    assert len(routes) >= 5
    for path in routes:
        response = api.post(
            path, content=b'{"email": "\xff\xfe"}', headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400, (path, response.text)
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["code"] == "bad_request"


def test_malformed_json_is_a_422_problem(api: TestClient) -> None:
    response = api.post("/api/v1/auth/login", content=b"{", headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("session_id", [2**63, 2**64 + 1, 0, -1])
def test_an_id_outside_the_stored_range_is_refused_as_422_not_500(
    api: TestClient, wiring: Wiring, now: datetime, session_id: int
) -> None:
    registration.register_player(wiring.uow(), player_form("ids@example.com"), now)
    proof = signin.verify_password(wiring.uow(), "ids@example.com", PASSWORD, now)
    token = signin.sign_in_api(wiring.uow(), proof, now).access_token
    response = api.delete(f"/api/v1/me/sessions/{session_id}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM


def test_a_wrong_method_is_405_problem_with_allow(wiring: Wiring) -> None:
    app = create_api(wiring)
    app.mount("", Starlette())  # as Reflex mounts the pages behind the API
    api = TestClient(app)
    response = api.get("/api/v1/auth/login")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["allow"] == "POST"
    assert response.json()["code"] == "method_not_allowed"
    assert api.put("/api/health").headers["allow"] == "GET"
    assert api.get("/api/v1/me/sessions/1").headers["allow"] == "DELETE"


def test_an_unknown_api_path_is_a_404_problem(api: TestClient) -> None:
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.headers["content-type"] == PROBLEM


def test_every_operation_documents_its_problem_answers(api: TestClient) -> None:
    schema = api.get("/api/openapi.json").json()
    assert "Problem" in schema["components"]["schemas"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"413", "500"} <= set(responses), f"{method} {path}"
            for status, answer in responses.items():
                if status.startswith(("4", "5")) and status != "503":
                    assert list(answer["content"]) == [PROBLEM], f"{method} {path} {status}"


def test_the_docs_page_needs_nothing_from_another_origin(api: TestClient) -> None:
    page = api.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text)
    assert "<script>" not in page.text  # no inline script: nothing for the CSP to refuse
    script = api.get("/api/docs/docs.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "innerHTML" not in script.text
    assert api.get("/api/docs/docs.css").status_code == 200
