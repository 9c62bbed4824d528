"""The game-neutral bet engine: stake, settle and void, and the pre-debit check registry.

An "instant" game here is a coin flip that the test decides; the engine knows nothing of it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import event

from casino_app.domain.errors import (
    BetAlreadySettled,
    CurrencyMismatch,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidAmount,
    InvalidInput,
    InvalidTransition,
    LimitExceeded,
    NotFound,
    PermissionDenied,
    RoundClosed,
)
from casino_app.domain.games.checks import PLAYER, PLAYER_MAY_BET, PlayerFacts, StakeCheck, StakeFacts
from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.vocabulary import AccountKind
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.games import catalog, engine
from casino_app.services.games.catalog import GameFacts, GameSpec
from casino_app.services.games.engine import rounds, settlement
from casino_app.services.money import ledger
from tests.support import count_rows, make_wiring, scalar

SYSTEM = Actor.system("test")
RISK = Actor.operator(900, "risk_compliance")
FLIP = GameSpec("flip", "Coin flip", GameKind.INSTANT, "EUR", {"pays": 2}, 10, 100_00)


def _game(uow: UnitOfWork, now: datetime, spec: GameSpec = FLIP) -> GameFacts:
    return catalog.ensure_game(uow, SYSTEM, spec, now)


def _round(uow: UnitOfWork, game: GameFacts, now: datetime) -> int:
    with uow:
        round_id = rounds.open_round_in(uow, game, now)
        uow.commit()
    return round_id


def _stake(
    game: GameFacts, round_id: int, amount: int = 1_00, key: str = "k1", side: str = "heads"
) -> engine.Stake:
    return engine.Stake(game, round_id, amount, side, key, {"side": side, "amount": amount})


def _balances(uow: UnitOfWork, user: UserView) -> tuple[int, int]:
    with uow.reader() as r:
        ids = ledger.ensure_accounts(
            r.session,
            [(AccountKind.PLAYER_CASH, "EUR", user.id, 0), (AccountKind.PLAYER_BONUS, "EUR", user.id, 0)],
        )
        cash = ledger.balance(r.session, ids[ledger.account_code(AccountKind.PLAYER_CASH, "EUR", user.id)])
        bonus = ledger.balance(r.session, ids[ledger.account_code(AccountKind.PLAYER_BONUS, "EUR", user.id)])
    return cash, bonus


def _grant_bonus(uow: UnitOfWork, user: UserView, amount: int, now: datetime) -> None:
    with uow:
        s = uow.session
        expense = ledger.ensure_account(s, kind=AccountKind.BONUS_EXPENSE, currency="EUR", owner="house")
        bonus = ledger.ensure_account(s, kind=AccountKind.PLAYER_BONUS, currency="EUR", owner=user.id)
        ledger.post(
            s,
            kind="bonus_grant",
            idempotency_key=f"bonus:{user.id}:{amount}",
            request={"user": user.id},
            postings=[ledger.Posting(expense, -amount), ledger.Posting(bonus, amount)],
            currency="EUR",
            now=now,
        )
        uow.commit()


def _clean(uow: UnitOfWork) -> None:
    with uow.reader() as r:
        assert ledger.check_integrity(r.session) == []


def _play(
    uow: UnitOfWork,
    user: UserView,
    game: GameFacts,
    now: datetime,
    outcome: settlement.Outcome,
    amount: int = 1_00,
) -> tuple[engine.PlacedStake, settlement.SettledBet]:
    """An instant round: open, stake, decide, settle and finish in one transaction."""
    with uow:
        round_id = rounds.open_round_in(uow, game, now)
        request = _stake(game, round_id, amount, f"play-{round_id}")
        placed = engine.place_stake_in(uow, Actor.player(user.id), request, now)
        bet = settlement.placed_bet(request, placed, user.id)
        assert settlement.pending_bets(uow.session, round_id) == [bet]
        (settled,) = settlement.settle_in(uow, [(bet, outcome)], now)
        rounds.finish_round_in(uow, round_id, "heads", now)
        uow.commit()
    return placed, settled


def test_an_instant_round_stakes_and_settles_in_one_transaction_and_splits_the_win_as_funded(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """Wallet rule: stakes are funded cash first; wins split in the stake's proportion."""
    game = _game(uow, now)
    user = funded_player(amount_minor=6_00)
    _grant_bonus(uow, user, 4_00, now)
    placed, settled = _play(uow, user, game, now, settlement.Outcome(win=20_00, result="heads"), 10_00)
    assert (placed.stake_cash, placed.stake_bonus) == (6_00, 4_00)
    assert (settled.status, settled.win, settled.win_bonus) == ("win", 20_00, 8_00)
    assert _balances(uow, user) == (12_00, 8_00)
    row = scalar(db, "SELECT status || ':' || result || ':' || CAST(win_bonus AS TEXT) FROM bets")
    assert row == "win:heads:800"
    assert scalar(db, "SELECT status FROM rounds") == "settled"
    _clean(uow)


def test_a_failure_before_the_commit_leaves_no_stake_no_bet_and_no_round(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    game = _game(uow, now)
    user = funded_player(amount_minor=10_00)
    with pytest.raises(InvalidInput), uow:
        round_id = rounds.open_round_in(uow, game, now)
        engine.place_stake_in(uow, Actor.player(user.id), _stake(game, round_id), now)
        (bet,) = settlement.pending_bets(uow.session, round_id)
        settlement.settle_in(uow, [(bet, settlement.Outcome(win=-1))], now)
    assert (count_rows(db, "bets"), count_rows(db, "rounds")) == (0, 0)
    assert count_rows(db, "ledger_transactions", "kind IN ('stake', 'win')") == 0
    assert _balances(uow, user) == (10_00, 0)


def test_a_push_gives_the_stake_back_and_a_loss_pays_nothing(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    game = _game(uow, now)
    user = funded_player(amount_minor=10_00)
    _, push = _play(uow, user, game, now, settlement.Outcome(win=1_00, push=True))
    _, lose = _play(uow, user, game, now, settlement.Outcome())
    assert (push.status, push.win, lose.status, lose.win) == ("push", 1_00, "lose", 0)
    assert _balances(uow, user) == (9_00, 0)
    _clean(uow)


def test_settling_a_round_is_set_based_and_pays_each_bet_once(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """A batch costs the same number of statements whatever its size; a second pass pays nothing.

    A win funded by cash touches no bonus account, so none is created (or looked for)."""
    game = _game(uow, now)
    players = [funded_player(amount_minor=10_00) for _ in range(3)]
    counts = []
    for size in (6, 30, 60):
        round_id = _round(uow, game, now)
        for i in range(size):
            user = players[i % 3]
            engine.place_stake(
                uow, Actor.player(user.id), _stake(game, round_id, 10, f"r{round_id}-{i}"), now
            )
        statements: list[str] = []

        def listener(*args: object, seen: list[str] = statements) -> None:
            seen.append(str(args[2]))

        event.listen(db.write_engine, "before_cursor_execute", listener)
        paid = settlement.settle_round(
            uow, SYSTEM, round_id, lambda bet: settlement.Outcome(win=bet.stake * 2), now
        )
        event.remove(db.write_engine, "before_cursor_execute", listener)
        counts.append(len(statements))
        assert paid == size
        assert settlement.settle_round(uow, SYSTEM, round_id, lambda bet: settlement.Outcome(win=1), now) == 0
    assert counts[0] == counts[1] == counts[2]
    assert count_rows(db, "ledger_transactions", "kind = 'win'") == 96
    assert sum(_balances(uow, p)[0] for p in players) == 30_00 + 96 * 10
    _clean(uow)


def test_void_refunds_a_pending_bet_by_a_reversing_posting_and_refuses_a_settled_one(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """Games rule (RTS 5A): a malfunction voids the round and refunds the stake by a reversing posting."""
    game = _game(uow, now)
    user = funded_player(amount_minor=10_00)
    round_id = _round(uow, game, now)
    placed = engine.place_stake(uow, Actor.player(user.id), _stake(game, round_id, 3_00), now)
    assert _balances(uow, user) == (7_00, 0)
    voided = settlement.void_bet(uow, RISK, placed.bet_id, "reel malfunction", now)
    assert voided.status == "void"
    assert _balances(uow, user) == (10_00, 0)
    assert (
        count_rows(db, "ledger_transactions", f"kind = 'reversal' AND reverses_id = {placed.transaction_id}")
        == 1
    )
    assert count_rows(db, "audit_log", "action = 'bet.void'") == 1
    with pytest.raises(BetAlreadySettled):
        settlement.void_bet(uow, RISK, placed.bet_id, "again", now)
    with pytest.raises(PermissionDenied):
        settlement.void_bet(uow, Actor.operator(901, "support"), placed.bet_id, "not mine", now)
    _clean(uow)


def test_voiding_a_round_refunds_every_pending_bet_and_a_settled_round_cannot_be_voided(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    game = _game(uow, now)
    alice, bob = funded_player(amount_minor=5_00), funded_player(amount_minor=5_00)
    round_id = _round(uow, game, now)
    for i, user in enumerate((alice, bob, alice)):
        engine.place_stake(uow, Actor.player(user.id), _stake(game, round_id, 1_00, f"v{i}"), now)
    assert settlement.void_round(uow, RISK, round_id, "draw machine failure", now) == 3
    assert (_balances(uow, alice), _balances(uow, bob)) == ((5_00, 0), (5_00, 0))
    assert scalar(db, "SELECT status FROM rounds") == "void"
    with pytest.raises(RoundClosed):
        engine.place_stake(uow, Actor.player(alice.id), _stake(game, round_id, 1_00, "late"), now)
    _, _ = _play(uow, alice, game, now, settlement.Outcome())
    settled_round = int(scalar(db, "SELECT MAX(id) FROM rounds"))  # type: ignore[call-overload]
    with pytest.raises(InvalidTransition):
        settlement.void_round(uow, RISK, settled_round, "too late", now)
    _clean(uow)


@pytest.mark.parametrize(
    ("amount", "error"),
    [(0, InvalidAmount), (9, InvalidAmount), (100_01, InvalidAmount), (20_01, InsufficientFunds)],
    ids=["zero", "below-minimum", "above-maximum", "above-balance"],
)
def test_a_bad_stake_is_refused_with_a_typed_error_and_writes_nothing(
    db: Database,
    uow: UnitOfWork,
    funded_player: Callable[..., UserView],
    now: datetime,
    amount: int,
    error: type[Exception],
) -> None:
    game = _game(uow, now)
    user = funded_player(amount_minor=20_00)
    round_id = _round(uow, game, now)
    with pytest.raises(error):
        engine.place_stake(uow, Actor.player(user.id), _stake(game, round_id, amount), now)
    assert count_rows(db, "bets") == 0
    assert _balances(uow, user) == (20_00, 0)


def test_unknown_closed_and_foreign_rounds_and_reused_keys_are_refused(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    game = _game(uow, now)
    other = _game(uow, now, GameSpec("flip2", "Coin flip 2", GameKind.INSTANT, "EUR", {}, 10, 100_00))
    user = funded_player(amount_minor=20_00)
    player = Actor.player(user.id)
    with pytest.raises(NotFound):
        engine.place_stake(uow, player, _stake(game, 999_999), now)
    foreign = _round(uow, other, now)
    with pytest.raises(NotFound):
        engine.place_stake(uow, player, _stake(game, foreign), now)
    round_id = _round(uow, game, now)
    engine.place_stake(uow, player, _stake(game, round_id, 1_00, "same"), now)
    with pytest.raises(IdempotencyConflict):
        engine.place_stake(uow, player, _stake(game, round_id, 2_00, "same"), now)
    replay = engine.place_stake(uow, player, _stake(game, round_id, 1_00, "same"), now)
    assert replay.replayed and count_rows(db, "bets") == 1
    with pytest.raises(InvalidInput):
        engine.place_stake(uow, player, _stake(game, round_id, 1_00, ""), now)
    _clean(uow)


def test_a_stake_in_a_currency_the_player_has_no_wallet_in_is_a_currency_mismatch(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    game = _game(uow, now, GameSpec("flip_pln", "Rzut monetą", GameKind.INSTANT, "PLN", {}, 10, 100_00))
    user = funded_player(amount_minor=20_00)
    with uow:
        ledger.ensure_accounts(uow.session, [(AccountKind.HOUSE_REVENUE, "PLN", "flip_pln", 0)])
        uow.commit()
    with pytest.raises(CurrencyMismatch):
        engine.place_stake(uow, Actor.player(user.id), _stake(game, _round(uow, game, now)), now)
    assert count_rows(db, "bets") == 0


@pytest.mark.parametrize("actor", [Actor.operator(5, "admin"), Actor.anonymous(), Actor.system()])
def test_only_a_player_can_stake_and_a_refusal_is_audited(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime, actor: Actor
) -> None:
    game = _game(uow, now)
    funded_player(amount_minor=20_00)
    with pytest.raises(PermissionDenied):
        engine.place_stake(uow, actor, _stake(game, _round(uow, game, now)), now)
    assert count_rows(db, "audit_log", "action = 'authz.denied'") == 1
    assert count_rows(db, "bets") == 0


def _refuse_above(limit: int) -> StakeCheck:
    def check(facts: StakeFacts) -> None:
        player = facts.fact(PLAYER, PlayerFacts)
        assert player.user_id == facts.user_id
        if facts.stake > limit:
            raise LimitExceeded(f"Your limit allows {limit} per bet.")

    return StakeCheck("test_limit", check, frozenset({PLAYER}))


def test_a_check_that_needs_facts_runs_inside_the_stake_transaction_and_refuses_before_any_debit(
    db: Database, funded_player: Callable[..., UserView], now: datetime
) -> None:
    base = make_wiring(db)
    wiring = make_wiring(db, stake_checks=base.stake_checks.plus(PLAYER_MAY_BET, _refuse_above(2_00)))
    uow = wiring.uow()
    game = _game(uow, now)
    user = funded_player(amount_minor=20_00)
    round_id = _round(uow, game, now)
    with pytest.raises(LimitExceeded):
        engine.place_stake(uow, Actor.player(user.id), _stake(game, round_id, 2_01, "big"), now)
    assert count_rows(db, "bets") == 0 and _balances(uow, user) == (20_00, 0)
    placed = engine.place_stake(uow, Actor.player(user.id), _stake(game, round_id, 2_00, "ok"), now)
    assert not placed.replayed and _balances(uow, user) == (18_00, 0)


def test_a_replay_returns_the_stored_bet_even_when_the_checks_would_now_refuse(
    db: Database, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """Idempotency first: the same request is answered the same way after a limit is lowered."""
    user = funded_player(amount_minor=20_00)
    loose = make_wiring(db, stake_checks=make_wiring(db).stake_checks.plus(_refuse_above(5_00)))
    game = _game(loose.uow(), now)
    round_id = _round(loose.uow(), game, now)
    first = engine.place_stake(loose.uow(), Actor.player(user.id), _stake(game, round_id, 3_00, "once"), now)
    strict = make_wiring(db, stake_checks=make_wiring(db).stake_checks.plus(_refuse_above(1_00)))
    again = engine.place_stake(strict.uow(), Actor.player(user.id), _stake(game, round_id, 3_00, "once"), now)
    assert again.replayed and again.bet_id == first.bet_id
    assert count_rows(db, "bets") == 1


def test_the_default_registry_needs_no_database_facts_so_a_stake_stays_one_statement() -> None:
    from casino_app.domain.games.checks import default_checks

    assert default_checks().needs == frozenset()
    assert PLAYER_MAY_BET.needs == {PLAYER}


def test_a_game_version_is_immutable_and_open_rounds_keep_theirs(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """Games rule (RTS 5A): a changed paytable is a new version; open rounds settle under theirs."""
    v1 = _game(uow, now)
    round_v1 = _round(uow, v1, now)
    v2 = catalog.publish_version(uow, SYSTEM, GameSpec(**{**FLIP.__dict__, "rules": {"pays": 3}}), now)
    assert (v1.version, v2.version, catalog.game_facts(uow, "flip").rules) == (1, 2, {"pays": 3})
    assert catalog.game_facts(uow, "flip", 1).rules == {"pays": 2}
    user = funded_player(amount_minor=10_00)
    engine.place_stake(uow, Actor.player(user.id), _stake(v2, round_v1, 1_00, "old-round"), now)
    assert scalar(db, "SELECT game_version FROM bets") == 1
