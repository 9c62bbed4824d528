"""Frozen DTOs returned by services to the UI, the API and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class UserView:
    id: int
    email: str
    role: str
    currency: str
    previous_login_at: datetime | None


@dataclass(frozen=True)
class MoneyLine:
    """A formatted amount with its machine form beside it."""

    minor: int
    currency: str
    text: str


@dataclass(frozen=True)
class TransactionLine:
    id: int
    kind: str
    created_at: datetime
    amount: MoneyLine
    balance_after: MoneyLine
    reference: str


@dataclass(frozen=True)
class WalletView:
    balance: MoneyLine
    transactions: tuple[TransactionLine, ...]


@dataclass(frozen=True)
class DepositResult:
    order_id: str
    status: str
    amount: MoneyLine
    balance: MoneyLine
    message: str


@dataclass(frozen=True)
class GameView:
    code: str
    name: str
    pick: int
    pool: int
    min_stake: MoneyLine
    max_stake: MoneyLine
    rtp_percent: str
    paytable: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class DrawView:
    id: int
    game_code: str
    game_name: str
    code: str
    status: str
    sales_close_at: datetime
    draw_at: datetime
    seed_commitment: str
    numbers: tuple[int, ...]
    server_seed: str  # empty until revealed


@dataclass(frozen=True)
class TicketReceipt:
    validation_number: str
    game_name: str
    draw_code: str
    draw_at: datetime
    selection: tuple[int, ...]
    stake: MoneyLine
    issued_at: datetime
    balance_after: MoneyLine
    replayed: bool


@dataclass(frozen=True)
class TicketLine:
    validation_number: str
    game_name: str
    draw_code: str
    draw_at: datetime
    selection: tuple[int, ...]
    numbers: tuple[int, ...]
    status: str
    matches: int | None
    stake: MoneyLine
    win: MoneyLine
    issued_at: datetime


@dataclass(frozen=True)
class DashboardTotals:
    currency: str
    stakes: MoneyLine
    wins: MoneyLine
    ggr: MoneyLine
    deposits: MoneyLine
    players: int
    tickets: int
    open_draws: int
    player_liability: MoneyLine
