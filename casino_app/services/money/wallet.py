"""The player's wallet: balances and the cash transaction list, read from the ledger."""

from __future__ import annotations

from sqlmodel import Session, col, select

from casino_app.domain.errors import NotFound
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.vocabulary import AccountKind
from casino_app.persistence.tables import Account, LedgerEntry, LedgerTransaction, User
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line
from casino_app.services.dto import MoneyLine, TransactionLine, WalletView
from casino_app.services.money import ledger


def cash_balance(uow: UnitOfWork, user_id: int) -> MoneyLine:
    """A player's withdrawable cash balance, in their wallet's currency.

    For the signed-in header and internal checks; what a player reads goes through `wallet_view`.

    Raises:
        NotFound: no such user.
    """
    with uow.reader() as r:
        user = _user(r.session, user_id)
        account = ledger.player_cash_account(r.session, user_id, user.currency)
        return money_line(ledger.balance(r.session, account), user.currency)


@authz.guard("player.wallet")
def wallet_view(uow: UnitOfWork, actor: Actor, limit: int = 50) -> WalletView:
    """The acting player's balances (in their wallet's currency) and latest cash transactions."""
    player_id = actor.player_id()
    with uow.reader() as r:
        user = _user(r.session, player_id)
        account = ledger.player_cash_account(r.session, player_id, user.currency)
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
        balances = _balances_by_kind(r.session, player_id, user.currency)
        return WalletView(
            money_line(balances.get(AccountKind.PLAYER_CASH, 0), user.currency),
            lines,
            money_line(balances.get(AccountKind.PLAYER_BONUS, 0), user.currency),
            money_line(balances.get(AccountKind.PLAYER_HOLD, 0), user.currency),
        )


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Unknown player.")
    return user


def _balances_by_kind(session: Session, user_id: int, currency: str) -> dict[str, int]:
    rows = session.exec(
        select(Account.kind, Account.balance).where(Account.owner_id == user_id, Account.currency == currency)
    ).all()
    return {kind: int(balance) for kind, balance in rows}
