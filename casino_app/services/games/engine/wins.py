"""The ledger transactions of wins: one per winning bet (key `win:<bet id>`), from its house shard.

A win is split between the player's cash and bonus accounts in the proportion its stake was
funded (domain/money/funding.py); only the accounts a win touches are looked up or created.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from casino_app.domain.money.funding import split_win
from casino_app.domain.money.vocabulary import AccountKind, TransactionKind
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games.engine.stake import house_shard
from casino_app.services.money import ledger

if TYPE_CHECKING:
    from casino_app.services.games.engine.settlement import Outcome, PendingBet


def win_transactions(
    uow: UnitOfWork, decided: Sequence[tuple[PendingBet, Outcome]]
) -> list[ledger.NewTransaction]:
    winners = [(bet, outcome.win) for bet, outcome in decided if outcome.win > 0]
    if not winners:
        return []
    shards = max(1, uow.context.settings.house_shards)
    wanted: set[tuple[str, str, int | str, int]] = set()
    for bet, win in winners:  # only the accounts a win touches: no bonus account for a cash stake
        split = split_win(win, bet.stake, bet.stake_bonus)
        wanted.add((AccountKind.HOUSE_REVENUE, bet.currency, bet.game_code, house_shard(bet.user_id, shards)))
        if split.cash:
            wanted.add((AccountKind.PLAYER_CASH, bet.currency, bet.user_id, 0))
        if split.bonus:
            wanted.add((AccountKind.PLAYER_BONUS, bet.currency, bet.user_id, 0))
    ids = ledger.ensure_accounts(uow.session, sorted(wanted, key=str))
    return [_transaction(bet, win, ids, shards) for bet, win in winners]


def _transaction(bet: PendingBet, win: int, ids: dict[str, int], shards: int) -> ledger.NewTransaction:
    split = split_win(win, bet.stake, bet.stake_bonus)
    house = ids[
        ledger.account_code(
            AccountKind.HOUSE_REVENUE, bet.currency, bet.game_code, house_shard(bet.user_id, shards)
        )
    ]
    postings = [ledger.Posting(house, -win)]
    if split.cash:
        postings.append(
            ledger.Posting(
                ids[ledger.account_code(AccountKind.PLAYER_CASH, bet.currency, bet.user_id)], split.cash
            )
        )
    if split.bonus:
        postings.append(
            ledger.Posting(
                ids[ledger.account_code(AccountKind.PLAYER_BONUS, bet.currency, bet.user_id)], split.bonus
            )
        )
    return ledger.NewTransaction(
        kind=TransactionKind.WIN,
        idempotency_key=f"win:{bet.id}",
        request={"bet": bet.id, "win": win},
        postings=postings,
        currency=bet.currency,
        reference=bet.public_id,
    )
