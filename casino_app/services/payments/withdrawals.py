"""Withdrawals as two-phase holds: a request moves cash to a hold; paid or rejected, once.

Each use case writes its postings, its withdrawal row and its audit record in one transaction;
a replayed request returns the stored withdrawal and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.domain.errors import (
    EmailNotVerified,
    InvalidAmount,
    InvalidInput,
    InvalidTransition,
    NotFound,
)
from casino_app.domain.events import DomainEvent
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import Role
from casino_app.domain.money.vocabulary import AccountKind, TransactionKind
from casino_app.domain.payments.vocabulary import WITHDRAWAL_TRANSITIONS, WithdrawalStatus
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.tables import User, Withdrawal
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line
from casino_app.services.dto import MoneyLine
from casino_app.services.identity import sessions, users
from casino_app.services.money import ledger
from casino_app.services.security import audit

_RESOLVED_KIND = {
    WithdrawalStatus.PAID: TransactionKind.WITHDRAWAL_PAID,
    WithdrawalStatus.REJECTED: TransactionKind.WITHDRAWAL_REJECTED,
}


UNCONFIRMED_EMAIL = "Please confirm your email address first: open the link we sent you, then withdraw."


class AlreadyResolved(InvalidTransition):
    """The withdrawal was paid or rejected before: its status cannot move again."""

    code = "withdrawal_resolved"


@dataclass(frozen=True)
class WithdrawalView:
    id: int
    user_id: int
    amount: MoneyLine
    status: WithdrawalStatus
    created_at: datetime
    resolved_at: datetime | None
    player_email: str = ""
    reason: str = ""  # the operator's reason for a rejection, shown to the player


def _view(w: Withdrawal, email: str = "") -> WithdrawalView:
    assert w.id is not None
    return WithdrawalView(
        w.id,
        w.user_id,
        money_line(w.amount, w.currency),
        WithdrawalStatus(w.status),
        w.created_at,
        w.resolved_at,
        email,
        w.decision_note,
    )


def _check_request(amount_minor: int, request_id: str) -> None:
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise InvalidAmount("The amount must be greater than zero.")
    if not request_id or len(request_id) > 128:
        raise InvalidInput("A withdrawal request needs an id of 1 to 128 characters.")


@authz.guard("player.wallet")
@retry_transient
def request_withdrawal(
    uow: UnitOfWork, actor: Actor, amount_minor: int, request_id: str, now: datetime
) -> WithdrawalView:
    """Move the acting player's cash to their withdrawal hold, after a step-up in their session.

    The same request id returns the same withdrawal (and writes no second audit record).

    Raises:
        PermissionDenied: not a player, or the session is not the actor's.
        StepUpRequired: the session has not confirmed a code or the password recently.
        EmailNotVerified: the player never confirmed their email (nothing is written).
        InvalidAmount: not a positive amount.
        InsufficientFunds: more than the cash balance (bonus money never withdraws).
    """
    player_id = actor.player_id()
    _check_request(amount_minor, request_id)
    sessions.require_step_up(uow, actor, now)
    with uow:
        s = uow.session
        user = s.get(User, player_id)
        if user is None or user.role != Role.PLAYER:
            raise NotFound("Unknown player.")
        if user.email_verified_at is None:
            raise EmailNotVerified(UNCONFIRMED_EMAIL)
        posted = _post_hold(s, actor, user, amount_minor, request_id, now)
        if posted.replayed:
            return _view(s.exec(select(Withdrawal).where(Withdrawal.hold_transaction_id == posted.id)).one())
        row = Withdrawal(
            user_id=player_id,
            request_id=request_id,
            amount=amount_minor,
            currency=user.currency,
            status=WithdrawalStatus.REQUESTED,
            hold_transaction_id=posted.id,
            created_at=now,
        )
        s.add(row)
        s.flush()
        _audit_request(s, actor, row, now)
        uow.emit(DomainEvent("withdrawal.requested", player_id, {"withdrawal_id": row.id}))
        uow.commit()
        return _view(row)


def _post_hold(
    s: Session, actor: Actor, user: User, amount_minor: int, request_id: str, now: datetime
) -> ledger.PostedTransaction:
    assert user.id is not None
    cash = ledger.player_cash_account(s, user.id, user.currency)
    hold = ledger.ensure_account(s, kind=AccountKind.PLAYER_HOLD, currency=user.currency, owner=user.id)
    return ledger.post(
        s,
        kind=TransactionKind.WITHDRAWAL_HOLD,
        idempotency_key=f"withdrawal:{user.id}:{request_id}",
        request={"user": user.id, "amount": amount_minor},
        postings=[ledger.Posting(cash, -amount_minor), ledger.Posting(hold, amount_minor)],
        currency=user.currency,
        now=now,
        actor=actor.audit_name,
        reference=request_id,
    )


def _audit_request(s: Session, actor: Actor, w: Withdrawal, now: datetime) -> None:
    audit.record(
        s,
        actor=actor.audit_name,
        action="withdrawal.request",
        subject=f"withdrawal:{w.id}",
        details={"amount": w.amount, "currency": w.currency, "request_id": w.request_id},
        now=now,
    )


def _outcome(outcome: str, reason: str) -> tuple[WithdrawalStatus, str]:
    try:
        target = WithdrawalStatus(outcome)
    except ValueError:
        raise InvalidInput("A withdrawal is either paid or rejected.") from None
    WITHDRAWAL_TRANSITIONS.check(WithdrawalStatus.REQUESTED, target)
    reason = (reason or "").strip()[:255]
    if target == WithdrawalStatus.REJECTED and not reason:
        raise InvalidInput("Give the player a reason for the rejection.")
    return target, reason


@authz.guard("ops.withdrawals.decide")
@retry_transient
def resolve_withdrawal(
    uow: UnitOfWork, actor: Actor, withdrawal_id: int, outcome: str, *, now: datetime, reason: str = ""
) -> WithdrawalView:
    """Pay (hold -> the default provider's clearing) or reject (hold -> cash) a withdrawal, once.

    The status moves by `WITHDRAWAL_TRANSITIONS`, claimed with one conditional update, so two
    operators deciding at once make one decision. It is audited with the operator's reason
    (mandatory for a rejection).

    Paying needs a code confirmed in the paying operator's own session in the last 5 minutes
    (`mfa.confirm_operator_code`, or the sign-in's code).

    Raises:
        PermissionDenied: the actor may not decide withdrawals (or acts without a session).
        StepUpRequired: paying without a fresh code.
        InvalidTransition: not a move the vocabulary allows (AlreadyResolved: decided before).
        InvalidInput: a rejection without a reason.
    """
    target, reason = _outcome(outcome, reason)
    if target == WithdrawalStatus.PAID:  # money leaves the platform: a fresh code from who pays
        sessions.require_step_up(uow, actor, now)
    with uow:
        s = uow.session
        w = _claim(s, withdrawal_id, target, actor, now)
        if target == WithdrawalStatus.REJECTED:
            w.decision_note = reason
        provider = uow.context.payments.get().name
        w.resolve_transaction_id = _post_resolution(s, actor, w, target, provider, now).id
        s.add(w)
        s.flush()
        audit.record(
            s,
            actor=actor.audit_name,
            action=f"withdrawal.{target.value}",
            subject=f"withdrawal:{withdrawal_id}",
            details={
                "before": WithdrawalStatus.REQUESTED.value,
                "after": target.value,
                "amount": w.amount,
                "currency": w.currency,
                "player": w.user_id,
                "provider": provider if target == WithdrawalStatus.PAID else "",
                "reason": reason or target.value,
            },
            now=now,
        )
        uow.emit(DomainEvent(f"withdrawal.{target.value}", w.user_id, {"withdrawal_id": withdrawal_id}))
        uow.commit()
        return _view(w)


def _claim(
    s: Session, withdrawal_id: int, target: WithdrawalStatus, actor: Actor, now: datetime
) -> Withdrawal:
    """Move `requested -> target` atomically; a withdrawal decided before is refused."""
    claimed = s.execute(
        sa.update(Withdrawal)
        .where(col(Withdrawal.id) == withdrawal_id, col(Withdrawal.status) == WithdrawalStatus.REQUESTED)
        .values(status=target, resolved_by=actor.audit_name, resolved_at=now)
    )
    w = s.get(Withdrawal, withdrawal_id, populate_existing=True)
    if w is None:
        raise NotFound("Unknown withdrawal.")
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        current = WithdrawalStatus(w.status)
        if not WITHDRAWAL_TRANSITIONS.can(current, target):
            raise AlreadyResolved(
                f"This withdrawal has already been resolved ({current.value}); "
                f"it cannot become {target.value}."
            )
        raise InvalidTransition("The withdrawal changed while it was being decided; try again.")
    return w


def _post_resolution(
    s: Session, actor: Actor, w: Withdrawal, target: WithdrawalStatus, provider: str, now: datetime
) -> ledger.PostedTransaction:
    hold = ledger.ensure_account(s, kind=AccountKind.PLAYER_HOLD, currency=w.currency, owner=w.user_id)
    if target == WithdrawalStatus.PAID:
        other = ledger.ensure_account(
            s, kind=AccountKind.PROVIDER_CLEARING, currency=w.currency, owner=provider
        )
    else:
        other = ledger.player_cash_account(s, w.user_id, w.currency)
    return ledger.post(
        s,
        kind=_RESOLVED_KIND[target],
        idempotency_key=f"withdrawal-resolve:{w.id}",
        request={"withdrawal": w.id, "outcome": target.value},
        postings=[ledger.Posting(hold, -w.amount), ledger.Posting(other, w.amount)],
        currency=w.currency,
        now=now,
        actor=actor.audit_name,
        reference=w.request_id,
    )


@authz.guard("player.wallet")
def player_withdrawals(uow: UnitOfWork, actor: Actor, limit: int = 20) -> list[WithdrawalView]:
    """The acting player's withdrawals, newest first."""
    player_id = actor.player_id()
    with uow.reader() as r:
        rows = r.session.exec(
            select(Withdrawal)
            .where(Withdrawal.user_id == player_id)
            .order_by(col(Withdrawal.id).desc())
            .limit(limit)
        ).all()
        return [_view(w) for w in rows]


@authz.guard("ops.withdrawals.decide")
def pending_withdrawals(uow: UnitOfWork, actor: Actor, limit: int = 100) -> list[WithdrawalView]:
    """The operators' queue: requested withdrawals, oldest first.

    Raises:
        PermissionDenied: the actor may not decide withdrawals.
    """
    with uow.reader() as r:
        rows = r.session.exec(
            select(Withdrawal, User)
            .join(User, col(User.id) == Withdrawal.user_id)
            .where(Withdrawal.status == WithdrawalStatus.REQUESTED)
            .order_by(col(Withdrawal.id))
            .limit(limit)
        ).all()
        return [_view(w, users.email_of(r.context.keys, u)) for w, u in rows]
