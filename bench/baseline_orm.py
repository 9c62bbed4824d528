"""The baseline: a plain ORM bet placement (SELECT ... FOR UPDATE, five statements).

This is what a straightforward implementation looks like; bench/ledger.py runs it side by
side with the real hot path and prints our/baseline ratios.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from casino_app.domain.errors import DrawClosed, InsufficientFunds
from casino_app.persistence.tables import Account, Draw, LedgerEntry, LedgerTransaction, Ticket
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games.lotto import new_validation_number
from casino_app.services.money import ledger


def place_bet_orm(
    uow: UnitOfWork, user_id: int, game_id: int, house_code: str, stake: int, key: str, now: datetime
) -> int:
    """Lock the wallet and the house row, check, update both, insert txn, entries, ticket."""
    with uow:
        s = uow.session
        draw = s.exec(
            select(Draw)
            .where(Draw.game_id == game_id, Draw.status == "open", Draw.sales_close_at > now)
            .order_by(col(Draw.draw_at))
        ).first()
        if draw is None:
            raise DrawClosed("closed")
        cash_code = ledger.account_code("player_cash", "EUR", user_id)
        lock = uow.dialect == "postgresql"
        q = select(Account).where(Account.code == cash_code)
        cash = s.exec(q.with_for_update() if lock else q).one()
        if cash.balance < stake:
            raise InsufficientFunds("low")
        hq = select(Account).where(Account.code == house_code)
        house = s.exec(hq.with_for_update() if lock else hq).one()
        cash.balance -= stake
        house.balance += stake
        txn = LedgerTransaction(kind="stake", idempotency_key=key, request_hash="-", created_at=now)
        s.add(txn)
        s.flush()
        s.add_all(
            [
                LedgerEntry(
                    transaction_id=txn.id or 0,
                    account_id=cash.id or 0,
                    amount=-stake,
                    currency="EUR",
                    balance_after=cash.balance,
                ),
                LedgerEntry(
                    transaction_id=txn.id or 0,
                    account_id=house.id or 0,
                    amount=stake,
                    currency="EUR",
                    balance_after=house.balance,
                ),
                Ticket(
                    validation_number=new_validation_number(),
                    user_id=user_id,
                    draw_id=draw.id or 0,
                    selection="1,2,3,4,5,6",
                    stake=stake,
                    currency="EUR",
                    transaction_id=txn.id or 0,
                    created_at=now,
                ),
            ]
        )
        uow.commit()
        return txn.id or 0
