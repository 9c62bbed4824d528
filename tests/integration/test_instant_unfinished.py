"""Rounds with steps (the slot's free spins): saved before shown, resumed, settled after the window
as the better of winnings so far or a refund, voided on malfunction (RTS 5A, RTS 10, AGCO 4.21).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
import sqlalchemy as sa

from casino_app.adapters.clock import FixedClock
from casino_app.domain.errors import PermissionDenied, RoundInProgress, SpinTooSoon
from casino_app.domain.games import fairness
from casino_app.domain.games import slot as slot_rules
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import SeedPair
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.games import catalog
from casino_app.services.games.instant import seeds, slot, specs, unfinished
from casino_app.services.money import ledger
from casino_app.services.security import crypto
from tests.support import count_rows, scalar

SYSTEM = Actor.system("test")
SERVER = "f5" * 32
STEP_S = 2.5


@pytest.fixture
def casino(uow: UnitOfWork, now: datetime) -> None:
    specs.ensure_instant_games(uow, SYSTEM, now)


def _clean(uow: UnitOfWork) -> None:
    with uow.reader() as r:
        assert ledger.check_integrity(r.session) == []


def _cash(uow: UnitOfWork, user: UserView) -> int:
    with uow.reader() as r:
        return ledger.balance(r.session, ledger.player_cash_account(r.session, user.id, "EUR"))


def _triggering_client_seed(rules: slot_rules.SlotRules, base_below_stake: bool = False) -> str:
    """A client seed whose round 0 (with SERVER) starts free spins (and, if asked, pays < stake first)."""
    for i in range(20_000):
        played = slot_rules.play_round(rules, fairness.round_stream(SERVER, f"t{i}", 0))
        if played.free and (not base_below_stake or played.base.units(len(rules.lines)) < len(rules.lines)):
            return f"t{i}"
    raise AssertionError("no triggering seed found")


def _use_seed(uow: UnitOfWork, user_id: int, client_seed: str) -> None:
    """Put the player's active pair on SERVER and `client_seed` (a test-only rewrite; nonce 0)."""
    from casino_app.domain.games import rng

    with uow:
        pair = uow.session.exec(sa.select(SeedPair).where(SeedPair.active_user_id == user_id)).scalar_one()
        crypto.seal_column(uow.context.keys, pair, seeds.SEALED, SERVER)
        pair.client_seed, pair.commitment, pair.nonce = client_seed, rng.commitment(SERVER), 0
        uow.session.add(pair)
        uow.commit()


def _feature_player(
    uow: UnitOfWork,
    funded_player: Callable[..., UserView],
    now: datetime,
    rules: dict | None = None,
    **kw: bool,
) -> tuple[UserView, Actor]:
    user = funded_player(amount_minor=50_00)
    player = Actor.player(user.id)
    seeds.seed_pair(uow, player, now)
    _use_seed(uow, user.id, _triggering_client_seed(slot_rules.rules_from(rules or specs.SLOT.rules), **kw))
    return user, player


def test_free_spins_are_shown_one_by_one_at_the_pace_and_the_last_one_settles_the_round(
    casino: None, db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], clock: FixedClock
) -> None:
    user, player = _feature_player(uow, funded_player, clock.now())
    first = slot.spin(uow, player, slot.SpinSlot(1_00, "feature"), clock.now())
    assert (first.status, first.steps, first.shown, len(first.outcome["spins"])) == ("pending", 11, 1, 1)
    assert _cash(uow, user) == 50_00 - 1_00  # staked; nothing paid until the round ends
    assert scalar(db, "SELECT status FROM rounds") == "open"
    assert seeds.seed_pair(uow, player, clock.now()).open_round
    with pytest.raises(RoundInProgress):
        seeds.rotate_seed(uow, player, None, clock.now())
    with pytest.raises(SpinTooSoon):
        slot.free_spin(uow, player, 2, clock.now())
    clock.advance(seconds=STEP_S)
    with pytest.raises(RoundInProgress):
        slot.spin(uow, player, slot.SpinSlot(1_00, "another"), clock.now())
    shown = first
    for step in range(2, 12):
        shown = slot.free_spin(uow, player, step, clock.now())
        assert shown.shown == step and len(shown.outcome["spins"]) == step
        assert slot.free_spin(uow, player, step, clock.now()).shown == step  # a replayed event
        clock.advance(seconds=STEP_S)
    wins = [int(s["win"]) for s in shown.outcome["spins"]]
    assert shown.status in ("win", "lose") and shown.win.minor == sum(wins)
    assert _cash(uow, user) == 50_00 - 1_00 + sum(wins)
    assert shown.cash_after is not None and shown.cash_after.minor == _cash(uow, user)
    assert scalar(db, "SELECT status FROM rounds") == "settled"
    assert count_rows(db, "ledger_transactions", "kind = 'win'") == (1 if sum(wins) else 0)
    revealed = seeds.rotate_seed(uow, player, None, clock.now()).revealed
    derived = fairness.derive("slot", specs.SLOT.rules, revealed.server_seed, revealed.client_seed, 0)
    assert [list(s) for s in derived.stops] == [s["stops"] for s in shown.outcome["spins"]]
    _clean(uow)


def test_an_unfinished_round_resumes_and_after_the_window_pays_the_winnings_shown_so_far(
    casino: None, db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], clock: FixedClock
) -> None:
    user, player = _feature_player(uow, funded_player, clock.now())
    slot.spin(uow, player, slot.SpinSlot(1_00, "interrupted"), clock.now())
    clock.advance(seconds=STEP_S)
    slot.free_spin(uow, player, 2, clock.now())  # then the browser closes
    clock.advance(seconds=3600)
    resumed = unfinished.unfinished_round(uow, player, specs.SLOT_CODE, clock.now())
    assert resumed is not None and (resumed.status, resumed.shown) == ("pending", 2)
    window = uow.context.settings.round_completion_seconds
    clock.advance(seconds=window)
    settled = unfinished.unfinished_round(uow, player, specs.SLOT_CODE, clock.now())
    assert settled is not None and settled.notice
    so_far = sum(int(s["win"]) for s in settled.outcome["spins"][:2])
    assert so_far > 1_00  # three stars pay twice the stake on their own
    assert (settled.status, settled.win.minor, settled.shown) == ("win", so_far, 2)
    assert _cash(uow, user) == 50_00 - 1_00 + so_far
    assert unfinished.unfinished_round(uow, player, specs.SLOT_CODE, clock.now()) is None
    seeds.rotate_seed(uow, player, None, clock.now())  # no open round any more
    _clean(uow)


def test_after_the_window_a_round_that_had_won_less_than_the_stake_refunds_the_stake(
    casino: None, db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], clock: FixedClock
) -> None:
    """A version whose stars pay nothing themselves; the open round keeps the version it started with."""
    rules = {**specs.SLOT.rules, "scatter_pays": {}}
    catalog.publish_version(
        uow, SYSTEM, catalog.GameSpec(**{**specs.SLOT.__dict__, "rules": rules}), clock.now()
    )
    user, player = _feature_player(uow, funded_player, clock.now(), rules, base_below_stake=True)
    first = slot.spin(uow, player, slot.SpinSlot(1_00, "refund"), clock.now())
    assert first.game_version == 2 and first.win.minor < 1_00
    catalog.publish_version(uow, SYSTEM, catalog.GameSpec(**{**specs.SLOT.__dict__}), clock.now())
    clock.advance(seconds=uow.context.settings.round_completion_seconds + 1)
    assert unfinished.settle_expired(uow, SYSTEM, clock.now()) == 1
    assert unfinished.settle_expired(uow, SYSTEM, clock.now()) == 0
    assert _cash(uow, user) == 50_00  # the stake came back
    assert scalar(
        db, "SELECT status || ':' || CAST(win AS TEXT) || ':' || CAST(game_version AS TEXT) FROM bets"
    ) == ("push:100:2")
    _clean(uow)


def test_a_round_whose_saved_state_is_corrupt_is_voided_and_the_stake_refunded_by_reversal(
    casino: None, db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], clock: FixedClock
) -> None:
    """RTS 5A: a malfunction voids the round and refunds the stake by a reversing posting."""
    user, player = _feature_player(uow, funded_player, clock.now())
    slot.spin(uow, player, slot.SpinSlot(2_00, "broken"), clock.now())
    with db.write_engine.begin() as conn:
        conn.execute(sa.text('UPDATE instant_rounds SET outcome = \'{"step_wins": "garbled"}\''))
    clock.advance(seconds=STEP_S)
    voided = slot.free_spin(uow, player, 2, clock.now())
    assert voided.status == "void" and voided.notice
    assert _cash(uow, user) == 50_00
    assert count_rows(db, "ledger_transactions", "kind = 'reversal'") == 1
    assert scalar(db, "SELECT status FROM rounds") == "void"
    assert count_rows(db, "audit_log", "action = 'round.void'") == 1
    seeds.rotate_seed(uow, player, None, clock.now())
    _clean(uow)


def test_risk_can_declare_a_malfunction_on_an_open_round_and_support_cannot(
    casino: None, db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], clock: FixedClock
) -> None:
    user, player = _feature_player(uow, funded_player, clock.now())
    view = slot.spin(uow, player, slot.SpinSlot(1_00, "declared"), clock.now())
    with pytest.raises(PermissionDenied):
        unfinished.declare_malfunction(
            uow, Actor.operator(7, "support"), view.bet_id, "reels froze", clock.now()
        )
    voided = unfinished.declare_malfunction(
        uow, Actor.operator(8, "risk_compliance"), view.bet_id, "reels froze", clock.now()
    )
    assert voided.status == "void" and _cash(uow, user) == 50_00
    details = scalar(db, "SELECT details FROM audit_log WHERE action = 'round.void'")
    assert "reels froze" in str(details)
    _clean(uow)
