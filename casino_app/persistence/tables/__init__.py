"""Every SQLModel table, grouped by capability; importing this package registers them all.

Table models are never handed to the UI or the API: services return DTOs.
"""

from casino_app.persistence.tables.certification import RngReport
from casino_app.persistence.tables.compliance import (
    RgCase,
    RgCaseEvent,
    RgExcludedIdentifier,
    RgExclusion,
    RgLimit,
    RgLimitChange,
    RgPlayer,
    RgRealityCheck,
    RgUsage,
    RgWalletLimits,
)
from casino_app.persistence.tables.fairness import InstantRound, SeedPair
from casino_app.persistence.tables.games import Bet, Game, GameVersion, Round
from casino_app.persistence.tables.identity import (
    ActionToken,
    ApiToken,
    AuthThrottle,
    MailMessage,
    PlayerPreference,
    RecoveryCode,
    User,
    UserSession,
)
from casino_app.persistence.tables.inbox import Notification
from casino_app.persistence.tables.jackpots import DrawSettlement
from casino_app.persistence.tables.jobs import JobLease
from casino_app.persistence.tables.money import PLAYER_ACCOUNT_KINDS, Account, LedgerEntry, LedgerTransaction
from casino_app.persistence.tables.payments import (
    Payment,
    PaymentAttempt,
    PaymentCard,
    PaymentWebhookEvent,
    Withdrawal,
)
from casino_app.persistence.tables.payouts import Payout, ReconciliationItem, ReconciliationRun
from casino_app.persistence.tables.security import AuditHead, AuditRecord, KeyRotation, SecurityAlert

__all__ = [
    "PLAYER_ACCOUNT_KINDS",
    "Account",
    "ActionToken",
    "ApiToken",
    "AuditHead",
    "AuditRecord",
    "AuthThrottle",
    "Bet",
    "DrawSettlement",
    "Game",
    "GameVersion",
    "InstantRound",
    "JobLease",
    "KeyRotation",
    "LedgerEntry",
    "LedgerTransaction",
    "MailMessage",
    "Notification",
    "Payment",
    "PaymentAttempt",
    "PaymentCard",
    "PaymentWebhookEvent",
    "Payout",
    "PlayerPreference",
    "ReconciliationItem",
    "ReconciliationRun",
    "RecoveryCode",
    "RgCase",
    "RgCaseEvent",
    "RgExcludedIdentifier",
    "RgExclusion",
    "RgLimit",
    "RgLimitChange",
    "RgPlayer",
    "RgRealityCheck",
    "RgUsage",
    "RgWalletLimits",
    "RngReport",
    "Round",
    "SecurityAlert",
    "SeedPair",
    "User",
    "UserSession",
    "Withdrawal",
]
