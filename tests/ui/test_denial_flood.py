"""Denied calls cannot flood the audit chain: one audit record per (tab, actor, permission) a
minute plus one count for the rest; every call is still denied; a connection that keeps being
denied is closed; and no helper of any state is callable as an event."""

from __future__ import annotations

import ast
import asyncio
import inspect
import json
import textwrap
from collections.abc import Iterator

import pytest
import reflex as rx
import sqlalchemy as sa

import casino_app.casino_app  # noqa: F401  (registers every state)
from casino_app.adapters.clock import FixedClock
from casino_app.bootstrap import Wiring
from casino_app.persistence.db import Database
from casino_app.services import authz
from casino_app.services.security import audit, denials
from casino_app.ui import wiring as ui_wiring
from casino_app.ui.state.player.account import AccountState
from casino_app.ui.state.session.connection import SessionGuard
from tests.support import count_rows
from tests.tabs import tab

FLOOD = 300


@pytest.fixture
def installed(wiring: Wiring) -> Iterator[Wiring]:
    previous = ui_wiring._wiring
    ui_wiring.install(wiring)
    yield wiring
    ui_wiring._wiring = previous


def _denied_records(db: Database) -> int:
    return count_rows(db, "audit_log", "action = 'authz.denied'")


def _repeated_counts(db: Database) -> list[int]:
    with db.read_engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT details FROM audit_log WHERE action = 'authz.denied_repeated' ORDER BY seq")
        ).scalars()
        return [json.loads(d)["count"] for d in rows]


async def _flood(root: rx.State, times: int) -> list[object]:
    account = await root.get_state(AccountState)
    return [await AccountState.event_handlers["load"].fn(account) for _ in range(times)]


def test_300_denied_events_from_one_tab_write_a_bounded_number_of_audit_records(
    installed: Wiring, db: Database, clock: FixedClock
) -> None:
    root = tab(client_token="one-anonymous-socket")
    answers = asyncio.run(_flood(root, FLOOD))
    assert all(isinstance(a, list) and len(a) == 2 for a in answers)  # "Please sign in." + redirect, each
    assert count_rows(db, "audit_log") == 1 and _denied_records(db) == 1

    clock.advance(seconds=61)  # the next minute: the count of the rest is written with the next denial
    asyncio.run(_flood(root, 1))
    assert _denied_records(db) == 2 and _repeated_counts(db) == [FLOOD - 1]

    clock.advance(seconds=61)
    assert authz.flush_denials(installed.uow()) == 0  # nothing pending: the last minute had one
    asyncio.run(_flood(root, 5))
    clock.advance(seconds=61)
    assert authz.flush_denials(installed.uow()) == 1  # written later, without another denial
    assert _repeated_counts(db) == [FLOOD - 1, 4]
    assert count_rows(db, "audit_log") == 5
    with installed.uow().reader() as r:
        assert audit.verify(r.session).finding is None


def test_other_tabs_and_other_permissions_are_audited_on_their_own(installed: Wiring, db: Database) -> None:
    asyncio.run(_flood(tab(client_token="tab-a"), 10))
    asyncio.run(_flood(tab(client_token="tab-b"), 10))
    assert _denied_records(db) == 2


def test_a_connection_that_keeps_being_denied_is_closed(installed: Wiring, db: Database) -> None:
    closed: list[str] = []

    class Namespace:
        async def disconnect(self, sid: str) -> None:
            closed.append(sid)

    class App:
        event_namespace = Namespace()

    root = tab(client_token="noisy")
    guard = SessionGuard()
    assert asyncio.run(guard.preprocess(App(), root, None)) is None
    asyncio.run(_flood(root, denials.DROP_AFTER + 1))
    update = asyncio.run(guard.preprocess(App(), root, None))
    assert update is not None and update.delta == {} and update.events == []  # the event is dropped
    assert closed == [root.router.session.session_id]
    quiet = tab(client_token="quiet")
    assert asyncio.run(guard.preprocess(App(), quiet, None)) is None


def _states() -> list[type[rx.State]]:
    found, todo = [], [rx.State]
    while todo:
        state = todo.pop()
        subs = list(state.get_substates())
        todo.extend(subs)
        found.extend(s for s in subs if s.__module__.startswith("casino_app."))
    return found


def _declared_events(state: type[rx.State]) -> set[str]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(state)))
    cls = tree.body[0]
    assert isinstance(cls, ast.ClassDef)
    declared = set()
    for node in cls.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names = {ast.unparse(d).split("(")[0] for d in node.decorator_list}
            if "rx.event" in names:
                declared.add(node.name)
    return declared


def test_only_methods_declared_as_events_are_callable_as_events() -> None:
    """Any connected client can call any public method of a state: helpers must be private."""
    states = _states()
    assert len(states) >= 10
    undeclared = sorted(
        f"{s.__name__}.{name}"
        for s in states
        for name in s.event_handlers
        if name != "setvar" and name not in _declared_events(s)
    )
    assert undeclared == []


def test_the_session_helpers_are_not_events() -> None:
    from casino_app.ui.state.session.session import SessionState

    for helper in (
        "actor",
        "client",
        "check_session",
        "authorize",
        "refresh_balance",
        "player_id",
        "user_id",
    ):
        assert helper not in SessionState.event_handlers
