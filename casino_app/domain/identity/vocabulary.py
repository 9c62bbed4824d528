"""Identity's vocabulary: roles, account statuses, session kinds."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PLAYER = "player"
    SUPPORT = "support"
    KYC_OFFICER = "kyc_officer"
    FINANCE = "finance"
    RISK_COMPLIANCE = "risk_compliance"
    ADMIN = "admin"


OPERATOR_ROLES: frozenset[Role] = frozenset(Role) - {Role.PLAYER}


class UserStatus(StrEnum):
    ACTIVE = "active"
    ERASED = "erased"  # personal data pseudonymized; the ledger stays


class SessionKind(StrEnum):
    BROWSER = "browser"
    API = "api"  # a mobile refresh-token family
