"""Instant casino games on the bet engine, on both engines: one transaction per round, seed pairs,
rotation, pacing, recall and bad input (nothing written on a refusal).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from casino_app.adapters.clock import FixedClock
from casino_app.domain.errors import (
    IdempotencyConflict,
    InsufficientFunds,
    InvalidAmount,
    InvalidClientSeed,
    InvalidSelection,
    NotFound,
    SeedChanged,
    SpinTooSoon,
)
from casino_app.domain.games import dice as dice_rules
from casino_app.domain.games import fairness, rng
from casino_app.domain.games import roulette as wheel
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.games.instant import dice, play_session, recall, roulette, seeds, slot, specs
from casino_app.services.money import ledger
from tests.support import count_rows, scalar

SYSTEM = Actor.system("test")


@pytest.fixture
def casino(uow: UnitOfWork, now: datetime) -> None:
    specs.ensure_instant_games(uow, SYSTEM, now)


def _clean(uow: UnitOfWork) -> None:
    with uow.reader() as r:
        assert ledger.check_integrity(r.session) == []


def _cash(uow: UnitOfWork, user: UserView) -> int:
    with uow.reader() as r:
        return ledger.balance(r.session, ledger.player_cash_account(r.session, user.id, "EUR"))


def _footprint(db: Database) -> tuple[int, ...]:
    tables = ("bets", "rounds", "instant_rounds", "ledger_transactions", "seed_pairs")
    return tuple(count_rows(db, t) for t in tables)


def test_a_dice_round_stakes_rolls_and_pays_in_one_commit_and_replays_by_request_id(
    casino: None, db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)
    player = Actor.player(user.id)
    pair = seeds.seed_pair(uow, player, now)
    commits: list[object] = []

    def count(conn: object) -> None:
        commits.append(conn)

    event.listen(db.write_engine, "commit", count)
    view = dice.roll(uow, player, dice.RollDice(1_00, "under", 5000, "roll-1", pair.commitment), now)
    event.remove(db.write_engine, "commit", count)
    assert len(commits) == 1  # nonce, round, stake, outcome, win and record: one transaction
    rolled = int(view.outcome["roll"])
    expected_win = 1_98 if rolled < 5000 else 0
    assert (view.status, view.win.minor, view.nonce) == ("win" if expected_win else "lose", expected_win, 0)
    assert (view.cash_before.minor, view.cash_after.minor if view.cash_after else None) == (
        10_00,
        10_00 - 1_00 + expected_win,
    )
    assert _cash(uow, user) == 10_00 - 1_00 + expected_win
    assert scalar(db, "SELECT status FROM rounds") == "settled"
    again = dice.roll(uow, player, dice.RollDice(1_00, "under", 5000, "roll-1", pair.commitment), now)
    assert again.replayed and again.bet_id == view.bet_id and count_rows(db, "bets") == 1
    with pytest.raises(IdempotencyConflict):
        dice.roll(uow, player, dice.RollDice(2_00, "under", 5000, "roll-1", pair.commitment), now)
    assert seeds.seed_pair(uow, player, now).nonce == 1
    _clean(uow)


def test_the_outcome_is_the_hmac_stream_of_the_revealed_seed_pair(
    casino: None, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """Provably fair: after rotation, SHA-256(seed) is the commitment and every round replays."""
    user = funded_player(amount_minor=50_00)
    player = Actor.player(user.id)
    first = seeds.seed_pair(uow, player, now)
    rolls = [dice.roll(uow, player, dice.RollDice(10, "over", 3000, f"r{i}"), now) for i in range(3)]
    spin = roulette.spin_wheel(
        uow, player, roulette.SpinRoulette((("red", 50), ("straight:7", 10)), "w"), now
    )
    rotation = seeds.rotate_seed(uow, player, "my own seed", now)
    revealed = rotation.revealed
    assert revealed.commitment == first.commitment == rng.commitment(revealed.server_seed)
    assert (revealed.client_seed, revealed.rounds) == (first.client_seed, 4)
    assert (rotation.active.client_seed, rotation.active.nonce) == ("my own seed", 0)
    assert rotation.active.commitment != first.commitment
    for view in rolls:
        derived = fairness.derive(
            "dice", specs.DICE.rules, revealed.server_seed, revealed.client_seed, view.nonce
        )
        assert derived.roll == view.outcome["roll"]
    pocket = fairness.derive(
        "roulette", specs.ROULETTE.rules, revealed.server_seed, revealed.client_seed, 3
    ).pocket
    assert pocket == spin.outcome["pocket"]
    bets = wheel.validate_bets(wheel.rules_from(specs.ROULETTE.rules), [("red", 50), ("straight:7", 10)])
    assert spin.win.minor == wheel.win_amount(bets, pocket)
    recalled = recall.recent_rounds(uow, player)
    assert {r.server_seed for r in recalled} == {revealed.server_seed}
    assert [p.server_seed for p in seeds.revealed_pairs(uow, player)] == [revealed.server_seed]


def test_the_same_seeds_and_nonce_give_the_same_outcome_whatever_the_stake_or_balance(
    casino: None, db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """RTS 7A / AGCO 21.1.5: outcomes never depend on stake, balance or player."""
    rich, poor = funded_player(amount_minor=500_00), funded_player(amount_minor=5_00)
    pairs = [seeds.seed_pair(uow, Actor.player(u.id), now) for u in (rich, poor)]
    _share_seed(uow, db, source=rich.id, target=poor.id)
    a = dice.roll(
        uow, Actor.player(rich.id), dice.RollDice(100_00, "under", 5000, "a", pairs[0].commitment), now
    )
    b = dice.roll(uow, Actor.player(poor.id), dice.RollDice(10, "under", 5000, "b"), now)
    assert a.outcome["roll"] == b.outcome["roll"] and a.nonce == b.nonce == 0
    assert (a.status, b.status) in {("win", "win"), ("lose", "lose")}


def _share_seed(uow: UnitOfWork, db: Database, *, source: int, target: int) -> None:
    """Give `target` the same server and client seed as `source` (a test-only rewrite)."""
    from casino_app.persistence.tables import SeedPair
    from casino_app.services.security import crypto

    with uow:
        s = uow.session
        src = s.exec(sa.select(SeedPair).where(SeedPair.active_user_id == source)).scalar_one()
        dst = s.exec(sa.select(SeedPair).where(SeedPair.active_user_id == target)).scalar_one()
        seed = crypto.open_column(uow.context.keys, src, seeds.SEALED)
        crypto.seal_column(uow.context.keys, dst, seeds.SEALED, seed)
        dst.client_seed, dst.commitment = src.client_seed, src.commitment
        s.add(dst)
        uow.commit()


def test_the_active_server_seed_is_sealed_and_only_revealed_seeds_are_in_the_clear(
    casino: None, db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=5_00)
    player = Actor.player(user.id)
    seeds.seed_pair(uow, player, now)
    dice.roll(uow, player, dice.RollDice(10, "under", 5000, "x"), now)
    with db.read_engine.connect() as conn:
        row = conn.execute(sa.text("SELECT server_seed, server_seed_enc, commitment FROM seed_pairs")).one()
        dump = " ".join(str(v) for r in conn.execute(sa.text("SELECT * FROM seed_pairs")) for v in r)
    assert row[0] is None and str(row[1]).startswith("e1.")
    revealed = seeds.rotate_seed(uow, player, None, now).revealed.server_seed
    assert revealed not in dump  # the database never held it in the clear while active
    with db.read_engine.connect() as conn:
        old = conn.execute(
            sa.text("SELECT server_seed, server_seed_enc FROM seed_pairs WHERE status = 'revealed'")
        ).one()
    assert old == (revealed, None)


def test_a_bet_on_a_seed_pair_that_was_rotated_meanwhile_is_refused(
    casino: None, db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=5_00)
    player = Actor.player(user.id)
    shown = seeds.seed_pair(uow, player, now).commitment
    seeds.rotate_seed(uow, player, None, now)  # in another tab
    before = _footprint(db)
    with pytest.raises(SeedChanged):
        dice.roll(uow, player, dice.RollDice(10, "under", 5000, "stale", shown), now)
    assert _footprint(db) == before and _cash(uow, user) == 5_00


def test_a_player_must_have_been_shown_a_commitment_before_the_first_bet(
    casino: None, db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=5_00)
    with pytest.raises(NotFound):
        dice.roll(uow, Actor.player(user.id), dice.RollDice(10, "under", 5000, "first"), now)
    assert count_rows(db, "bets") == 0


@pytest.mark.parametrize(
    ("play", "error"),
    [
        (lambda u, p, n: dice.roll(u, p, dice.RollDice(1_00, "under", 9_900, "k"), n), InvalidSelection),
        (lambda u, p, n: dice.roll(u, p, dice.RollDice(1_00, "up", 5_000, "k"), n), InvalidSelection),
        (lambda u, p, n: dice.roll(u, p, dice.RollDice(5, "under", 5_000, "k"), n), InvalidAmount),
        (lambda u, p, n: dice.roll(u, p, dice.RollDice(100_01, "under", 5_000, "k"), n), InvalidAmount),
        (lambda u, p, n: dice.roll(u, p, dice.RollDice(21_00, "under", 5_000, "k"), n), InsufficientFunds),
        (
            lambda u, p, n: roulette.spin_wheel(u, p, roulette.SpinRoulette((("zigzag", 100),), "k"), n),
            InvalidSelection,
        ),
        (
            lambda u, p, n: roulette.spin_wheel(u, p, roulette.SpinRoulette((("straight:40", 100),), "k"), n),
            InvalidSelection,
        ),
        (
            lambda u, p, n: roulette.spin_wheel(
                u, p, roulette.SpinRoulette((("red", 100), ("red", 50)), "k"), n
            ),
            InvalidSelection,
        ),
        (
            lambda u, p, n: roulette.spin_wheel(
                u, p, roulette.SpinRoulette(tuple((f"straight:{i}", 10) for i in range(16)), "k"), n
            ),
            InvalidSelection,
        ),
        (
            lambda u, p, n: roulette.spin_wheel(u, p, roulette.SpinRoulette((("red", 5),), "k"), n),
            InvalidAmount,
        ),
        (lambda u, p, n: slot.spin(u, p, slot.SpinSlot(10_01, "k"), n), InvalidAmount),
        (lambda u, p, n: seeds.rotate_seed(u, p, "x" * 65, n), InvalidClientSeed),
        (lambda u, p, n: seeds.rotate_seed(u, p, "bell\x07", n), InvalidClientSeed),
    ],
    ids=[
        "dice-target",
        "dice-direction",
        "dice-below-min",
        "dice-above-max",
        "dice-above-balance",
        "roulette-type",
        "roulette-pocket",
        "roulette-overlap",
        "roulette-too-many",
        "roulette-chip",
        "slot-above-max",
        "seed-too-long",
        "seed-control-char",
    ],
)
def test_bad_input_is_a_typed_error_and_writes_nothing(
    casino: None,
    db: Database,
    uow: UnitOfWork,
    funded_player: Callable[..., UserView],
    now: datetime,
    play: Callable[[UnitOfWork, Actor, datetime], object],
    error: type[Exception],
) -> None:
    user = funded_player(amount_minor=20_00)
    player = Actor.player(user.id)
    seeds.seed_pair(uow, player, now)
    before = _footprint(db)
    with pytest.raises(error):
        play(uow, player, now)
    assert _footprint(db) == before
    assert _cash(uow, user) == 20_00 and seeds.seed_pair(uow, player, now).nonce == 0


def test_slot_spins_are_at_least_the_profile_interval_apart_on_the_server(
    casino: None, db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], clock: FixedClock
) -> None:
    """RTS 14E (GB profile): 2.5 s between spins, enforced by the server."""
    for _ in range(
        5
    ):  # a fresh player (and server seed) until a first spin without free spins (1 in 117 has them)
        player = Actor.player(funded_player(amount_minor=20_00).id)
        seeds.seed_pair(uow, player, clock.now())
        first = slot.spin(uow, player, slot.SpinSlot(10, f"s-{clock.now().timestamp()}"), clock.now())
        if first.steps == 1:
            break
        clock.advance(seconds=3)
    assert first.steps == 1
    before = _footprint(db)
    clock.advance(seconds=2.4)
    with pytest.raises(SpinTooSoon) as err:
        slot.spin(uow, player, slot.SpinSlot(10, "too-soon"), clock.now())
    assert 0 < err.value.retry_after_ms <= 100
    assert _footprint(db) == before
    clock.advance(seconds=0.1)
    second = slot.spin(uow, player, slot.SpinSlot(10, "on-time"), clock.now())
    assert second.nonce == first.nonce + 1
    _clean(uow)


def test_recall_shows_the_last_rounds_with_balances_and_verification_data(
    casino: None, uow: UnitOfWork, funded_player: Callable[..., UserView], clock: FixedClock
) -> None:
    """AGCO 13.1.1: at least the last 10 rounds, stake, outcome, win, balance before and after."""
    user = funded_player(amount_minor=30_00)
    player = Actor.player(user.id)
    seeds.seed_pair(uow, player, clock.now())
    for i in range(12):
        dice.roll(uow, player, dice.RollDice(10, "under", 5000, f"d{i}"), clock.now())
        clock.advance(seconds=1)
    rows = recall.recent_rounds(uow, player, "dice", limit=3)
    assert len(rows) == 10  # never fewer than 10
    assert [r.nonce for r in rows] == list(range(11, 1, -1))
    for newer, older in itertools.pairwise(rows):
        assert older.cash_after is not None and newer.cash_before.minor == older.cash_after.minor
    top = rows[0]
    assert top.commitment and top.client_seed and top.server_seed == "" and top.result
    assert recall.round_by_bet(uow, player, top.bet_id) == top
    other = funded_player(amount_minor=5_00)
    with pytest.raises(NotFound):
        recall.round_by_bet(uow, Actor.player(other.id), top.bet_id)


def test_a_new_dice_version_applies_to_new_rounds_only(
    casino: None, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """RTS 3: a changed paytable is a new game version."""
    from casino_app.services.games import catalog

    user = funded_player(amount_minor=10_00)
    player = Actor.player(user.id)
    seeds.seed_pair(uow, player, now)
    v1 = dice.roll(uow, player, dice.RollDice(1_00, "under", 9_800, "v1"), now)
    catalog.publish_version(
        uow,
        SYSTEM,
        catalog.GameSpec(**{**specs.DICE.__dict__, "rules": {**specs.DICE.rules, "edge": 300}}),
        now,
    )
    v2 = dice.roll(uow, player, dice.RollDice(1_00, "under", 9_800, "v2"), now)
    assert (v1.game_version, v2.game_version) == (1, 2)
    assert dice.dice_info(uow).rtp_percent == "97.00%"
    if v2.win.minor:
        assert v2.win.minor == 1_00 * 9_700 // 9_800


def test_session_position_sums_this_sessions_stakes_and_wins(
    casino: None, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """RTS 13C: net position and elapsed time while playing."""
    from casino_app.services.identity.sessions import server as sessions

    user = funded_player(amount_minor=10_00)
    with uow:
        _, session_id = sessions.open_browser_session(uow, user.id, sessions.ClientInfo("192.0.2.1"), now)
        uow.commit()
    player = Actor.player(user.id, session_id)
    seeds.seed_pair(uow, player, now)
    views = [dice.roll(uow, player, dice.RollDice(50, "over", 5000, f"p{i}"), now) for i in range(4)]
    pos = play_session.position(uow, player, now)
    assert pos.started_at == now and pos.rounds == 4 and pos.staked.minor == 2_00
    assert pos.net.minor == sum(v.win.minor for v in views) - 2_00


def test_dice_payout_rounds_down_to_a_minor_unit() -> None:
    bet = dice_rules.validate_bet(dice_rules.rules_from(specs.DICE.rules), "over", 6667)
    assert dice_rules.win_amount(dice_rules.rules_from(specs.DICE.rules), bet, 7, 9000) == 7 * 9900 // 3333


def test_an_expired_completion_window_is_the_profile_value(uow: UnitOfWork) -> None:
    assert uow.context.settings.round_completion_seconds == 86_400
    assert uow.context.settings.slot_spin_interval_ms == 2_500
    assert timedelta(seconds=uow.context.settings.round_completion_seconds) == timedelta(days=1)


def test_a_bet_on_rules_that_were_replaced_meanwhile_is_refused(
    casino: None, db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """The rules shown before the stake are the rules of the round (RTS 3)."""
    from casino_app.domain.errors import RulesChanged
    from casino_app.services.games import catalog

    user = funded_player(amount_minor=10_00)
    player = Actor.player(user.id)
    seeds.seed_pair(uow, player, now)
    shown = dice.dice_info(uow).version
    catalog.publish_version(
        uow,
        SYSTEM,
        catalog.GameSpec(**{**specs.DICE.__dict__, "rules": {**specs.DICE.rules, "edge": 200}}),
        now,
    )
    before = _footprint(db)
    with pytest.raises(RulesChanged):
        dice.roll(uow, player, dice.RollDice(1_00, "under", 5000, "old-rules", version=shown), now)
    assert _footprint(db) == before
    fresh = dice.roll(uow, player, dice.RollDice(1_00, "under", 5000, "new-rules", version=shown + 1), now)
    assert fresh.game_version == 2
