"""The operations the ledger benchmark times, each through the same service call the app makes."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime

from bench.baseline_orm import place_bet_orm
from bench.load import Op
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games import catalog, engine, lotto
from casino_app.services.games.engine import rounds, settlement
from casino_app.services.games.instant import dice, seeds, specs
from casino_app.services.games.lotto.draws import queries as draw_queries
from casino_app.services.money import transfers

STAKE = 1_00
BENCH = Actor.system("bench")
SELECTION = (3, 9, 17, 28, 34, 45)


def warm_caches(uow: UnitOfWork) -> None:
    """Load the game facts and the selling draw, as a running app has them after its first bet."""
    draw_queries.selling_draw(uow, "lotto649", datetime.now(UTC))
    catalog.game_facts(uow, "lotto649", 1)
    catalog.game_facts(uow, "flip", 1)


def op_transfer(ctx: dict[str, object]) -> Op:
    cash: list[int] = ctx["cash"]  # type: ignore[assignment]
    house = int(ctx["house"])  # type: ignore[call-overload]
    nonce = time.time_ns()

    def run(uow: UnitOfWork, wallet: int, seq: int) -> None:
        key = f"tr-{nonce}-{os.getpid()}-{seq}"
        cmd = transfers.Transfer(cash[wallet - 1], house, STAKE, "EUR", key)
        transfers.transfer(uow, BENCH, cmd, datetime.now(UTC))

    return run


def op_bet(prefix: str = "bet") -> Op:
    """A lotto ticket through `lotto.place_lotto_ticket` -> the engine's `place_stake`."""
    nonce = time.time_ns()

    def run(uow: UnitOfWork, wallet: int, seq: int) -> None:
        cmd = lotto.PlaceLottoTicket("lotto649", SELECTION, STAKE, f"{prefix}-{nonce}-{os.getpid()}-{seq}")
        lotto.place_lotto_ticket(uow, Actor.player(wallet), cmd, datetime.now(UTC))

    return run


def op_baseline(ctx: dict[str, object]) -> Op:
    game_id = int(ctx["game_id"])  # type: ignore[call-overload]
    nonce = time.time_ns()

    def run(uow: UnitOfWork, wallet: int, seq: int) -> None:
        key = f"orm-{nonce}-{os.getpid()}-{seq}"
        place_bet_orm(uow, wallet, game_id, "house_revenue:lotto649:EUR", STAKE, key, datetime.now(UTC))

    return run


def op_instant() -> Op:
    """An instant round: open it, `place_stake_in`, decide, `settle_in`, finish, one commit."""
    nonce = time.time_ns()

    @retry_transient  # a deadlock on PostgreSQL rolls the round back: play it again, as the app would
    def run(uow: UnitOfWork, wallet: int, seq: int) -> None:
        now = datetime.now(UTC)
        game = catalog.game_facts(uow, "flip", 1)
        with uow:
            round_id = rounds.open_round_in(uow, game, now)
            key = f"flip-{nonce}-{os.getpid()}-{seq}"
            stake = engine.Stake(game, round_id, STAKE, "heads", key, {"round": round_id})
            placed = engine.place_stake_in(uow, Actor.player(wallet), stake, now)
            bet = engine.placed_bet(stake, placed, wallet)
            win = 2 * STAKE if seq % 2 else 0
            settlement.settle_in(uow, [(bet, settlement.Outcome(win=win))], now)
            rounds.finish_round_in(uow, round_id, "heads" if win else "tails", now)
            uow.commit()

    return run


INSTANT_PLAYERS = 1_000  # wallets with a seed pair (the commitment is shown before any bet)


def setup_instant(uow: UnitOfWork, players: int = INSTANT_PLAYERS) -> None:
    """The instant games and a seed pair for the first `players` wallets, once per database."""
    now = datetime.now(UTC)
    specs.ensure_instant_games(uow, BENCH, now)
    for wallet in range(1, players + 1):
        seeds.seed_pair(uow, Actor.player(wallet), now)


def op_instant_dice() -> Op:
    """A dice round through the service the UI calls: nonce, round, stake, roll, settle, record."""
    nonce = time.time_ns()

    def run(uow: UnitOfWork, wallet: int, seq: int) -> None:
        player = Actor.player((wallet - 1) % INSTANT_PLAYERS + 1)
        cmd = dice.RollDice(STAKE, "under", 5000, f"dice-{nonce}-{os.getpid()}-{seq}", version=1)
        dice.roll(uow, player, cmd, datetime.now(UTC))

    return run


def _replay_key(i: int) -> str:
    return f"rp-{os.getpid()}-{threading.get_ident()}-{i}"


def warm_replays(uow: UnitOfWork) -> None:
    """Place 200 tickets whose requests the replay workload then resends."""
    warm_caches(uow)
    for i in range(1, 201):
        cmd = lotto.PlaceLottoTicket("lotto649", (1, 2, 3, 4, 5, 6), STAKE, _replay_key(i))
        lotto.place_lotto_ticket(uow, Actor.player(i), cmd, datetime.now(UTC))


def op_replay() -> Op:
    def run(uow: UnitOfWork, wallet: int, seq: int) -> None:
        i = (seq % 200) + 1
        cmd = lotto.PlaceLottoTicket("lotto649", (1, 2, 3, 4, 5, 6), STAKE, _replay_key(i))
        assert lotto.place_lotto_ticket(uow, Actor.player(i), cmd, datetime.now(UTC)).replayed

    return run
