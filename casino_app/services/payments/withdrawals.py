"""Withdrawals as two-phase holds: request moves cash to a hold; paid or rejected, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from casino_app.domain.errors import DomainError, InvalidAmount, InvalidInput, NotFound
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.tables import User, Withdrawal
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line
from casino_app.services.dto import MoneyLine
from casino_app.services.identity import sessions, signin
from casino_app.services.money import ledger
from casino_app.services.security import audit


class AlreadyResolved(DomainError):
    code = "withdrawal_resolved"


@dataclass(frozen=True)
class WithdrawalView:
    id: int
    user_id: int
    amount: MoneyLine
    status: str
    created_at: datetime
    resolved_at: datetime | None
    player_email: str = ""


def _view(w: Withdrawal, email: str = "") -> WithdrawalView:
    assert w.id is not None
    return WithdrawalView(
        w.id, w.user_id, money_line(w.amount, w.currency), w.status, w.created_at, w.resolved_at, email
    )


@retry_transient
def request_withdrawal(
    uow: UnitOfWork, user_id: int, amount_minor: int, request_id: str, now: datetime
) -> WithdrawalView:
    """Move cash to the player's withdrawal hold; the same request id returns the same withdrawal.

    Raises:
        InvalidAmount: not a positive amount.
        InsufficientFunds: more than the cash balance (bonus money never withdraws).
    """
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise InvalidAmount("The amount must be greater than zero.")
    if not request_id or len(request_id) > 128:
        raise InvalidInput("A withdrawal request needs an id of 1 to 128 characters.")
    with uow:
        s = uow.session
        user = s.get(User, user_id)
        if user is None or user.role != "player":
            raise NotFound("Unknown player.")
        cash = ledger.player_cash_account(s, user_id, user.currency)
        hold = ledger.ensure_account(s, kind="player_hold", currency=user.currency, owner=user_id)
        posted = ledger.post(
            s,
            kind="withdrawal_hold",
            idempotency_key=f"withdrawal:{user_id}:{request_id}",
            request={"user": user_id, "amount": amount_minor},
            postings=[ledger.Posting(cash, -amount_minor), ledger.Posting(hold, amount_minor)],
            currency=user.currency,
            now=now,
            actor=f"player:{user_id}",
            reference=request_id,
        )
        if posted.replayed:
            return _view(s.exec(select(Withdrawal).where(Withdrawal.hold_transaction_id == posted.id)).one())
        row = Withdrawal(
            user_id=user_id,
            request_id=request_id,
            amount=amount_minor,
            currency=user.currency,
            hold_transaction_id=posted.id,
            created_at=now,
        )
        s.add(row)
        s.flush()
        uow.commit()
        return _view(row)


def withdraw(
    uow: UnitOfWork, session_id: int, user_id: int, amount_minor: int, request_id: str, now: datetime
) -> WithdrawalView:
    """The player's withdrawal: a step-up in this session (a code from the last 5 minutes),
    then the hold; audited.

    Raises:
        StepUpRequired: the session has not confirmed a code or password recently.
    """
    sessions.require_step_up(uow, session_id, now)
    view = request_withdrawal(uow, user_id, amount_minor, request_id, now)
    with uow:
        audit.record(
            uow.session,
            actor=f"player:{user_id}",
            action="withdrawal.request",
            subject=f"withdrawal:{view.id}",
            details={"amount": view.amount.minor, "currency": view.amount.currency, "request_id": request_id},
            now=now,
        )
        uow.commit()
    return view


@retry_transient
def resolve_withdrawal(
    uow: UnitOfWork,
    withdrawal_id: int,
    outcome: str,
    *,
    role: str | None,
    actor: str,
    now: datetime,
    reason: str = "",
    provider: str = "sandbox",
) -> WithdrawalView:
    """Pay (hold -> provider clearing) or reject (hold -> cash) a withdrawal, exactly once.

    The decision is audited with the operator's reason (mandatory for a rejection).

    Raises:
        PermissionDenied: the role may not decide withdrawals.
        AlreadyResolved: the withdrawal was already paid or rejected.
        InvalidInput: a rejection without a reason.
    """
    authz.require(role, "ops.withdrawals.decide")
    if outcome not in ("paid", "rejected"):
        raise InvalidInput("A withdrawal is either paid or rejected.")
    reason = (reason or "").strip()[:255]
    if outcome == "rejected" and not reason:
        raise InvalidInput("Give the player a reason for the rejection.")
    with uow:
        s = uow.session
        claimed = s.execute(
            sa.update(Withdrawal)
            .where(col(Withdrawal.id) == withdrawal_id, col(Withdrawal.status) == "requested")
            .values(status=outcome, resolved_by=actor, resolved_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            if s.get(Withdrawal, withdrawal_id) is None:
                raise NotFound("Unknown withdrawal.")
            raise AlreadyResolved("This withdrawal has already been resolved.")
        w = s.get(Withdrawal, withdrawal_id)
        assert w is not None
        hold = ledger.ensure_account(s, kind="player_hold", currency=w.currency, owner=w.user_id)
        if outcome == "paid":
            other = ledger.ensure_account(s, kind="provider_clearing", currency=w.currency, owner=provider)
        else:
            other = ledger.player_cash_account(s, w.user_id, w.currency)
        posted = ledger.post(
            s,
            kind=f"withdrawal_{outcome}",
            idempotency_key=f"withdrawal-resolve:{withdrawal_id}",
            request={"withdrawal": withdrawal_id, "outcome": outcome},
            postings=[ledger.Posting(hold, -w.amount), ledger.Posting(other, w.amount)],
            currency=w.currency,
            now=now,
            actor=actor,
            reference=w.request_id,
        )
        w.resolve_transaction_id = posted.id
        s.add(w)
        s.flush()
        audit.record(
            s,
            actor=actor,
            action=f"withdrawal.{outcome}",
            subject=f"withdrawal:{withdrawal_id}",
            details={
                "before": "requested",
                "after": outcome,
                "amount": w.amount,
                "currency": w.currency,
                "player": w.user_id,
                "reason": reason or outcome,
            },
            now=now,
        )
        uow.commit()
        return _view(w)


def player_withdrawals(uow: UnitOfWork, user_id: int, limit: int = 20) -> list[WithdrawalView]:
    """The player's withdrawals, newest first."""
    with uow.reader() as r:
        rows = r.session.exec(
            select(Withdrawal)
            .where(Withdrawal.user_id == user_id)
            .order_by(col(Withdrawal.id).desc())
            .limit(limit)
        ).all()
        return [_view(w) for w in rows]


def pending_withdrawals(uow: UnitOfWork, role: str | None, limit: int = 100) -> list[WithdrawalView]:
    """The operators' queue: requested withdrawals, oldest first.

    Raises:
        PermissionDenied: the role may not decide withdrawals.
    """
    authz.require(role, "ops.withdrawals.decide")
    with uow.reader() as r:
        rows = r.session.exec(
            select(Withdrawal, User)
            .join(User, col(User.id) == Withdrawal.user_id)
            .where(Withdrawal.status == "requested")
            .order_by(col(Withdrawal.id))
            .limit(limit)
        ).all()
        return [_view(w, signin.user_view(u).email) for w, u in rows]
