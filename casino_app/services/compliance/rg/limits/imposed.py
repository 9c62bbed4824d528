"""Lifting a limit the safer gambling team imposed (imposing one is `limits.impose_limit`).

A lift is a decision of the team, with a reason, in force at once: a review found the limit no
longer needed, or an appeal succeeded. It removes only the imposed limit; the player's own
limits stay exactly as they are, so an operator still cannot loosen what the player set.
"""

from __future__ import annotations

from datetime import datetime

from casino_app.domain.compliance.vocabulary import ChangeStatus, LimitSource
from casino_app.domain.errors import InvalidInput
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import RgLimitChange
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.compliance.rg import state
from casino_app.services.compliance.rg.dto import LiftLimit, LimitChangeView
from casino_app.services.compliance.rg.limits import setting as limits


@authz.guard("ops.rg.manage")
def lift_imposed_limit(
    uow: UnitOfWork, actor: Actor, user_id: int, cmd: LiftLimit, now: datetime
) -> LimitChangeView:
    """Remove an imposed limit now, with a reason; audited and emitted as `limit.changed`.

    Raises:
        InvalidInput: no reason, an unknown limit, or no imposed limit of that kind in force.
        NotFound: no such player.
    """
    kind, period = limits.parse_key(cmd.kind, cmd.period)
    reason = limits.check_reason(cmd.reason)
    with uow:
        s = uow.session
        user = state.lock_player(s, user_id)
        currency = limits.currency_of(kind, cmd.currency, user.currency)
        imposed = limits.limit_row(s, user_id, currency, kind, period, LimitSource.OPERATOR)
        if imposed is None:
            raise InvalidInput("There is no imposed limit of that kind to lift.")
        change = RgLimitChange(
            user_id=user_id,
            currency=currency,
            kind=kind,
            period=period,
            source=LimitSource.OPERATOR,
            old_amount=imposed.amount,
            new_amount=None,
            status=ChangeStatus.APPLIED,
            requested_at=now,
            effective_at=now,
            requested_by=actor.audit_name,
            reason=reason,
        )
        limits.apply_change(
            s, change, state.profile_of(uow.context.settings, user.country), actor.audit_name, now
        )
        s.add(change)
        s.flush()
        limits.announce(uow, actor, change, "rg.limit_lifted", now)
        uow.commit()
        return limits.view(change, now, "The imposed limit is lifted.")
