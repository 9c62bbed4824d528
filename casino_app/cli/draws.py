"""`python -m casino_app draw now|cycle`: the draw cycle from the shell."""

from __future__ import annotations

import argparse
from typing import Any

from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.services.games.lotto import draws

CLI = Actor.system("cli")


def _draw_now(args: argparse.Namespace, wiring: Wiring) -> int:
    draw = draws.run_draw_now(wiring.uow(), CLI, args.game, wiring.now())
    print(f"draw {draw.code}: {draw.status}, numbers {list(draw.numbers)}")
    return 0


def _draw_cycle(args: argparse.Namespace, wiring: Wiring) -> int:
    print(draws.run_cycle(wiring.uow(), CLI, wiring.now()))
    return 0


def register(sub: Any) -> None:
    draw = sub.add_parser("draw", help="draw operations").add_subparsers(dest="draw_cmd", required=True)
    now = draw.add_parser("now", help="close, draw and settle a game's open draw now")
    now.add_argument("game")
    now.set_defaults(fn=_draw_now)
    draw.add_parser("cycle", help="run one scheduler pass").set_defaults(fn=_draw_cycle)
