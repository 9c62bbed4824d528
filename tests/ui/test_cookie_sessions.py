"""A signed-in browser is its HttpOnly session cookie: every tab carrying it is signed in, a
connection without it (a copied client token) gets nothing, logout and revocation sign every
tab out, and only the server sets or clears the cookie."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from casino_app.adapters.clock import FixedClock
from casino_app.api.app import create_api
from casino_app.bootstrap import Wiring
from casino_app.domain.errors import SessionExpired
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.services.identity.accounts import registration as registering
from casino_app.services.identity.sessions import cookies as cookie_sessions
from casino_app.services.identity.sessions import server as sessions
from casino_app.ui import wiring as ui_wiring
from casino_app.ui.state.player.account import AccountState
from casino_app.ui.state.session.connection import SessionGuard
from casino_app.ui.state.session.session import SessionState
from tests.support import PASSWORD, count_rows, registration
from tests.tabs import browser_cookie, signed_in_tab, tab

ORIGIN = "http://localhost:3000"


@pytest.fixture
def installed(wiring: Wiring) -> Iterator[Wiring]:
    previous = ui_wiring._wiring
    ui_wiring.install(wiring)
    yield wiring
    ui_wiring._wiring = previous


def _player(wiring: Wiring, now: datetime, email: str = "tabs@example.com") -> int:
    return registering.register_player(wiring.uow(), registration(email), now).id


async def _session(root) -> SessionState:
    return await root.get_state(SessionState)


def test_every_tab_carrying_the_cookie_is_signed_in(installed: Wiring, now: datetime) -> None:
    user_id = _player(installed, now)

    async def scenario() -> None:
        _, token, session_id = await signed_in_tab(installed, user_id, now)
        second = await _session(tab(token))  # Ctrl-click, a reloaded deep link, an emailed link
        who = await second._check_session()
        assert who is not None and who.session_id == session_id
        assert second._actor() == Actor.player(user_id, session_id)
        assert second.email == "tabs@example.com" and second.is_player

    asyncio.run(scenario())


def test_a_copied_client_token_without_the_cookie_gets_nothing(installed: Wiring, now: datetime) -> None:
    user_id = _player(installed, now)
    other_id = _player(installed, now, "attacker@example.com")
    attacker_token, _ = browser_cookie(installed, other_id, now)

    async def scenario() -> None:
        root, _, session_id = await signed_in_tab(installed, user_id, now)
        for cookie in ("", attacker_token):  # no cookie, or the attacker's own account
            stolen = tab(cookie, root=root)  # same client token, another browser
            update = await SessionGuard().preprocess(None, stolen, None)
            assert update is not None and update.delta == {}
            assert [e.name for e in update.events] == ["_call_script"]
            assert "kasynoSession.fresh" in update.events[0].payload["javascript_code"]
            session = await _session(stolen)
            assert await session._authorize("player.account") is None
            assert (
                await AccountState.event_handlers["load"].fn(await stolen.get_state(AccountState)) is not None
            )
        # The owner's state is untouched: the tab carries on for the browser with the cookie.
        session = await _session(root)
        assert session._user_id == user_id and session._session_id == session_id

    asyncio.run(scenario())


def test_logout_clears_the_cookie_through_the_server_and_signs_every_tab_out(
    installed: Wiring, now: datetime
) -> None:
    user_id = _player(installed, now)

    async def scenario() -> None:
        first, token, _ = await signed_in_tab(installed, user_id, now)
        second = await _session(tab(token))
        assert await second._check_session() is not None
        spec = await SessionState.event_handlers["logout"].fn(await _session(first))
        assert "kasynoSession.drop" in spec.args[0][1]._var_value  # the server clears the cookie
        assert await second._check_session() is None
        assert second._user_id is None and "signed out" in second.auth_notice

    asyncio.run(scenario())


def test_idle_and_absolute_limits_and_revocation_end_the_cookie_session(
    installed: Wiring, clock: FixedClock, now: datetime
) -> None:
    user_id = _player(installed, now)
    idle = installed.settings.identity.session_idle_seconds

    async def scenario() -> None:
        root, token, session_id = await signed_in_tab(installed, user_id, now)
        clock.advance(seconds=idle + 1)
        assert await (await _session(root))._check_session() is None
        clock.advance(seconds=-(idle + 1))
        _, token, session_id = await signed_in_tab(installed, user_id, now)
        sessions.revoke(installed.uow(), Actor.player(user_id, session_id), session_id, now)
        assert await (await _session(tab(token)))._check_session() is None

    asyncio.run(scenario())


def test_login_hands_the_page_a_grant_and_signs_the_tab_in_only_through_the_cookie(
    installed: Wiring, db: Database, now: datetime
) -> None:
    _player(installed, now)

    async def scenario() -> str:
        session = await _session(tab())
        spec = await SessionState.event_handlers["login"].fn(
            session, {"email": "tabs@example.com", "password": PASSWORD}
        )
        assert session._user_id is None and session._actor() == Actor.anonymous()
        script = spec.args[0][1]._var_value
        assert script.startswith('window.kasynoSession.bind("", "')
        return script.split('"')[3]

    grant = asyncio.run(scenario())
    token = cookie_sessions.exchange_grant(installed.uow(), grant, now)
    assert sessions.validate_browser(installed.uow(), token, now).user_id
    with pytest.raises(SessionExpired):  # a grant works once
        cookie_sessions.exchange_grant(installed.uow(), grant, now)
    with pytest.raises(SessionExpired):  # and the grant is no session token any more
        sessions.validate_browser(installed.uow(), grant, now)
    assert count_rows(db, "user_sessions") == 1


def test_a_grant_older_than_its_lifetime_is_refused(wiring: Wiring, clock: FixedClock, now: datetime) -> None:
    user_id = _player(wiring, now)
    uow = wiring.uow()
    with uow:
        grant, _ = sessions.open_browser_session(uow, user_id, sessions.ClientInfo(), now)
        uow.commit()
    clock.advance(seconds=cookie_sessions.GRANT_LIFETIME.total_seconds() + 1)
    with pytest.raises(SessionExpired):
        cookie_sessions.exchange_grant(wiring.uow(), grant, clock.now())


def test_the_server_sets_an_httponly_strict_cookie_and_clears_it(wiring: Wiring, now: datetime) -> None:
    user_id = _player(wiring, now)
    uow = wiring.uow()
    with uow:
        grant, session_id = sessions.open_browser_session(uow, user_id, sessions.ClientInfo(), now)
        uow.commit()
    api = TestClient(create_api(wiring), base_url="http://localhost:3000")
    refused = api.post("/api/session", json={"grant": grant}, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    response = api.post("/api/session", json={"grant": grant}, headers={"Origin": ORIGIN})
    assert response.status_code == 204
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{cookie_sessions.COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http here
    token = cookie.split(";")[0].split("=", 1)[1]
    assert sessions.validate_browser(wiring.uow(), token, now).session_id == session_id
    assert api.post("/api/session", json={"grant": grant}, headers={"Origin": ORIGIN}).status_code == 401

    cleared = api.delete("/api/session", headers={"Origin": ORIGIN, "Cookie": f"kl_session={token}"})
    assert cleared.status_code == 204
    assert 'kl_session=""' in cleared.headers["set-cookie"] and "Max-Age=0" in cleared.headers["set-cookie"]
    with pytest.raises(SessionExpired):
        sessions.validate_browser(wiring.uow(), token, now)


def test_the_cookie_is_secure_when_the_app_is_reached_over_tls(wiring: Wiring, now: datetime) -> None:
    user_id = _player(wiring, now)
    uow = wiring.uow()
    with uow:
        grant, _ = sessions.open_browser_session(uow, user_id, sessions.ClientInfo(), now)
        uow.commit()
    api = TestClient(create_api(wiring), base_url="https://localhost:3000")
    response = api.post("/api/session", json={"grant": grant}, headers={"Origin": ORIGIN})
    assert response.status_code == 204 and "Secure" in response.headers["set-cookie"]


@pytest.mark.parametrize(
    ("origin", "host", "base"),
    [
        ("http://localhost:3000", "localhost:3000", ""),  # one port: production
        ("https://casino.example", "app:3000", ""),  # a proxy that rewrites Host
        ("http://localhost:3000", "localhost:8000", "http://localhost:8000"),  # `make dev`
    ],
)
def test_the_page_reaches_the_cookie_endpoint_where_its_websocket_goes(
    origin: str, host: str, base: str
) -> None:
    from casino_app.ui.state.session import tab as tabs

    root = tab("x")
    root._update_router_vars({**root.router_data, "headers": {"origin": origin, "host": host}}, {})
    assert tabs.api_base(root) == base


def test_the_cookie_is_found_among_other_cookies_and_malformed_ones_are_ignored() -> None:
    header = 'theme="a,b"; bad cookie; kl_session=abc_DEF-123; other={"json":1}'
    assert cookie_sessions.read(header) == "abc_DEF-123"
    assert cookie_sessions.read("kl_session=<script>") == ""
    assert cookie_sessions.read("kl_session=" + "a" * 129) == ""
    assert cookie_sessions.read("") == ""
