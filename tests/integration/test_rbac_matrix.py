"""The RBAC matrix, proven end to end: every guarded Reflex handler and every v1 API route,
called as every role, is denied (and the denial audited) exactly when the matrix says so.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from datetime import datetime

import pytest
import reflex as rx
from fastapi.testclient import TestClient

import casino_app.casino_app  # noqa: F401  (registers every page and state)
from casino_app.adapters.clock import FixedClock, clock
from casino_app.api.app import create_api
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.identity import sessions, signin
from casino_app.services.identity.sessions import ClientInfo
from casino_app.ui.state.guard import GUARDED
from casino_app.ui.state.session import SessionState
from tests.support import PASSWORD, count_rows, registration

ROLES = sorted(authz.ROLES)
OPERATOR_STATE_MODULES = ("casino_app.ui.state.operator", "casino_app.ui.state.ops_")


def _all_states(cls: type[rx.State] = rx.State) -> Iterator[type[rx.State]]:
    for sub in sorted(cls.get_substates(), key=lambda c: c.__name__):
        yield sub
        yield from _all_states(sub)


def _own_handlers(state: type[rx.State]) -> dict[str, object]:
    return {
        name: handler
        for name, handler in state.event_handlers.items()
        if getattr(handler.fn, "__module__", "").startswith("casino_app.")
    }


def _guarded_handlers() -> list[tuple[type[rx.State], str, str]]:
    found = []
    for state in _all_states():
        for name, handler in _own_handlers(state).items():
            permission = getattr(handler.fn, "permission", None)  # type: ignore[attr-defined]
            if permission:
                found.append((state, name, permission))
    return sorted(found, key=lambda item: (item[0].__name__, item[1]))


HANDLERS = _guarded_handlers()


@pytest.fixture
def on_test_db(db: Database, monkeypatch: pytest.MonkeyPatch, now: datetime) -> Iterator[Database]:
    """Point `UnitOfWork()` (what handlers and routes use) at the test database, at the test time."""
    monkeypatch.setattr("casino_app.persistence.uow.get_database", lambda url=None: db)
    clock.use(FixedClock(now))
    yield db
    clock.reset()


def _user_of(uow: UnitOfWork, role: str, now: datetime) -> int:
    email = f"{role}@rbac.example"
    if role == "player":
        return signin.register_player(uow, registration(email), now).id
    return signin.create_operator(uow, email, PASSWORD, role, now).id


def _browser_session(uow: UnitOfWork, user_id: int, now: datetime) -> tuple[str, int]:
    with uow:
        token, session_id = sessions.open_browser_session(uow.session, user_id, ClientInfo("192.0.2.10"), now)
        uow.commit()
    return token, session_id


def _dummy_args(fn: object) -> list[object]:
    params = list(inspect.signature(fn).parameters.values())[1:]  # type: ignore[arg-type]
    return [{} if "form" in p.name else "1" for p in params]


def test_every_operator_handler_declares_its_permission() -> None:
    unguarded = [
        f"{state.__name__}.{name}"
        for state in _all_states()
        if state.__module__.startswith(OPERATOR_STATE_MODULES)
        for name, handler in _own_handlers(state).items()
        if not getattr(handler.fn, "permission", None)  # type: ignore[attr-defined]
    ]
    assert unguarded == []
    assert {p for _, _, p in HANDLERS} >= {"ops.dashboard.view", "ops.draws.run_now", "ops.operators.manage"}
    assert len(GUARDED) >= len(HANDLERS)


def test_every_declared_permission_exists_and_roles_stay_apart() -> None:
    assert {p for _, _, p in HANDLERS} <= set(authz.PERMISSIONS)
    for permission, holders in authz.PERMISSIONS.items():
        assert holders <= authz.ROLES, permission
        if permission.startswith("ops."):
            assert "player" not in holders, permission
        if permission.startswith("player."):
            assert holders == {"player"}, permission


@pytest.mark.parametrize(
    ("state", "name", "permission"), HANDLERS, ids=[f"{s.__name__}.{n}" for s, n, _ in HANDLERS]
)
def test_each_guarded_handler_grants_and_denies_by_the_matrix(
    on_test_db: Database, now: datetime, state: type[rx.State], name: str, permission: str
) -> None:
    outcomes = asyncio.run(_outcomes(on_test_db, now, state, name, permission))
    expected = {r: "granted" if authz.allowed(r, permission) else "denied" for r in ROLES}
    assert outcomes == {**expected, "anonymous": "denied"}


async def _outcomes(
    on_test_db: Database, now: datetime, state: type[rx.State], name: str, permission: str
) -> dict[str, str]:
    uow = UnitOfWork(on_test_db)
    handler = state.event_handlers[name]
    outcomes: dict[str, str] = {}
    for role in [*ROLES, "anonymous"]:
        root = rx.State(_reflex_internal_init=True)
        session = await root.get_state(SessionState)
        if role != "anonymous":
            user_id = _user_of(uow, role, now)
            token, session_id = _browser_session(uow, user_id, now)
            session._user_id, session._role = user_id, role
            session._session_token, session._session_id = token, session_id
        target = await root.get_state(state)
        denials_before = count_rows(on_test_db, "audit_log", "action = 'authz.denied'")
        try:
            await handler.fn(target, *_dummy_args(handler.fn))
        except Exception as err:  # the body ran with dummy arguments: that is a grant
            assert "permission" not in str(err).lower(), err
        denied = count_rows(on_test_db, "audit_log", "action = 'authz.denied'") > denials_before
        outcomes[role] = "denied" if denied else "granted"
    return outcomes


def _v1_routes() -> list[tuple[str, str, str]]:
    """(method, path, declared permission) of every v1 operation, from the OpenAPI schema."""
    paths = create_api().openapi()["paths"]
    return sorted(
        (method.upper(), path, str(operation.get("x-permission", "")))
        for path, operations in paths.items()
        if path.startswith("/api/v1/")
        for method, operation in operations.items()
    )


def test_every_v1_route_declares_a_permission() -> None:
    routes = _v1_routes()
    assert routes, "no v1 routes found"
    undeclared = [f"{m} {p}" for m, p, permission in routes if not permission]
    assert undeclared == []
    assert all(p in authz.PERMISSIONS or p in ("public", "authenticated") for _, _, p in routes)


GUARDED_ROUTES = [r for r in _v1_routes() if r[2] in authz.PERMISSIONS]


@pytest.mark.parametrize(
    ("method", "path", "permission"), GUARDED_ROUTES, ids=[f"{m} {p}" for m, p, _ in GUARDED_ROUTES]
)
def test_each_v1_route_grants_and_denies_by_the_matrix(
    on_test_db: Database, now: datetime, method: str, path: str, permission: str
) -> None:
    uow = UnitOfWork(on_test_db)
    url = path.replace("{session_id}", "999999")
    with TestClient(create_api()) as client:
        anonymous = client.request(method, url)
        assert anonymous.status_code == 401
        for role in ROLES:
            user_id = _user_of(uow, role, now)
            with uow:
                pair = sessions.open_api_session(uow.session, user_id, ClientInfo("192.0.2.10"), now)
                uow.commit()
            denials_before = count_rows(on_test_db, "audit_log", "action = 'authz.denied'")
            response = client.request(method, url, headers={"Authorization": f"Bearer {pair.access_token}"})
            denied = response.status_code == 403 and response.json()["code"] == "permission_denied"
            assert denied == (not authz.allowed(role, permission)), (
                role,
                response.status_code,
                response.text,
            )
            audited = count_rows(on_test_db, "audit_log", "action = 'authz.denied'") > denials_before
            assert audited == denied, role
