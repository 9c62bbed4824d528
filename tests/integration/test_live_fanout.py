"""Live pushes: a committed notice reaches every open tab of its player, on any worker.

Two hubs stand for two backend workers. In-process, a push stays in its worker; over Redis
(127.0.0.1:6379, one unique channel per test), a push published on one worker is delivered by
the other to the tab registered there. Publishing happens on a worker thread, as services do.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable

import pytest

from casino_app.adapters.live_redis import RedisChannel
from casino_app.adapters.sandbox_payments import APPROVE_TOKEN
from casino_app.domain.events import DomainEvent
from casino_app.domain.identity.actor import Actor
from casino_app.domain.inbox.notices import NOTICES_PER_EVENT, NOTIFIED, NOTIFIED_MANY, many_notified
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.inbox.notifications import notices_to_push
from casino_app.services.payments.deposits import deposits
from casino_app.ui.live.hub import LiveHub, Push
from casino_app.ui.live.registry import TabRegistry

REDIS_URL = os.environ.get("CASINO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


class Tabs:
    """What the tabs received: (hub name, token, push)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str, Push]] = []
        self.arrived = asyncio.Event()

    def deliver_as(self, name: str) -> Callable[[str, Push], object]:
        async def deliver(token: str, push: Push) -> None:
            self.received.append((name, token, push))
            self.arrived.set()

        return deliver

    async def wait_for(self, count: int, timeout: float = 5.0) -> None:
        async def enough() -> None:
            while len(self.received) < count:
                self.arrived.clear()
                await self.arrived.wait()

        await asyncio.wait_for(enough(), timeout)


def _notice(user_id: int, notification_id: int = 1) -> DomainEvent:
    data = {"notification_id": notification_id, "kind": "deposit_confirmed", "params": {"amount_minor": 5}}
    return DomainEvent(NOTIFIED, user_id, data)


async def _started(hub: LiveHub) -> asyncio.Task[None]:
    hub.bind(asyncio.get_running_loop())
    ready = asyncio.Event()
    task = asyncio.create_task(hub.run(ready))
    await asyncio.wait_for(ready.wait(), 5)
    return task


async def _stop(*tasks: asyncio.Task[None]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def test_in_process_a_push_from_a_worker_thread_reaches_every_tab_of_its_player_only() -> None:
    async def scenario() -> Tabs:
        tabs = Tabs()
        hub = LiveHub(tabs.deliver_as("w1"))
        for user_id, token in ((1, "phone"), (1, "laptop"), (2, "someone-else")):
            hub.registry.add(user_id, token)
        task = await _started(hub)
        await asyncio.to_thread(hub.on_event, _notice(1))
        await tabs.wait_for(2)
        await asyncio.sleep(0.05)
        await _stop(task)
        return tabs

    tabs = asyncio.run(scenario())
    assert sorted(token for _, token, _ in tabs.received) == ["laptop", "phone"]
    assert {push.kind for _, _, push in tabs.received} == {"deposit_confirmed"}


def test_the_tab_that_caused_the_fact_and_disconnected_tabs_are_skipped() -> None:
    async def scenario() -> tuple[Tabs, int, TabRegistry]:
        tabs = Tabs()
        hub = LiveHub(tabs.deliver_as("w1"), connected=lambda token: token != "closed")
        for token in ("origin", "other", "closed"):
            hub.registry.add(7, token)
        delivered = await hub.deliver_local(Push(7, 1, "draw_settled", {}, origin="origin"))
        return tabs, delivered, hub.registry

    tabs, delivered, registry = asyncio.run(scenario())
    assert delivered == 1 and [token for _, token, _ in tabs.received] == ["other"]
    assert registry.tabs_of(7) == ["origin", "other"]  # the closed tab was pruned


def test_other_events_and_unbound_hubs_push_nothing() -> None:
    tabs = Tabs()
    hub = LiveHub(tabs.deliver_as("w1"))
    hub.registry.add(1, "tab")
    hub.on_event(_notice(1))  # not bound to a loop yet: dropped, no error
    hub.on_event(DomainEvent("bet.placed", 1, {}))
    assert tabs.received == []


def test_registry_keeps_one_owner_per_tab_caps_and_ages_tabs() -> None:
    clock = [0.0]
    registry = TabRegistry(clock=lambda: clock[0])
    registry.add(1, "tab")
    registry.add(2, "tab")  # the tab signed in as someone else
    assert registry.tabs_of(1) == [] and registry.tabs_of(2) == ["tab"]
    for n in range(40):
        clock[0] += 1
        registry.add(3, f"t{n}")
    assert len(registry.tabs_of(3)) == 32 and "t0" not in registry.tabs_of(3)
    clock[0] += 25 * 3600
    assert registry.tabs_of(3) == [] and len(registry) == 1


def _redis_or_fail() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CASINO_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is required but not reachable at {REDIS_URL}")
        # The machine (and CI) runs Redis: its absence is a broken setup, not a reason to skip.
        pytest.fail(f"no Redis at {REDIS_URL}")


def test_over_redis_a_push_published_on_one_worker_reaches_the_tab_on_the_other() -> None:
    _redis_or_fail()
    channel = f"kasyno:test:{uuid.uuid4().hex}"

    async def scenario() -> Tabs:
        tabs = Tabs()
        first = LiveHub(tabs.deliver_as("w1"), RedisChannel(REDIS_URL, channel))
        second = LiveHub(tabs.deliver_as("w2"), RedisChannel(REDIS_URL, channel))
        first.registry.add(5, "laptop-on-w1")
        second.registry.add(5, "phone-on-w2")
        second.registry.add(6, "not-theirs")
        tasks = [await _started(first), await _started(second)]
        await asyncio.to_thread(first.on_event, _notice(5, 42))
        await tabs.wait_for(2)
        await asyncio.sleep(0.1)
        await _stop(*tasks)
        return tabs

    tabs = asyncio.run(scenario())
    assert sorted((name, token) for name, token, _ in tabs.received) == [
        ("w1", "laptop-on-w1"),
        ("w2", "phone-on-w2"),
    ]
    assert {push.notification_id for _, _, push in tabs.received} == {42}


def test_a_confirmed_deposit_in_a_service_thread_reaches_the_players_tab(
    uow: UnitOfWork, register: Callable[..., UserView], now: object
) -> None:
    player = register("live@example.com")

    async def scenario() -> Tabs:
        tabs = Tabs()
        hub = LiveHub(tabs.deliver_as("w1"))
        uow.context.events.subscribe(hub.on_event)  # type: ignore[attr-defined]
        hub.registry.add(player.id, "tab")
        task = await _started(hub)
        cmd = deposits.Deposit("live-1", 12_00, player.currency, APPROVE_TOKEN)
        await asyncio.to_thread(deposits.deposit, uow, Actor.player(player.id), cmd, now)
        await tabs.wait_for(1)
        await _stop(task)
        return tabs

    ((_, token, push),) = asyncio.run(scenario()).received
    assert token == "tab" and push.kind == "deposit_confirmed"
    assert push.params == {"order_id": "live-1", "amount_minor": 12_00, "currency": player.currency}


def test_many_notices_travel_as_few_events_naming_them_in_id_order() -> None:
    pairs = [(user, 1_000_000 - user) for user in range(2 * NOTICES_PER_EVENT + 1)]
    events = many_notified(pairs)
    assert [len(e.data["notices"]) for e in events] == [NOTICES_PER_EVENT, NOTICES_PER_EVENT, 1]
    assert all(e.name == NOTIFIED_MANY and e.user_id is None for e in events)
    named = [nid for e in events for _, nid in e.data["notices"]]
    assert named == sorted(nid for _, nid in pairs)
    assert many_notified([]) == []


def test_a_settled_draw_is_one_event_and_each_tab_gets_its_own_players_notice(
    uow: UnitOfWork, funded_player: Callable[..., UserView], games: dict[str, Round], now: object
) -> None:
    players = [funded_player() for _ in range(3)]
    for n, player in enumerate(players):  # n + 1 tickets each
        for _ in range(n + 1):
            cmd = lotto.PlaceLottoTicket("lotto649", (1, 2, 3, 4, 5, 6), 1_00, uuid.uuid4().hex)
            lotto.place_lotto_ticket(uow, Actor.player(player.id), cmd, now)
    events = uow.context.events
    published = len(events.events)  # type: ignore[attr-defined]

    async def scenario() -> Tabs:
        tabs = Tabs()
        hub = LiveHub(
            tabs.deliver_as("w1"), lookup=lambda ids: notices_to_push(uow, Actor.system("live"), ids)
        )
        events.subscribe(hub.on_event)  # type: ignore[attr-defined]
        hub.registry.add(players[1].id, "tab-b")
        hub.registry.add(players[2].id, "tab-c")
        task = await _started(hub)
        await asyncio.to_thread(draws.run_draw_now, uow, Actor.operator(999, "admin"), "lotto649", now)
        await tabs.wait_for(2)
        await asyncio.sleep(0.05)
        await _stop(task)
        return tabs

    tabs = asyncio.run(scenario())
    new = events.events[published:]  # type: ignore[attr-defined]
    (many,) = [e for e in new if e.name == NOTIFIED_MANY]
    assert not [e for e in new if e.name == NOTIFIED]  # no push per player
    assert sorted(u for u, _ in many.data["notices"]) == sorted(p.id for p in players)
    got = {token: push for _, token, push in tabs.received}
    assert sorted(got) == ["tab-b", "tab-c"]
    assert got["tab-b"].user_id == players[1].id and got["tab-b"].params["tickets"] == 2
    assert got["tab-c"].user_id == players[2].id and got["tab-c"].params["tickets"] == 3
    assert {push.kind for push in got.values()} == {"draw_settled"}


def test_over_redis_a_draws_notices_reach_the_tab_on_the_other_worker_only_with_its_own_notice() -> None:
    _redis_or_fail()
    channel = f"kasyno:test:{uuid.uuid4().hex}"
    stored = {11: (5, "draw_settled", {"tickets": 1}), 12: (6, "draw_settled", {"tickets": 4})}
    asked: list[list[int]] = []

    def lookup(ids: list[int]) -> dict[int, tuple[int, str, dict[str, object]]]:
        asked.append(sorted(ids))
        return {i: stored[i] for i in ids if i in stored}

    async def scenario() -> Tabs:
        tabs = Tabs()
        first = LiveHub(tabs.deliver_as("w1"), RedisChannel(REDIS_URL, channel), lookup=lookup)
        second = LiveHub(tabs.deliver_as("w2"), RedisChannel(REDIS_URL, channel), lookup=lookup)
        second.registry.add(5, "phone-on-w2")
        second.registry.add(7, "someone-not-named")
        tasks = [await _started(first), await _started(second)]
        (event,) = many_notified([(5, 11), (6, 12), (8, 13)])
        await asyncio.to_thread(first.on_event, event)
        await tabs.wait_for(1)
        await asyncio.sleep(0.1)
        await _stop(*tasks)
        return tabs

    tabs = asyncio.run(scenario())
    ((name, token, push),) = tabs.received
    assert (name, token, push.user_id, push.notification_id) == ("w2", "phone-on-w2", 5, 11)
    assert push.params == {"tickets": 1}
    assert asked == [[11]]  # the first worker serves none of them: it read nothing
