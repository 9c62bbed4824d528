"""Limits hold under parallel requests: the stake's RG facts are read under the player's lock, so
a burst of bets from two devices (real threads, both engines) cannot go over a loss limit, and
parallel deposits cannot go over a deposit limit.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from casino_app.adapters.keys import LocalKeyring
from casino_app.adapters.sandbox_payments import APPROVE_TOKEN
from casino_app.domain.errors import LimitExceeded
from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.services.compliance.rg.dto import SetLimit
from casino_app.services.compliance.rg.limits import setting as limits
from casino_app.services.dto import UserView
from casino_app.services.games import catalog, engine
from casino_app.services.games.catalog import GameSpec
from casino_app.services.games.engine import rounds
from casino_app.services.payments.deposits import deposits
from tests.support import count_rows, make_wiring, scalar

FLIP = GameSpec("flip", "Coin flip", GameKind.INSTANT, "EUR", {}, 10, 100_00)


def test_a_concurrent_burst_of_bets_from_two_devices_cannot_exceed_a_loss_limit(
    db: Database, funded_player_on: Callable[[Database, int], UserView], now: datetime
) -> None:
    wiring = make_wiring(db)
    game = catalog.ensure_game(wiring.uow(), Actor.system(), FLIP, now)
    uow = wiring.uow()
    with uow:
        round_id = rounds.open_round_in(uow, game, now)
        uow.commit()
    user = funded_player_on(db, 50_00)
    limits.set_limit(wiring.uow(), Actor.player(user.id), SetLimit("loss", "day", 10_00), now)
    devices = (Actor.player(user.id, 1), Actor.player(user.id, 2))

    def stake(i: int) -> str:
        request = engine.Stake(game, round_id, 1_00, "heads", f"burst-{i}", {"i": i})
        try:
            engine.place_stake(wiring.uow(), devices[i % 2], request, now)
        except LimitExceeded:
            return "refused"
        return "placed"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(stake, range(24)))
    assert (outcomes.count("placed"), outcomes.count("refused")) == (10, 14)
    assert count_rows(db, "bets") == 10
    assert scalar(db, "SELECT SUM(staked) FROM rg_usage") == 10_00


def test_parallel_deposits_cannot_exceed_a_deposit_limit(
    db: Database,
    funded_player_on: Callable[[Database, int], UserView],
    now: datetime,
    test_keyring: LocalKeyring,
) -> None:
    wiring = make_wiring(db, keys=test_keyring)
    user = funded_player_on(db, 10_00)  # counts: 10.00 of the 30.00 limit is used
    limits.set_limit(wiring.uow(), Actor.player(user.id), SetLimit("deposit", "day", 30_00), now)

    def deposit(i: int) -> str:
        cmd = deposits.Deposit(f"par-{i}", 5_00, "EUR", APPROVE_TOKEN)
        try:
            deposits.deposit(wiring.uow(), Actor.player(user.id), cmd, now)
        except LimitExceeded:
            return "refused"
        return "approved"

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(deposit, range(8)))
    assert (outcomes.count("approved"), outcomes.count("refused")) == (4, 4)
    assert count_rows(db, "payments", "order_id LIKE 'par-%'") == 4
