"""The progressive jackpot of a lotto game on the ledger, and each draw's settlement figures.

A game with a jackpot (domain/games/lotto_prizes.py) has its own ledger account per currency,
`jackpot:<game>:<currency>`. The stake path does not touch it (one call, `casino_place_stake`):
when a draw settles, one transaction (key `jackpot:<draw id>`) moves the draw's share of its
stakes from the house shards that hold them to the jackpot, pays a won pot back to the shards
of the winners' tickets (the engine then pays each ticket its whole win from its shard, as for
any win), and tops the jackpot up to its seed from house shard 0. The draw's settlement
transaction (money.py) writes it with the draw's `draw_settlements` row (jackpot
before and after, winners and amounts per tier, each jackpot ticket's part) and every win.
Rules of funding, rollover, split and reset: domain/games/jackpot.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.domain.games import jackpot as pot
from casino_app.domain.games import lotto_prizes as prizes
from casino_app.domain.games.vocabulary import BetStatus, RoundStatus
from casino_app.domain.money.vocabulary import AccountKind, TransactionKind
from casino_app.persistence.tables import Account, Bet, DrawSettlement, LedgerTransaction, Round
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.games import catalog
from casino_app.services.games.catalog import GameFacts
from casino_app.services.games.engine.stake import house_shard
from casino_app.services.games.lotto.settlement import classification
from casino_app.services.games.lotto.tickets.catalogue import lotto_rules
from casino_app.services.money import ledger

UNSETTLED = (RoundStatus.OPEN, RoundStatus.CLOSED, RoundStatus.DRAWN)


def prize_table(game: GameFacts) -> prizes.PrizeTable:
    """The prize table of a lotto game version."""
    return prizes.prize_table(lotto_rules(game), game.rules)


def _house(game_code: str, currency: str, shard: int) -> tuple[str, str, int | str, int]:
    return (AccountKind.HOUSE_REVENUE, currency, game_code, shard)


def _jackpot(game_code: str, currency: str) -> tuple[str, str, int | str, int]:
    return (AccountKind.JACKPOT, currency, game_code, 0)


def ensure_jackpot_in(uow: UnitOfWork, game: GameFacts, now: datetime) -> None:
    """Open the game's jackpot at its seed amount, funded by the house, once (key `jackpot-open:`)."""
    table = prize_table(game)
    if table.jackpot is None:
        return
    key = f"jackpot-open:{game.code}:{game.currency}"
    s = uow.session
    if s.exec(select(LedgerTransaction.id).where(LedgerTransaction.idempotency_key == key)).first():
        return
    ids = ledger.ensure_accounts(s, [_house(game.code, game.currency, 0), _jackpot(game.code, game.currency)])
    if table.jackpot.seed_minor:
        ledger.post(
            s,
            kind=TransactionKind.TRANSFER,
            idempotency_key=key,
            request={"game": game.code, "seed": table.jackpot.seed_minor},
            postings=[
                ledger.Posting(
                    ids[ledger.account_code(*_house(game.code, game.currency, 0))], -table.jackpot.seed_minor
                ),
                ledger.Posting(
                    ids[ledger.account_code(*_jackpot(game.code, game.currency))], table.jackpot.seed_minor
                ),
            ],
            currency=game.currency,
            now=now,
            reason="jackpot opened at its seed amount",
            reference=f"game:{game.code}",
        )


@dataclass(frozen=True)
class JackpotView:
    """A game's jackpot as the lobby and the game page show it (minor units)."""

    game_code: str
    currency: str
    amount: int  # the pot plus the share of stakes of draws not settled yet
    banked: int  # the jackpot account's balance
    seed: int
    share_bp: int


def current_jackpot(uow: UnitOfWork, game_code: str) -> JackpotView | None:
    """The jackpot of a game now (public), or None for a game without one.

    Raises:
        NotFound: unknown game.
    """
    game = catalog.game_facts(uow, game_code)
    table = prize_table(game)
    if table.jackpot is None:
        return None
    with uow.reader() as r:
        code = ledger.account_code(*_jackpot(game.code, game.currency))
        banked = r.session.exec(select(Account.balance).where(Account.code == code)).first()
        pending = _unsettled_stakes(r.session, game.id)
    banked = int(banked if banked is not None else table.jackpot.seed_minor)
    amount = banked + pot.contribution(pending, table.jackpot.share_bp)
    return JackpotView(
        game.code, game.currency, amount, banked, table.jackpot.seed_minor, table.jackpot.share_bp
    )


def _unsettled_stakes(session: Session, game_id: int) -> int:
    settled = select(DrawSettlement.draw_id).where(DrawSettlement.game_id == game_id)
    total = session.exec(
        select(sa.func.coalesce(sa.func.sum(Bet.stake), 0))
        .join(Round, col(Round.id) == Bet.round_id)
        .where(
            Bet.game_id == game_id,
            Bet.status == BetStatus.PENDING,
            col(Round.status).in_(UNSETTLED),
            col(Round.id).not_in(settled),
        )
    ).one()
    return int(total or 0)


# --- a draw's settlement figures ----------------------------------------------------------------


@dataclass(frozen=True)
class _Totals:
    """Every ticket of a draw (cancelled ones aside): counts, stakes, stakes per house shard."""

    tickets: int
    lines: int
    stakes: int
    by_shard: dict[int, int]


def _totals(session: Session, draw_id: int, shards: int) -> _Totals:
    bets = Bet.__table__  # type: ignore[attr-defined]
    lines = sa.func.length(bets.c.selection) - sa.func.length(sa.func.replace(bets.c.selection, "|", "")) + 1
    shard = (bets.c.user_id % shards).label("shard")
    rows = session.execute(
        sa.select(shard, sa.func.count(), sa.func.sum(lines), sa.func.sum(bets.c.stake))
        .where(bets.c.round_id == draw_id, bets.c.status != BetStatus.VOID)
        .group_by(shard)
    ).all()
    by_shard = {int(r[0]): int(r[3] or 0) for r in rows}
    return _Totals(
        sum(int(r[1]) for r in rows), sum(int(r[2] or 0) for r in rows), sum(by_shard.values()), by_shard
    )


def _tier_stats(
    table: prizes.PrizeTable, tickets: list[classification.PrizeTicket], won: int
) -> list[dict[str, int]]:
    """Winners and amounts per prize tier (only tickets with a prize line can have one)."""
    out = []
    for tier in table.tiers():
        lines = [line for t in tickets for line in t.lines if line.matches == tier]
        paid = won if table.is_jackpot(tier) and lines else sum(line.fixed_win for line in lines)
        out.append({"matches": tier, "winners": len(lines), "paid": paid})
    return out


def _winning_lines(tickets: list[classification.PrizeTicket]) -> list[pot.WinningLine]:
    return [
        pot.WinningLine((t.public_id, line.index), t.id, line.stake)
        for t in tickets
        for line in t.lines
        if line.jackpot and line.stake > 0
    ]


def fix_figures_in(
    uow: UnitOfWork,
    draw_id: int,
    game: GameFacts,
    table: prizes.PrizeTable,
    winners: list[classification.PrizeTicket],
    now: datetime,
) -> DrawSettlement:
    """Fix a drawn draw's figures and move its jackpot money, in the caller's transaction.

    `winners`: the draw's prize tickets, classified; the counts and stakes come from one
    grouped read of all its tickets.
    """
    totals = _totals(uow.session, draw_id, max(1, uow.context.settings.house_shards))
    row = _figures(uow, draw_id, game, table, winners, totals, now)
    uow.session.add(row)
    uow.session.flush()
    return row


def _figures(
    uow: UnitOfWork,
    draw_id: int,
    game: GameFacts,
    table: prizes.PrizeTable,
    winners: list[classification.PrizeTicket],
    totals: _Totals,
    now: datetime,
) -> DrawSettlement:
    shards = max(1, uow.context.settings.house_shards)
    jackpot_lines = _winning_lines(winners)
    step = pot.JackpotStep(0, 0, 0, 0, 0)
    shares: dict[int, int] = {}
    txn_id = None
    if table.jackpot is not None:
        ensure_jackpot_in(uow, game, now)
        before = _locked_balance(uow.session, ledger.account_code(*_jackpot(game.code, game.currency)))
        funding = pot.contributions_by_shard(totals.by_shard, table.jackpot.share_bp)
        step = pot.step(before, sum(funding.values()), len(jackpot_lines), table.jackpot.seed_minor)
        shares = pot.by_bet(pot.split(step.won, jackpot_lines), jackpot_lines)
        owners = {t.id: t.user_id for t in winners}
        payout = _by_shard(shares, owners, shards)
        txn_id = _post_jackpot(uow, draw_id, game, funding, payout, step, now)
    return DrawSettlement(
        draw_id=draw_id,
        game_id=game.id,
        currency=game.currency,
        tickets=totals.tickets,
        lines=totals.lines,
        stakes=totals.stakes,
        jackpot_before=step.before,
        jackpot_funded=step.funded,
        jackpot_won=step.won,
        jackpot_seeded=step.seeded,
        jackpot_after=step.after,
        tiers=json.dumps(_tier_stats(table, winners, step.won)),
        jackpot_shares=json.dumps({str(b): a for b, a in sorted(shares.items())}),
        transaction_id=txn_id,
        created_at=now,
    )


def _by_shard(shares: dict[int, int], owners: dict[int, int], shards: int) -> dict[int, int]:
    """The jackpot parts summed per house shard of the winners' tickets."""
    out: dict[int, int] = {}
    for bet_id, amount in shares.items():
        shard = house_shard(owners[bet_id], shards)
        out[shard] = out.get(shard, 0) + amount
    return out


def _locked_balance(session: Session, code: str) -> int:
    query = sa.select(Account.__table__.c.balance).where(Account.__table__.c.code == code)  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return int(session.execute(query).scalar() or 0)


def _post_jackpot(
    uow: UnitOfWork,
    draw_id: int,
    game: GameFacts,
    funding: dict[int, int],
    payout: dict[int, int],
    step: pot.JackpotStep,
    now: datetime,
) -> int | None:
    """One transfer: shards -> jackpot (funding), jackpot -> winners' shards, house -> jackpot (seed)."""
    legs: dict[tuple[str, str, int | str, int], int] = {}

    def add(account: tuple[str, str, int | str, int], amount: int) -> None:
        legs[account] = legs.get(account, 0) + amount

    jackpot = _jackpot(game.code, game.currency)
    for shard, amount in funding.items():
        add(_house(game.code, game.currency, shard), -amount)
    for shard, amount in payout.items():
        add(_house(game.code, game.currency, shard), amount)
    add(_house(game.code, game.currency, 0), -step.seeded)
    add(jackpot, step.funded - step.won + step.seeded)
    legs = {a: v for a, v in legs.items() if v}
    if not legs:
        return None
    ids = ledger.ensure_accounts(uow.session, list(legs))
    posted = ledger.post(
        uow.session,
        kind=TransactionKind.TRANSFER,
        idempotency_key=f"jackpot:{draw_id}",
        request={"draw": draw_id, "funded": step.funded, "won": step.won, "seeded": step.seeded},
        postings=[ledger.Posting(ids[ledger.account_code(*a)], v) for a, v in sorted(legs.items())],
        currency=game.currency,
        now=now,
        reason="draw settlement: jackpot funded, won or rolled over, reset",
        reference=f"draw:{draw_id}",
    )
    return posted.id


def settlement_of(session: Session, draw_id: int) -> DrawSettlement | None:
    """The settlement figures of a draw, once fixed."""
    return session.exec(select(DrawSettlement).where(DrawSettlement.draw_id == draw_id)).first()
