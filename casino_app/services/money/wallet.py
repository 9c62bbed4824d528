"""The player's wallet: balance and transaction list, read from the ledger."""

from __future__ import annotations

from sqlmodel import Session, col, select

from casino_app.persistence.tables import Account, LedgerEntry, LedgerTransaction, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.common import money_line
from casino_app.services.dto import MoneyLine, TransactionLine, WalletView
from casino_app.services.money import ledger


def cash_balance(uow: UnitOfWork, user_id: int) -> MoneyLine:
    """The player's withdrawable cash balance."""
    with uow.reader() as r:
        user = r.session.get(User, user_id)
        if user is None:
            return money_line(0, "EUR")
        account = ledger.player_cash_account(r.session, user_id, user.currency)
        return money_line(ledger.balance(r.session, account), user.currency)


def wallet_view(uow: UnitOfWork, user_id: int, limit: int = 50) -> WalletView:
    """Balance and the latest cash transactions, newest first."""
    with uow.reader() as r:
        user = r.session.get(User, user_id)
        if user is None:
            return WalletView(money_line(0, "EUR"), ())
        account = ledger.player_cash_account(r.session, user_id, user.currency)
        rows = r.session.exec(
            select(LedgerEntry, LedgerTransaction)
            .join(LedgerTransaction, col(LedgerTransaction.id) == LedgerEntry.transaction_id)
            .where(LedgerEntry.account_id == account)
            .order_by(col(LedgerEntry.id).desc())
            .limit(limit)
        ).all()
        lines = tuple(
            TransactionLine(
                t.id or 0,
                t.kind,
                t.created_at,
                money_line(e.amount, e.currency),
                money_line(e.balance_after or 0, e.currency),
                t.reference,
            )
            for e, t in rows
        )
        balances = _balances_by_kind(r.session, user_id, user.currency)
        return WalletView(
            money_line(ledger.balance(r.session, account), user.currency),
            lines,
            money_line(balances.get("player_bonus", 0), user.currency),
            money_line(balances.get("player_hold", 0), user.currency),
        )


def _balances_by_kind(session: Session, user_id: int, currency: str) -> dict[str, int]:
    rows = session.exec(
        select(Account.kind, Account.balance).where(Account.owner_id == user_id, Account.currency == currency)
    ).all()
    return {kind: int(balance) for kind, balance in rows}
