"""The RBAC matrix, proven end to end: every guarded service, every guarded Reflex handler and
every v1 API route, called as every role, is denied (and the denial audited) exactly when the
matrix in services/authz.py says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import reflex as rx
from fastapi.testclient import TestClient

import casino_app.casino_app
import casino_app.services
from casino_app.api.app import create_api
from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import SYSTEM, Actor
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.identity.accounts import registration as registration_service
from casino_app.services.identity.sessions import api_tokens
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions.server import ClientInfo
from casino_app.ui import wiring as ui_wiring
from casino_app.ui.state.session.guard import GUARDED
from tests.support import PASSWORD, count_rows, registration
from tests.tabs import signed_in_tab, tab

ROLES = sorted(authz.ROLES)
CALLERS = [*ROLES, SYSTEM, "anonymous"]
OPERATOR_STATE_MODULES = ("casino_app.ui.state.operator.",)
PLAYER_PERMISSIONS = {p for p in authz.PERMISSIONS if p.startswith("player.")}


def _denials(db: Database) -> int:
    return count_rows(db, "audit_log", "action = 'authz.denied'")


# --- services ---------------------------------------------------------------------------------


def _guarded_services() -> list[tuple[str, Callable[..., Any], str]]:
    for info in pkgutil.walk_packages(casino_app.services.__path__, "casino_app.services."):
        importlib.import_module(info.name)
    found = []
    for qualified, permission in sorted(authz.GUARDED_SERVICES.items()):
        module, name = qualified.rsplit(".", 1)
        found.append((qualified, getattr(importlib.import_module(module), name), permission))
    return found


SERVICES = _guarded_services()


def _service_args(fn: Callable[..., Any], now: datetime) -> list[object]:
    params = list(inspect.signature(fn).parameters.values())[2:]
    return [now if p.name == "now" else "1" for p in params if p.default is inspect.Parameter.empty]


def _actor_for(caller: str) -> Actor:
    if caller == "anonymous":
        return Actor.anonymous()
    if caller == SYSTEM:
        return Actor.system("rbac-test")
    return Actor.player(424242) if caller == "player" else Actor.operator(434343, caller)


def test_services_declare_known_permissions_and_cover_every_capability() -> None:
    declared = {p for _, _, p in SERVICES}
    assert declared <= set(authz.PERMISSIONS)
    assert declared >= PLAYER_PERMISSIONS
    assert {"ops.withdrawals.decide", "ops.draws.run_now", "ops.bets.void", "system.jobs"} <= declared
    assert "ops.reconciliation.review" in declared  # the reconciliation queue
    prefs = "casino_app.services.identity.accounts.preferences"
    assert {
        (f"{prefs}.preferences_of", "player.account"),
        (f"{prefs}.update_preferences", "player.account"),
        (f"{prefs}.toggle_favourite", "player.account"),
    } <= {(name, permission) for name, _, permission in SERVICES}  # a player's own preferences


@pytest.mark.parametrize(("name", "fn", "permission"), SERVICES, ids=[s[0] for s in SERVICES])
def test_each_guarded_service_grants_and_denies_by_the_matrix(
    db: Database, uow: UnitOfWork, now: datetime, name: str, fn: Callable[..., Any], permission: str
) -> None:
    outcomes = {}
    for caller in CALLERS:
        before = _denials(db)
        # The body runs with dummy arguments and may fail: that is a grant unless the guard audited a denial.
        with contextlib.suppress(Exception):
            fn(uow, _actor_for(caller), *_service_args(fn, now))
        outcomes[caller] = "denied" if _denials(db) > before else "granted"
    expected = {c: "granted" if authz.allowed(c, permission) else "denied" for c in CALLERS}
    assert outcomes == {**expected, "anonymous": "denied"}


# --- Reflex handlers --------------------------------------------------------------------------


def _all_states(cls: type[rx.State] = rx.State) -> Iterator[type[rx.State]]:
    for sub in sorted(cls.get_substates(), key=lambda c: c.__name__):
        yield sub
        yield from _all_states(sub)


def _own_handlers(state: type[rx.State]) -> dict[str, Any]:
    return {
        name: handler
        for name, handler in state.event_handlers.items()
        if getattr(handler.fn, "__module__", "").startswith("casino_app.")
    }


def _guarded_handlers() -> list[tuple[type[rx.State], str, str]]:
    found = []
    for state in _all_states():
        for name, handler in _own_handlers(state).items():
            permission = getattr(handler.fn, "permission", None)
            if permission:
                found.append((state, name, permission))
    return sorted(found, key=lambda item: (item[0].__name__, item[1]))


HANDLERS = _guarded_handlers()


@pytest.fixture
def installed(wiring: Wiring) -> Iterator[Wiring]:
    """Hand the test's wiring to the Reflex handlers, as the app module does with its own."""
    previous = ui_wiring._wiring
    ui_wiring.install(wiring)
    yield wiring
    ui_wiring._wiring = previous


def _user_of(uow: UnitOfWork, role: str, now: datetime) -> int:
    email = f"{role}@rbac.example"
    if role == "player":
        return registration_service.register_player(uow, registration(email), now).id
    return registration_service.create_operator(uow, Actor.system("rbac"), email, PASSWORD, role, now).id


def _browser_session(uow: UnitOfWork, user_id: int, now: datetime) -> tuple[str, int]:
    with uow:
        token, session_id = sessions.open_browser_session(uow, user_id, ClientInfo("192.0.2.10"), now)
        uow.commit()
    return token, session_id


def _dummy_args(fn: Any) -> list[object]:
    params = list(inspect.signature(fn).parameters.values())[1:]
    return [{} if "form" in p.name else "1" for p in params]


def test_every_operator_handler_declares_its_permission_and_player_handlers_are_in_the_matrix() -> None:
    unguarded = [
        f"{state.__name__}.{name}"
        for state in _all_states()
        if state.__module__.startswith(OPERATOR_STATE_MODULES)
        for name, handler in _own_handlers(state).items()
        if not getattr(handler.fn, "permission", None)
    ]
    assert unguarded == []
    declared = {p for _, _, p in HANDLERS}
    assert declared >= {"ops.dashboard.view", "ops.draws.run_now", "ops.operators.manage"}
    assert declared >= {"ops.rg.view", "ops.rg.manage"}  # the safer gambling pages
    assert "ops.reconciliation.review" in declared  # the reconciliation page
    assert declared >= PLAYER_PERMISSIONS
    assert len(GUARDED) >= len(HANDLERS)


def test_every_declared_permission_exists_and_roles_stay_apart() -> None:
    assert {p for _, _, p in HANDLERS} <= set(authz.PERMISSIONS)
    for permission, holders in authz.PERMISSIONS.items():
        assert holders <= authz.ROLES | {SYSTEM}, permission
        if permission.startswith(("ops.", "system.")):
            assert "player" not in holders, permission
        if permission.startswith("player."):
            assert holders == {"player"}, permission


@pytest.mark.parametrize(
    ("state", "name", "permission"), HANDLERS, ids=[f"{s.__name__}.{n}" for s, n, _ in HANDLERS]
)
def test_each_guarded_handler_grants_and_denies_by_the_matrix(
    installed: Wiring, db: Database, now: datetime, state: type[rx.State], name: str, permission: str
) -> None:
    outcomes = asyncio.run(_outcomes(installed, db, now, state, name))
    expected = {r: "granted" if authz.allowed(r, permission) else "denied" for r in ROLES}
    assert outcomes == {**expected, "anonymous": "denied"}


async def _outcomes(
    wiring: Wiring, db: Database, now: datetime, state: type[rx.State], name: str
) -> dict[str, str]:
    uow = wiring.uow()
    handler = state.event_handlers[name]
    outcomes: dict[str, str] = {}
    for role in [*ROLES, "anonymous"]:
        if role == "anonymous":
            root = tab()
        else:
            root, _, _ = await signed_in_tab(wiring, _user_of(uow, role, now), now)
        target = await root.get_state(state)
        before = _denials(db)
        try:
            result = handler.fn(target, *_dummy_args(handler.fn))
            if inspect.isasyncgen(result):
                async for _ in result:
                    pass
            elif inspect.isawaitable(result):
                await result
        except Exception as err:  # the body ran with dummy arguments: that is a grant
            assert "permission" not in str(err).lower(), err
        outcomes[role] = "denied" if _denials(db) > before else "granted"
    return outcomes


# --- API routes -------------------------------------------------------------------------------


def _v1_routes(wiring: Wiring) -> list[tuple[str, str, str]]:
    """(method, path, declared permission) of every v1 operation, from the OpenAPI schema."""
    paths = create_api(wiring).openapi()["paths"]
    return sorted(
        (method.upper(), path, str(operation.get("x-permission", "")))
        for path, operations in paths.items()
        if path.startswith("/api/v1/")
        for method, operation in operations.items()
    )


def _schema_routes() -> list[tuple[str, str, str]]:
    from casino_app import bootstrap

    return _v1_routes(bootstrap.build())


ROUTES = _schema_routes()
GUARDED_ROUTES = [r for r in ROUTES if r[2] in authz.PERMISSIONS]


def test_every_v1_route_declares_a_permission() -> None:
    assert ROUTES, "no v1 routes found"
    undeclared = [f"{m} {p}" for m, p, permission in ROUTES if not permission]
    assert undeclared == []
    assert all(p in authz.PERMISSIONS or p in ("public", "authenticated") for _, _, p in ROUTES)


@pytest.mark.parametrize(
    ("method", "path", "permission"), GUARDED_ROUTES, ids=[f"{m} {p}" for m, p, _ in GUARDED_ROUTES]
)
def test_each_v1_route_grants_and_denies_by_the_matrix(
    wiring: Wiring, db: Database, now: datetime, method: str, path: str, permission: str
) -> None:
    uow = wiring.uow()
    url = path.replace("{session_id}", "999999")
    with TestClient(create_api(wiring)) as client:
        assert client.request(method, url).status_code == 401
        for role in ROLES:
            user_id = _user_of(uow, role, now)
            with uow:
                pair = api_tokens.open_api_session(uow, user_id, ClientInfo("192.0.2.10"), now)
                uow.commit()
            before = _denials(db)
            response = client.request(method, url, headers={"Authorization": f"Bearer {pair.access_token}"})
            denied = response.status_code == 403 and response.json()["code"] == "permission_denied"
            assert denied == (not authz.allowed(role, permission)), (
                role,
                response.status_code,
                response.text,
            )
            assert (_denials(db) > before) == denied, role
