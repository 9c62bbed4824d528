"""Operator dashboard: operators only; GGR = real-money stakes - real-money wins."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from casino_app.domain.errors import PermissionDenied
from casino_app.domain.games import lotto as rules
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Draw
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.backoffice import reports
from casino_app.services.backoffice.seed import GAMES
from casino_app.services.dto import UserView
from casino_app.services.games import draws, lotto
from tests.support import SALES_CLOSE_S

Q535 = lotto.game_rules(next(g for g in GAMES if g.code == "quick535"))


@pytest.mark.parametrize("role", ["player", None, "unknown"])
def test_dashboard_is_refused_to_non_operators(db: Database, uow: UnitOfWork, role: str | None) -> None:
    with pytest.raises(PermissionDenied):
        reports.dashboard_totals(uow, role)


def test_dashboard_totals_match_the_tickets_bought_and_won(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Draw],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    draw = games["quick535"]
    winning = rules.draw_numbers(Q535, draw.server_seed, draw.code)
    losing = [n for n in range(1, 36) if n not in winning][:5]
    alice, bob = funded_player(amount_minor=50_00), funded_player(amount_minor=20_00)
    bets = [(alice, winning, 2_00), (alice, losing, 3_00), (bob, losing, 5_00)]
    for i, (user, selection, stake) in enumerate(bets):
        cmd = lotto.PlaceLottoTicket(user.id, "quick535", tuple(selection), stake, f"bet-{i}")
        lotto.place_lotto_ticket(uow, cmd, now)
    lotto.place_lotto_ticket(
        uow,
        lotto.PlaceLottoTicket(bob.id, "lotto649", (1, 2, 3, 4, 5, 6), 1_00, "bet-x"),
        now,
    )
    draws.run_draw_now(uow, "quick535", now, SALES_CLOSE_S)

    totals = reports.dashboard_totals(uow, "admin", "EUR")

    stakes, wins = 2_00 + 3_00 + 5_00 + 1_00, 2_00 * 20_000
    assert (totals.stakes.minor, totals.wins.minor) == (stakes, wins)
    assert totals.ggr.minor == stakes - wins
    assert totals.ggr.text == "-€39,989.00"
    assert (totals.tickets, totals.players, totals.deposits.minor) == (4, 2, 70_00)
    assert totals.player_liability.minor == 70_00 - stakes + wins
    assert totals.open_draws == 2


def test_every_operator_role_sees_the_same_totals(
    db: Database, uow: UnitOfWork, funded_player: Callable[..., UserView]
) -> None:
    funded_player(amount_minor=12_34)
    seen = {reports.dashboard_totals(uow, role) for role in ("support", "finance", "admin")}
    assert len(seen) == 1
    (totals,) = seen
    assert (totals.deposits.minor, totals.stakes.minor, totals.ggr.minor) == (
        12_34,
        0,
        0,
    )
