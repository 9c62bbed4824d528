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
    previous_login_ip: str = ""
    mfa_enabled: bool = False
    email_verified: bool = False


@dataclass(frozen=True)
class AccountView:
    """A player's own account page: profile, verification, last logins, second factor."""

    id: int
    email: str
    full_name: str
    birth_date: str
    country: str
    phone: str
    role: str
    email_verified: bool
    created_at: datetime
    last_login_at: datetime | None
    last_login_ip: str
    previous_login_at: datetime | None
    previous_login_ip: str
    mfa_enabled: bool
    recovery_codes_left: int


@dataclass(frozen=True)
class PasswordProof:
    """Step one of a login passed: the password was right (valid for 5 minutes)."""

    user_id: int
    role: str
    email: str
    mfa_enabled: bool
    must_enroll: bool
    verified_at: datetime


@dataclass(frozen=True)
class SignedIn:
    """A completed login: the user, and the raw session token the caller keeps server-side."""

    user: UserView
    session_id: int
    session_token: str
    recovery_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class OperatorLine:
    id: int
    email: str
    role: str
    mfa_enabled: bool
    created_at: datetime
    last_login_at: datetime | None


@dataclass(frozen=True)
class PlayerSecurityView:
    """What support sees about a player's access: lock, second factor, live sessions."""

    id: int
    email: str
    status: str
    locked: bool
    mfa_enabled: bool
    email_verified: bool
    live_sessions: int
    last_login_at: datetime | None


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
    bonus: MoneyLine | None = None  # not withdrawable
    pending_withdrawals: MoneyLine | None = None  # cash on hold until paid or rejected


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
    ticket_root: str = ""  # the Merkle root of the draw's tickets, from the close on


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
    draw_id: int = 0


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
    bets: int
    open_rounds: int
    player_liability: MoneyLine
