"""The permission matrix: which role may do what. One module, checked in every handler."""

from __future__ import annotations

from casino_app.domain.errors import PermissionDenied

OPERATOR_ROLES = frozenset({"support", "kyc_officer", "finance", "risk_compliance", "admin"})

PERMISSIONS: dict[str, frozenset[str]] = {
    "ops.dashboard.view": OPERATOR_ROLES,
    "ops.draws.run_now": frozenset({"admin"}),
    "player.play": frozenset({"player"}),
    "player.wallet": frozenset({"player"}),
}


def allowed(role: str | None, permission: str) -> bool:
    """True when `role` holds `permission`; unknown permissions are denied."""
    return role is not None and role in PERMISSIONS.get(permission, frozenset())


def require(role: str | None, permission: str) -> None:
    """Raise `PermissionDenied` unless `role` holds `permission`."""
    if not allowed(role, permission):
        raise PermissionDenied("You do not have permission to do that.")


def is_operator(role: str | None) -> bool:
    return role in OPERATOR_ROLES
