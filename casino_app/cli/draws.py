"""`python -m casino_app draw now|cycle|record`: the draw cycle from the shell, a draw's public record."""

from __future__ import annotations

import argparse
import json
from typing import Any

from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.games.lotto.tickets import proofs

CLI = Actor.system("cli")


def _draw_now(args: argparse.Namespace, wiring: Wiring) -> int:
    draw = draws.run_draw_now(wiring.uow(), CLI, args.game, wiring.now())
    print(f"draw {draw.code}: {draw.status}, numbers {list(draw.numbers)}")
    return 0


def _draw_cycle(args: argparse.Namespace, wiring: Wiring) -> int:
    print(draws.run_cycle(wiring.uow(), CLI, wiring.now()))
    return 0


def _draw_record(args: argparse.Namespace, wiring: Wiring) -> int:
    """Print the document tools/verify_draw.py checks: the public record (and a ticket's proof)."""
    record = proofs.draw_record_of(wiring.uow(), args.draw_id)
    proof = proofs.published_ticket_proof(wiring.uow(), args.ticket) if args.ticket else None
    print(json.dumps(proofs.verifier_input(record, proof), indent=1, sort_keys=True))
    return 0


def register(sub: Any) -> None:
    draw = sub.add_parser("draw", help="draw operations").add_subparsers(dest="draw_cmd", required=True)
    now = draw.add_parser("now", help="close, draw and settle a game's open draw now")
    now.add_argument("game")
    now.set_defaults(fn=_draw_now)
    draw.add_parser("cycle", help="run one scheduler pass").set_defaults(fn=_draw_cycle)
    record = draw.add_parser("record", help="a draw's public record as tools/verify_draw.py reads it")
    record.add_argument("draw_id", type=int)
    record.add_argument("--ticket", help="a validation number: add its inclusion proof (drawn draws)")
    record.set_defaults(fn=_draw_record)
