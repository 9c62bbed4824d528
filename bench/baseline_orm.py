"""The baseline: a plain ORM bet placement (SELECT ... FOR UPDATE, five statements).

This is what a straightforward implementation looks like; bench/ledger.py runs it side by
side with the real hot path and prints our/baseline ratios.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from casino_app.domain.errors import DrawClosed, InsufficientFunds
from casino_app.persistence.tables import Account, Bet, LedgerEntry, LedgerTransaction, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games.engine.stake import new_public_id
from casino_app.services.money import ledger


def place_bet_orm(
    uow: UnitOfWork, user_id: int, game_id: int, house_code: str, stake: int, key: str, now: datetime
) -> int:
    """Lock the wallet and the house row, check, update both, insert txn, entries, ticket."""
    with uow:
        s = uow.session
        draw = s.exec(
            select(Round)
            .where(Round.game_id == game_id, Round.status == "open", col(Round.closes_at) > now)
            .order_by(col(Round.draw_at))
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
                Bet(
                    public_id=new_public_id(),
                    round_id=draw.id or 0,
                    user_id=user_id,
                    game_id=game_id,
                    game_version=draw.game_version,
                    currency="EUR",
                    stake=stake,
                    selection="1,2,3,4,5,6",
                    idempotency_key=key[:128],
                    stake_transaction_id=txn.id or 0,
                    created_at=now,
                ),
            ]
        )
        uow.commit()
        return txn.id or 0
