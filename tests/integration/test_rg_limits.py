"""Responsible-gaming limits (docs/RESPONSIBLE_GAMING.md), clock-controlled, one rule per test.

Players register in Malta (the MT profile: a 24-hour cooling-off, 7 days to confirm).
Bets are instant rounds of a coin flip the test decides, through the bet engine's checks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from casino_app.adapters.sandbox_payments import APPROVE_TOKEN
from casino_app.bootstrap import Wiring
from casino_app.domain.errors import InvalidInput, LimitExceeded
from casino_app.domain.games.vocabulary import GameKind
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.compliance.rg.dto import ImposeLimit, LiftLimit, LimitsOverview, SetLimit
from casino_app.services.compliance.rg.limits import imposed, usage
from casino_app.services.compliance.rg.limits import setting as limits
from casino_app.services.dto import UserView
from casino_app.services.games import catalog, engine
from casino_app.services.games.catalog import GameFacts, GameSpec
from casino_app.services.games.engine import rounds, settlement
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.payments.deposits import deposits
from casino_app.services.payments.withdrawals import withdrawals
from tests.support import confirm_email, count_rows, scalar

FLIP = GameSpec("flip", "Coin flip", GameKind.INSTANT, "EUR", {"pays": 2}, 10, 100_00)
RISK = Actor.operator(900, "risk_compliance")


def _play(uow: UnitOfWork, user_id: int, game: GameFacts, stake: int, win: int, now: datetime) -> None:
    """One instant round: stake, settle with `win`, in one transaction (the engine's checks run)."""
    with uow:
        round_id = rounds.open_round_in(uow, game, now)
        request = engine.Stake(game, round_id, stake, "heads", f"play-{round_id}", {"amount": stake})
        placed = engine.place_stake_in(uow, Actor.player(user_id), request, now)
        bet = settlement.placed_bet(request, placed, user_id)
        settlement.settle_in(uow, [(bet, settlement.Outcome(win=win))], now)
        rounds.finish_round_in(uow, round_id, "heads", now)
        uow.commit()


def _line(overview: LimitsOverview, kind: str, period: str) -> tuple[int | None, int, int | None]:
    """(limit in force, used, remaining) of one money limit, in minor units."""
    line = next(x for x in overview.lines if (x.kind, x.period) == (kind, period))
    in_force = line.in_force.minor if line.in_force else None
    remaining = line.remaining.minor if line.remaining else None
    return in_force, line.used.minor, remaining


def stepped_up_player(uow: UnitOfWork, user_id: int, now: datetime) -> Actor:
    """The player in a browser session that confirmed their password just now (withdrawals need it)."""
    with uow:
        _, session_id = sessions.open_browser_session(
            uow, user_id, sessions.ClientInfo("192.0.2.7"), now, step_up=True
        )
        uow.commit()
    return Actor.player(user_id, session_id)


def _deposit(uow: UnitOfWork, user: UserView, amount: int, order: str, now: datetime) -> None:
    deposits.deposit(uow, Actor.player(user.id), deposits.Deposit(order, amount, "EUR", APPROVE_TOKEN), now)


def test_a_decrease_requested_at_t0_applies_at_t0(
    uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=100_00)
    me = Actor.player(user.id)
    first = limits.set_limit(uow, me, SetLimit("deposit", "day", 200_00), now)
    lower = limits.set_limit(uow, me, SetLimit("deposit", "day", 120_00), now)
    assert (first.status, lower.status) == ("applied", "applied")
    assert lower.effective_at == now
    assert _line(usage.my_limits(uow, me, now), "deposit", "day") == (120_00, 100_00, 20_00)
    with pytest.raises(LimitExceeded, match="deposit limit"):
        _deposit(uow, user, 21_00, "over", now)
    _deposit(uow, user, 20_00, "fits", now)


def test_a_raise_requested_at_t0_leaves_the_old_limit_at_t0_plus_23_59_and_after_24h_until_confirmed(
    uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player(amount_minor=10_00)
    me = Actor.player(user.id)
    limits.set_limit(uow, me, SetLimit("deposit", "day", 50_00), now)
    raise_ = limits.set_limit(uow, me, SetLimit("deposit", "day", 500_00), now)
    assert raise_.status == "pending" and raise_.effective_at == now + timedelta(hours=24)
    almost = now + timedelta(hours=23, minutes=59)
    with pytest.raises(InvalidInput, match="cooling-off"):
        limits.confirm_raise(uow, me, raise_.id, almost)
    assert _line(usage.my_limits(uow, me, almost), "deposit", "day")[0] == 50_00
    later = now + timedelta(hours=25)  # the cooling-off is over; the 10.00 of t0 is out of the window
    assert _line(usage.my_limits(uow, me, later), "deposit", "day")[0] == 50_00
    with pytest.raises(LimitExceeded):
        _deposit(uow, user, 60_00, "before-confirm", later)
    confirmed = limits.confirm_raise(uow, me, raise_.id, later)
    assert (confirmed.status, confirmed.confirmed_at) == ("confirmed", later)
    _deposit(uow, user, 60_00, "after-confirm", later)
    assert _line(usage.my_limits(uow, me, later), "deposit", "day") == (500_00, 60_00, 440_00)


def test_an_unconfirmed_raise_expires_and_the_old_limit_stays(
    uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime, wiring: Wiring
) -> None:
    user = funded_player()
    me = Actor.player(user.id)
    limits.set_limit(uow, me, SetLimit("loss", "week", 30_00), now)
    removal = limits.set_limit(uow, me, SetLimit("loss", "week", None), now)
    after_window = now + timedelta(hours=24) + timedelta(days=7)
    assert limits.expire_raises(uow, Actor.system("rg-job"), after_window - timedelta(seconds=1)) == 0
    assert limits.expire_raises(uow, Actor.system("rg-job"), after_window) == 1
    with pytest.raises(InvalidInput, match="already expired"):
        limits.confirm_raise(uow, me, removal.id, after_window)
    assert _line(usage.my_limits(uow, me, after_window), "loss", "week")[0] == 30_00
    events = [e for e in wiring.events.events if e.name == "limit.changed"]  # type: ignore[attr-defined]
    assert [e.data["status"] for e in events] == ["applied", "pending", "expired"]


def test_stake_10_and_win_8_count_as_a_loss_of_2(
    uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player()
    me = Actor.player(user.id)
    game = catalog.ensure_game(uow, Actor.system("test"), FLIP, now)
    limits.set_limit(uow, me, SetLimit("loss", "day", 10_00), now)
    _play(uow, user.id, game, 10_00, 8_00, now)
    overview = usage.my_limits(uow, me, now)
    assert _line(overview, "loss", "day") == (10_00, 2_00, 8_00)
    with pytest.raises(LimitExceeded, match="loss limit"):
        _play(uow, user.id, game, 8_01, 0, now)
    _play(uow, user.id, game, 8_00, 0, now)
    assert _line(usage.my_limits(uow, me, now), "loss", "day") == (10_00, 10_00, 0)


def test_a_wager_limit_counts_stakes_whatever_was_won(
    uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player()
    me = Actor.player(user.id)
    game = catalog.ensure_game(uow, Actor.system("test"), FLIP, now)
    limits.set_limit(uow, me, SetLimit("wager", "day", 15_00), now)
    _play(uow, user.id, game, 10_00, 20_00, now)
    with pytest.raises(LimitExceeded, match="wager limit"):
        _play(uow, user.id, game, 5_01, 0, now)
    assert _line(usage.my_limits(uow, me, now), "wager", "day") == (15_00, 10_00, 5_00)


def test_the_lowest_limit_applies_across_periods(
    uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player()
    me = Actor.player(user.id)
    game = catalog.ensure_game(uow, Actor.system("test"), FLIP, now)
    limits.set_limit(uow, me, SetLimit("loss", "day", 50_00), now)
    limits.set_limit(uow, me, SetLimit("loss", "month", 5_00), now)
    with pytest.raises(LimitExceeded, match="per 30 days"):
        _play(uow, user.id, game, 6_00, 0, now)


def test_deposit_100_withdraw_50_deposit_10_on_a_100_deposit_limit_is_refused(
    db: Database, uow: UnitOfWork, register: Callable[..., UserView], now: datetime
) -> None:
    user = register("gross@example.com")
    confirm_email(uow, user.id, now)
    limits.set_limit(uow, Actor.player(user.id), SetLimit("deposit", "day", 100_00), now)
    _deposit(uow, user, 100_00, "d-1", now)
    withdrawals.request_withdrawal(uow, stepped_up_player(uow, user.id, now), 50_00, "w-1", now)
    with pytest.raises(LimitExceeded, match="deposit limit"):
        _deposit(uow, user, 10_00, "d-2", now)
    assert count_rows(db, "payments", "order_id = 'd-2'") == 0  # refused before the provider


def test_an_operator_imposes_a_stricter_limit_but_never_raises_a_players_own(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player()
    me = Actor.player(user.id)
    limits.set_limit(uow, me, SetLimit("deposit", "week", 300_00), now)
    imposed = limits.impose_limit(
        uow, RISK, user.id, ImposeLimit("deposit", "week", 200_00, "loss chasing"), now
    )
    assert (imposed.source, imposed.status) == ("operator", "applied")
    with pytest.raises(InvalidInput, match="stricter"):
        limits.impose_limit(uow, RISK, user.id, ImposeLimit("deposit", "week", 400_00, "player asked"), now)
    with pytest.raises(InvalidInput, match="reason"):
        limits.impose_limit(uow, RISK, user.id, ImposeLimit("deposit", "week", 100_00, " "), now)
    overview = usage.my_limits(uow, me, now)
    line = next(x for x in overview.lines if (x.kind, x.period) == ("deposit", "week"))
    assert (line.own.minor if line.own else None, line.in_force.minor if line.in_force else None) == (
        300_00,
        200_00,
    )
    assert scalar(db, "SELECT amount FROM rg_limits WHERE source = 'player' AND kind = 'deposit'") == 300_00


def test_an_operator_lifts_an_imposed_limit_with_a_reason_and_the_players_own_stays(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player()
    me = Actor.player(user.id)
    limits.set_limit(uow, me, SetLimit("deposit", "week", 300_00), now)
    limits.impose_limit(uow, RISK, user.id, ImposeLimit("deposit", "week", 200_00, "loss chasing"), now)
    with pytest.raises(InvalidInput, match="reason"):
        imposed.lift_imposed_limit(uow, RISK, user.id, LiftLimit("deposit", "week", ""), now)
    with pytest.raises(InvalidInput, match="no imposed limit"):
        imposed.lift_imposed_limit(uow, RISK, user.id, LiftLimit("loss", "day", "appeal upheld"), now)

    lifted = imposed.lift_imposed_limit(
        uow, RISK, user.id, LiftLimit("deposit", "week", "appeal upheld"), now
    )

    assert (lifted.source, lifted.status) == ("operator", "applied")
    line = next(x for x in usage.my_limits(uow, me, now).lines if (x.kind, x.period) == ("deposit", "week"))
    assert line.in_force is not None and line.in_force.minor == 300_00  # the player's own limit, untouched
    assert scalar(db, "SELECT COUNT(*) FROM rg_limits WHERE source = 'operator'") == 0
    assert scalar(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'rg.limit_lifted'") == 1


def test_every_limit_change_is_audited_in_its_transaction(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    user = funded_player()
    me = Actor.player(user.id)
    change = limits.set_limit(uow, me, SetLimit("session", "session", 60), now)
    limits.set_limit(uow, me, SetLimit("session", "session", 120), now)
    limits.cancel_raise(uow, me, change.id + 1, now)
    actions = scalar(db, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'rg.limit%'")
    assert actions == 3
    with pytest.raises(InvalidInput):
        limits.set_limit(uow, me, SetLimit("session", "session", 61), now)  # not an offered length
    with pytest.raises(InvalidInput):
        limits.set_limit(uow, me, SetLimit("loss", "fortnight", 10_00), now)
    assert scalar(db, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'rg.limit%'") == 3
    assert count_rows(db, "rg_limit_changes") == 2
