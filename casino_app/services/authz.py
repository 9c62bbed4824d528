"""The permission matrix: which role may do what, enforced by the services themselves.

Roles: player, support, kyc_officer, finance, risk_compliance, admin, and `system` (scheduled
jobs and the shell, never built from a request). Every service that reads private data or
changes state takes the `Actor` and is declared with `@guard(permission)`, which checks the
matrix (and audits a denial) before the body runs. Entry points only build the actor.
`tests/integration/test_rbac_matrix.py` proves every guarded service, Reflex handler and API
route against every role.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlmodel import Session

from casino_app.domain.errors import PermissionDenied
from casino_app.domain.identity.actor import SYSTEM, Actor
from casino_app.domain.identity.vocabulary import OPERATOR_ROLES as _OPERATOR_ROLES
from casino_app.domain.identity.vocabulary import Role
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.security.denials import Repeated, Verdict

PLAYER = Role.PLAYER.value
OPERATOR_ROLES = frozenset(r.value for r in _OPERATOR_ROLES)
ROLES = frozenset({PLAYER, *OPERATOR_ROLES})
DENIED = "You do not have permission to do that."
_ANY_OPERATOR = OPERATOR_ROLES

_OPERATOR_PERMISSIONS: dict[str, frozenset[str]] = {
    "ops.dashboard.view": _ANY_OPERATOR,
    "ops.draws.run_now": frozenset({"admin"}),
    "ops.bets.void": frozenset({"risk_compliance", "admin"}),
    "ops.draws.view": frozenset({"finance", "risk_compliance", "admin"}),  # draws, stakes, settlement figures
    "ops.draws.cancel": frozenset({"risk_compliance", "admin"}),  # cancel a draw: every stake refunded
    "ops.withdrawals.decide": frozenset({"finance", "admin"}),
    "ops.reconciliation.review": frozenset({"finance", "admin"}),  # provider vs ledger mismatches
    "ops.ledger.reverse": frozenset({"finance", "admin"}),
    "ops.operators.manage": frozenset({"admin"}),
    "ops.players.view": frozenset({"support", "kyc_officer", "risk_compliance", "admin"}),
    "ops.players.revoke_sessions": frozenset({"support", "risk_compliance", "admin"}),
    "ops.players.unlock": frozenset({"support", "admin"}),
    "ops.security.manage": frozenset({"admin"}),
    "ops.games.manage": frozenset({"admin"}),
    "ops.rg.view": frozenset({"support", "risk_compliance", "admin"}),  # RG cases and a player's RG history
    "ops.rg.manage": frozenset({"risk_compliance", "admin"}),  # cases; impose limits or exclusion
}
_PLAYER_PERMISSIONS = ("player.play", "player.wallet", "player.history", "player.account", "player.privacy")
_SYSTEM_PERMISSIONS = ("system.jobs", "system.payments")  # payments: provider webhooks, status polling

# The system role may do what an operator may (the shell is trusted), never what a player does.
PERMISSIONS: dict[str, frozenset[str]] = {
    **{p: roles | {SYSTEM} for p, roles in _OPERATOR_PERMISSIONS.items()},
    **{p: frozenset({PLAYER}) for p in _PLAYER_PERMISSIONS},
    **{p: frozenset({SYSTEM}) for p in _SYSTEM_PERMISSIONS},
}

# "module.function" -> permission, for every service declared with `@guard`.
GUARDED_SERVICES: dict[str, str] = {}

P = ParamSpec("P")
T = TypeVar("T")


def allowed(role: str | None, permission: str) -> bool:
    """True when `role` holds `permission`; unknown permissions are denied."""
    return role is not None and role in PERMISSIONS.get(permission, frozenset())


def is_operator(role: str | None) -> bool:
    return role in OPERATOR_ROLES


def enforce(uow: UnitOfWork, actor: Actor, permission: str, *, source: str = "") -> None:
    """Raise `PermissionDenied` unless the actor holds `permission`; a denial is audited first.

    The audit record is written in its own transaction, so it stays although the call fails.
    With a `source` (the connection: `denials.source_of("tab", client_token)`), denials are
    aggregated: the first per (source, actor, permission) a minute is audited, the rest are
    counted and written later as one `authz.denied_repeated` record; every call is denied.
    """
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    if allowed(actor.role, permission):
        return
    now = uow.context.clock.now()
    verdict = (
        uow.context.denials.note(source, actor.audit_name, actor.role or "", permission, now)
        if source
        else Verdict(True)
    )
    if verdict.audit or verdict.repeated:
        with uow.fresh() as work:
            record_repeated(work.session, verdict.repeated, now)
            if verdict.audit:
                details = {"role": actor.role or "", **({"source": source} if source else {})}
                _audit().record(
                    work.session,
                    actor=actor.audit_name,
                    action="authz.denied",
                    subject=f"permission:{permission}",
                    details=details,
                    now=now,
                )
            work.commit()
    raise PermissionDenied(DENIED)


def record_repeated(session: Session, repeated: tuple[Repeated, ...], now: datetime) -> None:
    """Write the counts of denials that were not audited one by one (in the caller's transaction)."""
    for r in repeated:
        _audit().record(
            session,
            actor=r.actor,
            action="authz.denied_repeated",
            subject=f"permission:{r.permission}",
            details={"role": r.role, "source": r.source, "count": r.count, "since": r.started},
            now=now,
        )


def flush_denials(uow: UnitOfWork) -> int:
    """Write the counts of every finished denial window of this process; returns how many records."""
    repeated = uow.context.denials.flush(uow.context.clock.now())
    if repeated:
        with uow.fresh() as work:
            record_repeated(work.session, repeated, uow.context.clock.now())
            work.commit()
    return len(repeated)


def _audit() -> Any:
    from casino_app.services.security import audit  # on first use: keeps import order free of cycles

    return audit


def guard(
    permission: str,
) -> Callable[
    [Callable[Concatenate[UnitOfWork, Actor, P], T]], Callable[Concatenate[UnitOfWork, Actor, P], T]
]:
    """Declare a service `fn(uow, actor, ...)` with the permission it needs; checked on every call."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    def decorate(
        fn: Callable[Concatenate[UnitOfWork, Actor, P], T],
    ) -> Callable[Concatenate[UnitOfWork, Actor, P], T]:
        @functools.wraps(fn)
        def guarded(uow: UnitOfWork, actor: Actor, /, *args: P.args, **kwargs: P.kwargs) -> T:
            enforce(uow, actor, permission)
            return fn(uow, actor, *args, **kwargs)

        guarded.permission = permission  # type: ignore[attr-defined]
        GUARDED_SERVICES[f"{fn.__module__}.{fn.__qualname__}"] = permission
        return guarded

    return decorate


def permission_of(fn: Any) -> str | None:
    """The permission a guarded service declares (None for an unguarded function)."""
    return getattr(fn, "permission", None)
