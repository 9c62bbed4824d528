"""`python -m casino_app ledger check`: exit 0 on a consistent ledger, 1 with findings."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from casino_app.domain.identity.actor import Actor
from casino_app.persistence.db import Database
from casino_app.persistence.tables import Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import UserView
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import cycle as draws

ROOT = Path(__file__).resolve().parents[2]


def _ledger_check(db: Database) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REFLEX_DB_URL": db.url, "CASINO_SCHEDULER": "0"}
    return subprocess.run(
        [sys.executable, "-m", "casino_app", "ledger", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_ledger_check_passes_after_deposits_bets_and_a_settled_draw(
    db: Database,
    uow: UnitOfWork,
    games: dict[str, Round],
    funded_player: Callable[..., UserView],
    now: datetime,
) -> None:
    user = funded_player(amount_minor=20_00)
    for i, selection in enumerate([(1, 2, 3, 4, 5), (6, 7, 8, 9, 10), (11, 12, 13, 14, 15)]):
        cmd = lotto.PlaceLottoTicket("quick535", selection, 1_00, f"cli-{i}")
        lotto.place_lotto_ticket(uow, Actor.player(user.id), cmd, now)
    draws.run_draw_now(uow, Actor.operator(99, "admin"), "quick535", now)

    result = _ledger_check(db)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "ledger check: OK" in result.stdout


def test_ledger_check_fails_when_a_cached_balance_disagrees_with_its_entries(
    db: Database, funded_player: Callable[..., UserView]
) -> None:
    funded_player(amount_minor=20_00)
    with db.write_engine.begin() as conn:
        conn.execute(sa.text("UPDATE accounts SET balance = balance + 1 WHERE kind = 'player_cash'"))

    result = _ledger_check(db)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "caches 2001 but its entries sum to 2000" in result.stdout
    assert "1 finding(s)" in result.stdout
