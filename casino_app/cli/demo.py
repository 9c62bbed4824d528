"""`python -m casino_app seed`: the demo data, idempotent."""

from __future__ import annotations

import argparse
from typing import Any

from casino_app.bootstrap import Wiring
from casino_app.services.backoffice import seed
from casino_app.services.games.lotto.draws import cycle as draws


def _seed(args: argparse.Namespace, wiring: Wiring) -> int:
    report = seed.seed_demo(wiring.uow(), wiring.now())
    print(
        f"games created: {report.games_created}; demo player created: {report.player_created}; "
        f"operator created: {report.operator_created}"
    )
    draws.schedule(wiring.uow(), wiring.now())
    if not wiring.settings.demo_mode:
        print("Demo mode is off (CASINO_DEMO_MODE=1 turns it on): no demo logins.")
        return 0
    print("Demo mode is ON: the demo logins below work, and /mailbox shows a player their own mail.")
    print(f"Demo player:   {seed.DEMO_PLAYER[0]} / {seed.DEMO_PLAYER[1]}")
    print(f"Demo operator: {seed.DEMO_OPERATOR[0]} / {seed.DEMO_OPERATOR[1]}  (at /ops/login)")
    # The operator signs in with TOTP, so a person needs the secret for their app.
    print(f"Demo operator TOTP secret: {seed.demo_operator_totp_secret(wiring.uow())}")
    return 0


def register(sub: Any) -> None:
    sub.add_parser("seed", help="create the demo data (idempotent)").set_defaults(fn=_seed)
