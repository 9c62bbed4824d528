"""The permission matrix: which role may do what. One module, checked in every handler.

Roles: player, support, kyc_officer, finance, risk_compliance, admin. Operator pages and
handlers name the permission they need; `tests/integration/test_rbac_matrix.py` proves every
grant and every denial of every operator handler and API route.
"""

from __future__ import annotations

from datetime import datetime

from casino_app.domain.errors import PermissionDenied
from casino_app.persistence.uow import UnitOfWork

PLAYER = "player"
OPERATOR_ROLES = frozenset({"support", "kyc_officer", "finance", "risk_compliance", "admin"})
ROLES = frozenset({PLAYER, *OPERATOR_ROLES})
DENIED = "You do not have permission to do that."

PERMISSIONS: dict[str, frozenset[str]] = {
    "ops.dashboard.view": OPERATOR_ROLES,
    "ops.draws.run_now": frozenset({"admin"}),
    "ops.withdrawals.decide": frozenset({"finance", "admin"}),
    "ops.ledger.reverse": frozenset({"finance", "admin"}),
    "ops.operators.manage": frozenset({"admin"}),
    "ops.players.view": frozenset({"support", "kyc_officer", "risk_compliance", "admin"}),
    "ops.players.revoke_sessions": frozenset({"support", "risk_compliance", "admin"}),
    "ops.players.unlock": frozenset({"support", "admin"}),
    "player.play": frozenset({"player"}),
    "player.wallet": frozenset({"player"}),
    "player.account": frozenset({"player"}),
}


def allowed(role: str | None, permission: str) -> bool:
    """True when `role` holds `permission`; unknown permissions are denied."""
    return role is not None and role in PERMISSIONS.get(permission, frozenset())


def require(role: str | None, permission: str) -> None:
    """Raise `PermissionDenied` unless `role` holds `permission`."""
    if not allowed(role, permission):
        raise PermissionDenied(DENIED)


def is_operator(role: str | None) -> bool:
    return role in OPERATOR_ROLES


def enforce(uow: UnitOfWork, role: str | None, actor: str, permission: str, now: datetime) -> None:
    """`require`, and a denial is written to the audit log (in its own transaction) first.

    Args:
        uow: where to audit a denial.
        role: the caller's role (None when signed out).
        actor: who asked ("operator:3", "player:12", "anonymous").
        permission: what they asked for.
        now: the time of the request.

    Raises:
        PermissionDenied: `role` does not hold `permission`.
    """
    if allowed(role, permission):
        return
    from casino_app.services.security import audit

    with uow:
        audit.record(
            uow.session,
            actor=actor,
            action="authz.denied",
            subject=f"permission:{permission}",
            details={"role": role or ""},
            now=now,
        )
        uow.commit()
    raise PermissionDenied(DENIED)
