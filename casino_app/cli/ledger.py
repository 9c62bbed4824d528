"""`python -m casino_app ledger check|balance|statement`: the ledger from the shell."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from casino_app.bootstrap import Wiring
from casino_app.domain.errors import InvalidInput
from casino_app.domain.money.amounts import Money, format_money
from casino_app.services.money import ledger


def _ledger_check(args: argparse.Namespace, wiring: Wiring) -> int:
    with wiring.uow().reader() as r:
        findings = ledger.check_integrity(r.session)
    for line in findings:
        print(line)
    print("ledger check: OK" if not findings else f"ledger check: {len(findings)} finding(s)")
    return 1 if findings else 0


def _when(text: str | None, wiring: Wiring) -> datetime:
    """An ISO time from the command line, read as UTC when it has no zone."""
    if not text:
        return wiring.now()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"Not an ISO time: {text!r} (try 2026-01-31T23:59:59).") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _ledger_balance(args: argparse.Namespace, wiring: Wiring) -> int:
    with wiring.uow().reader() as r:
        account = ledger.find_account(r.session, args.account)
        at = _when(args.as_of, wiring)
        amount = ledger.balance_as_of(r.session, account, at)
        currency = args.account.split(":")[2]
    print(f"{args.account} at {at.isoformat()}: {format_money(Money(amount, currency))}")
    return 0


def _ledger_statement(args: argparse.Namespace, wiring: Wiring) -> int:
    with wiring.uow().reader() as r:
        account = ledger.find_account(r.session, args.account)
        st = ledger.statement(r.session, account, _when(args.start, wiring), _when(args.end, wiring))

    def fmt(minor: int) -> str:
        return format_money(Money(minor, st.currency))

    print(f"Statement of {args.account} from {st.start.isoformat()} to {st.end.isoformat()}")
    print(f"opening balance {fmt(st.opening)}")
    for line in st.lines:
        print(
            f"{line.created_at.isoformat()}  #{line.transaction_id:<8} {line.kind:<18} "
            f"{fmt(line.amount):>14} {fmt(line.balance_after):>14}  {line.reference}"
        )
    print(f"closing balance {fmt(st.closing)}")
    return 0


def register(sub: Any) -> None:
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
