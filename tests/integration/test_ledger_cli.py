"""Auditors' views from the shell: balance as of a past time and a period statement."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from casino_app.persistence.db import Database
from casino_app.services.dto import UserView

ROOT = Path(__file__).resolve().parents[2]


def _cli(db: Database, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REFLEX_DB_URL": db.url}
    return subprocess.run(
        [sys.executable, "-m", "casino_app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_ledger_balance_as_of_and_statement_from_the_shell(
    sqlite_db: Database, funded_player_on: Callable[[Database, int], UserView]
) -> None:
    user = funded_player_on(sqlite_db, 25_00)  # deposited at the fixed test time, 2026-03-01 12:00
    code = f"player_cash:{user.id}:EUR"
    before = _cli(sqlite_db, "ledger", "balance", code, "--as-of", "2026-03-01T11:59:59")
    after = _cli(sqlite_db, "ledger", "balance", code, "--as-of", "2026-03-01T12:00:00")
    assert before.returncode == after.returncode == 0
    assert before.stdout.strip().endswith("€0.00") and after.stdout.strip().endswith("€25.00")
    st = _cli(sqlite_db, "ledger", "statement", code, "--from", "2026-01-01", "--to", "2026-12-31")
    assert st.returncode == 0
    assert "opening balance €0.00" in st.stdout and "closing balance €25.00" in st.stdout
    assert "deposit" in st.stdout


def test_ledger_cli_refuses_an_unknown_account_and_a_bad_time(
    sqlite_db: Database, funded_player_on: Callable[[Database, int], UserView]
) -> None:
    user = funded_player_on(sqlite_db, 10_00)
    unknown = _cli(sqlite_db, "ledger", "balance", "player_cash:999:EUR")
    bad_time = _cli(sqlite_db, "ledger", "statement", f"player_cash:{user.id}:EUR", "--from", "yesterday")
    assert unknown.returncode == bad_time.returncode == 2
    assert "No account" in unknown.stderr and "Not an ISO time" in bad_time.stderr
