"""`python -m casino_app ...`: operations from the shell, through the same services."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from casino_app.adapters.clock import clock
from casino_app.cli import security
from casino_app.config import load_settings
from casino_app.domain.errors import DomainError, InvalidInput
from casino_app.domain.money.amounts import Money, format_money
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.backoffice import seed
from casino_app.services.games import draws
from casino_app.services.identity import signin
from casino_app.services.money import ledger


def _seed(args: argparse.Namespace) -> int:
    report = seed.seed_demo(UnitOfWork(), clock.now())
    print(
        f"games created: {report.games_created}; demo player created: {report.player_created}; "
        f"operator created: {report.operator_created}"
    )
    draws.schedule(
        UnitOfWork(), clock.now(), load_settings().sales_close_seconds, load_settings().draw_interval_seconds
    )
    print(f"Demo player:   {seed.DEMO_PLAYER[0]} / {seed.DEMO_PLAYER[1]}")
    print(f"Demo operator: {seed.DEMO_OPERATOR[0]} / {seed.DEMO_OPERATOR[1]}  (at /ops/login)")
    if load_settings().demo_mode:
        # Demo only: the operator signs in with TOTP, so a person needs the secret for their app.
        print(f"Demo operator TOTP secret: {seed.demo_operator_totp_secret(UnitOfWork())}")
    return 0


def _draw_now(args: argparse.Namespace) -> int:
    s = load_settings()
    draw = draws.run_draw_now(
        UnitOfWork(), args.game, clock.now(), s.sales_close_seconds, s.draw_interval_seconds
    )
    print(f"draw {draw.code}: {draw.status}, numbers {draw.numbers}")
    return 0


def _draw_cycle(args: argparse.Namespace) -> int:
    s = load_settings()
    print(draws.run_cycle(UnitOfWork(), clock.now(), s.sales_close_seconds, s.draw_interval_seconds))
    return 0


def _ledger_check(args: argparse.Namespace) -> int:
    with UnitOfWork(write=False) as uow:
        findings = ledger.check_integrity(uow.session)
    for line in findings:
        print(line)
    print("ledger check: OK" if not findings else f"ledger check: {len(findings)} finding(s)")
    return 1 if findings else 0


def _when(text: str | None) -> datetime:
    """An ISO time from the command line, read as UTC when it has no zone."""
    if not text:
        return clock.now()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"Not an ISO time: {text!r} (try 2026-01-31T23:59:59).") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _ledger_balance(args: argparse.Namespace) -> int:
    with UnitOfWork(write=False) as uow:
        account = ledger.find_account(uow.session, args.account)
        at = _when(args.as_of)
        amount = ledger.balance_as_of(uow.session, account, at)
        currency = args.account.split(":")[2]
    print(f"{args.account} at {at.isoformat()}: {format_money(Money(amount, currency))}")
    return 0


def _ledger_statement(args: argparse.Namespace) -> int:
    with UnitOfWork(write=False) as uow:
        account = ledger.find_account(uow.session, args.account)
        st = ledger.statement(uow.session, account, _when(args.start), _when(args.end))
    fmt = lambda minor: format_money(Money(minor, st.currency))  # noqa: E731
    print(f"Statement of {args.account} from {st.start.isoformat()} to {st.end.isoformat()}")
    print(f"opening balance {fmt(st.opening)}")
    for line in st.lines:
        print(
            f"{line.created_at.isoformat()}  #{line.transaction_id:<8} {line.kind:<18} "
            f"{fmt(line.amount):>14} {fmt(line.balance_after):>14}  {line.reference}"
        )
    print(f"closing balance {fmt(st.closing)}")
    return 0


def _create_operator(args: argparse.Namespace) -> int:
    user = signin.create_operator(UnitOfWork(), args.email, args.password, args.role, clock.now())
    print(f"operator {user.email} created with role {user.role}; TOTP is set up at the first sign-in")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m casino_app")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("seed", help="create the demo data (idempotent)").set_defaults(fn=_seed)
    draw = sub.add_parser("draw", help="draw operations").add_subparsers(dest="draw_cmd", required=True)
    now = draw.add_parser("now", help="close, draw and settle a game's open draw now (demo/test)")
    now.add_argument("game")
    now.set_defaults(fn=_draw_now)
    draw.add_parser("cycle", help="run one scheduler pass").set_defaults(fn=_draw_cycle)
    led = sub.add_parser("ledger", help="ledger operations").add_subparsers(dest="ledger_cmd", required=True)
    led.add_parser("check", help="verify the ledger's invariants").set_defaults(fn=_ledger_check)
    bal = led.add_parser("balance", help="an account's balance now or as of a past time")
    bal.add_argument("account", help='account code, e.g. "player_cash:1:EUR"')
    bal.add_argument("--as-of", help="ISO time (UTC when no zone), default now")
    bal.set_defaults(fn=_ledger_balance)
    stm = led.add_parser("statement", help="an account's statement for a period")
    stm.add_argument("account")
    stm.add_argument("--from", dest="start", required=True, help="ISO start time")
    stm.add_argument("--to", dest="end", help="ISO end time, default now")
    stm.set_defaults(fn=_ledger_statement)
    op = sub.add_parser("operator", help="operator accounts").add_subparsers(dest="op_cmd", required=True)
    create = op.add_parser("create", help="create an operator account")
    create.add_argument("email")
    create.add_argument("password")
    create.add_argument("--role", default="admin")
    create.set_defaults(fn=_create_operator)
    security.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.fn(args))
    except DomainError as err:
        print(f"error: {err.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
