"""`python -m casino_app operator create`: the first operator account."""

from __future__ import annotations

import argparse
from typing import Any

from casino_app.bootstrap import Wiring
from casino_app.domain.identity.actor import Actor
from casino_app.services.identity.accounts import registration


def _create_operator(args: argparse.Namespace, wiring: Wiring) -> int:
    shell, now = Actor.system("cli"), wiring.now()
    user = registration.create_operator(wiring.uow(), shell, args.email, args.password, args.role, now)
    print(f"operator {user.email} created with role {user.role}; TOTP is set up at the first sign-in")
    return 0


def register(sub: Any) -> None:
    op = sub.add_parser("operator", help="operator accounts").add_subparsers(dest="op_cmd", required=True)
    create = op.add_parser("create", help="create an operator account")
    create.add_argument("email")
    create.add_argument("password")
    create.add_argument("--role", default="admin")
    create.set_defaults(fn=_create_operator)
