"""Operator dashboard: operators only; GGR = real-money stakes - real-money wins; liability = player funds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from casino_app.domain.errors import PermissionDenied
from casino_app.domain.games import lotto as rules
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.backoffice import reports
from casino_app.services.dto import UserView
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.identity.sessions.server import ClientInfo
from casino_app.services.money import transfers
from casino_app.services.payments.withdrawals import withdrawals
from tests.support import count_rows

ADMIN = Actor.operator(900, "admin")


@pytest.mark.parametrize(
    "actor", [Actor.player(1), Actor.anonymous(), Actor(7, "unknown")], ids=["player", "anonymous", "unknown"]
)
def test_dashboard_is_refused_to_non_operators_and_the_refusal_audited(
    db: Database, uow: UnitOfWork, actor: Actor
) -> None:
    with pytest.raises(PermissionDenied):
        reports.dashboard_totals(uow, actor)
    assert count_rows(db, "audit_log", "action = 'authz.denied'") == 1


def _buy(
    uow: UnitOfWork, user: UserView, game: str, selection: list[int], stake: int, key: str, now: datetime
) -> None:
    cmd = lotto.PlaceLottoTicket(game, tuple(selection), stake, key)
    lotto.place_lotto_ticket(uow, Actor.player(user.id), cmd, now)


def test_dashboard_totals_match_the_tickets_bought_and_won(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    winning = [4, 9, 17, 23, 31]  # numbers cannot be known before sales close: fix them here
    monkeypatch.setattr(rules, "draw_numbers", lambda *_: list(winning))
    losing = [n for n in range(1, 36) if n not in winning][:5]
    alice, bob = funded_player(amount_minor=50_00), funded_player(amount_minor=20_00)
    for i, (user, selection, stake) in enumerate(
        [(alice, winning, 2_00), (alice, losing, 3_00), (bob, losing, 5_00)]
    ):
        _buy(uow, user, "quick535", selection, stake, f"bet-{i}", now)
    _buy(uow, bob, "lotto649", [1, 2, 3, 4, 5, 6], 1_00, "bet-x", now)
    draws.run_draw_now(uow, ADMIN, "quick535", now)

    totals = reports.dashboard_totals(uow, ADMIN, "EUR")

    stakes, wins = 2_00 + 3_00 + 5_00 + 1_00, 20_000_00 + 1_50  # the jackpot: seed + 15% of its stakes
    assert (totals.stakes.minor, totals.wins.minor) == (stakes, wins)
    assert totals.ggr.minor == stakes - wins
    assert totals.ggr.text == "-€19,990.50"
    assert (totals.bets, totals.players, totals.deposits.minor) == (4, 2, 70_00)
    assert totals.player_liability.minor == 70_00 - stakes + wins
    assert (
        totals.open_rounds == count_rows(db, "rounds", "status = 'open'") >= 2
    )  # several draws sell at once


def test_player_liability_includes_money_on_withdrawal_hold(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView], now: datetime
) -> None:
    """Deposit 100, request a 40 withdrawal: the platform still owes 100 until the 40 is paid."""
    user = funded_player(amount_minor=100_00)
    with uow:
        _, session_id = sessions.open_browser_session(
            uow, user.id, ClientInfo("192.0.2.1"), now, step_up=True
        )
        uow.commit()
    withdrawals.request_withdrawal(uow, Actor.player(user.id, session_id), 40_00, "w-1", now)
    assert reports.dashboard_totals(uow, ADMIN).player_liability.minor == 100_00


def test_ggr_leaves_out_the_bonus_funded_part_of_stakes(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    """Reporting rule: GGR = real-money stakes - real-money wins."""
    user = funded_player(amount_minor=5_00)
    transfers.grant_bonus(uow, Actor.system(), user.id, 5_00, "EUR", "bonus-1", now)
    _buy(uow, user, "lotto649", [1, 2, 3, 4, 5, 6], 8_00, "mixed", now)
    totals = reports.dashboard_totals(uow, ADMIN)
    assert (totals.stakes.minor, totals.ggr.minor) == (5_00, 5_00)


def test_every_operator_role_sees_the_same_totals(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView]
) -> None:
    funded_player(amount_minor=12_34)
    seen = {
        reports.dashboard_totals(uow, Actor.operator(1, role)) for role in ("support", "finance", "admin")
    }
    assert len(seen) == 1
    (totals,) = seen
    assert (totals.deposits.minor, totals.stakes.minor, totals.ggr.minor) == (12_34, 0, 0)
