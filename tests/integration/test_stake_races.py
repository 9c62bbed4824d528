"""Parallel stakes of one player: the database is the only guard, on the fast and the checked path."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from casino_app.domain.errors import InsufficientFunds
from casino_app.domain.games.checks import PLAYER_MAY_BET
from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.services.dto import UserView
from casino_app.services.games import catalog, engine
from casino_app.services.games.catalog import GameSpec
from casino_app.services.games.engine import rounds
from casino_app.services.money import ledger
from tests.support import count_rows, make_wiring

FLIP = GameSpec("flip", "Coin flip", GameKind.INSTANT, "EUR", {}, 10, 100_00)


@pytest.mark.parametrize("checked", [False, True], ids=["fast-path", "checked-path"])
def test_twenty_parallel_stakes_on_a_ten_stake_balance_place_exactly_ten(
    db: Database, funded_player_on: Callable[[Database, int], UserView], now: datetime, checked: bool
) -> None:
    plain = make_wiring(db)
    wiring = make_wiring(db, stake_checks=plain.stake_checks.plus(PLAYER_MAY_BET)) if checked else plain
    game = catalog.ensure_game(wiring.uow(), Actor.system(), FLIP, now)
    uow = wiring.uow()
    with uow:
        round_id = rounds.open_round_in(uow, game, now)
        uow.commit()
    user = funded_player_on(db, 10_00)

    def stake(i: int) -> str:
        request = engine.Stake(game, round_id, 1_00, "heads", f"race-{i}", {"i": i})
        try:
            engine.place_stake(wiring.uow(), Actor.player(user.id), request, now)
        except InsufficientFunds:
            return "refused"
        return "placed"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(stake, range(20)))
    assert (outcomes.count("placed"), outcomes.count("refused")) == (10, 10)
    assert count_rows(db, "bets") == 10
    with wiring.uow().reader() as r:
        assert ledger.balance(r.session, ledger.player_cash_account(r.session, user.id, "EUR")) == 0
        assert ledger.check_integrity(r.session) == []
