"""Withdrawals as two-phase holds: a request moves cash to a hold; approved and paid, or rejected.

A request below the configured threshold (`settings.payouts.auto_approve_below_minor`) is
approved at once; every other one waits in the finance queue. Approval turns it into a payout
through a provider (`services/payments/withdrawals/payouts.py`), after which the player cannot cancel it;
only the provider's confirmation moves the hold out of the platform. A rejection, a cancellation
by the player before approval, or a payout no provider would make returns the hold to cash.
Each use case writes its postings, its rows and its audit record in one transaction; a replayed
request returns the stored withdrawal and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casino_app.domain.errors import EmailNotVerified, InvalidAmount, InvalidInput, NotFound
from casino_app.domain.events import DomainEvent
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import Role
from casino_app.domain.money.vocabulary import AccountKind, TransactionKind
from casino_app.domain.payments.payout_rules import PayoutStatus, auto_approves
from casino_app.domain.payments.vocabulary import WITHDRAWAL_TRANSITIONS, WithdrawalStatus
from casino_app.persistence.retry import retry_transient
from casino_app.persistence.tables import User, Withdrawal
from casino_app.persistence.tables.payouts import Payout
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.common import money_line
from casino_app.services.dto import MoneyLine
from casino_app.services.identity.accounts import users
from casino_app.services.identity.sessions import server as sessions
from casino_app.services.money import ledger
from casino_app.services.payments.withdrawals import approvals, payouts
from casino_app.services.payments.withdrawals.approvals import AlreadyApproved as AlreadyApproved
from casino_app.services.payments.withdrawals.approvals import AlreadyResolved as AlreadyResolved
from casino_app.services.security import audit

UNCONFIRMED_EMAIL = "Please confirm your email address first: open the link we sent you, then withdraw."
CANCELLED_NOTE = "You cancelled this withdrawal."


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
    payout_status: str = ""  # "" until approved; then approved | sent | paid | failed
    payout_provider: str = ""


def _view(w: Withdrawal, email: str = "", payout: Payout | None = None) -> WithdrawalView:
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
        payout.status if payout else "",
        payout.provider if payout else "",
    )


def _view_now(uow: UnitOfWork, withdrawal_id: int) -> WithdrawalView:
    with uow.reader() as r:
        w = r.session.get(Withdrawal, withdrawal_id)
        if w is None:
            raise NotFound("Unknown withdrawal.")
        return _view(w, payout=approvals.payout_of(r.session, withdrawal_id))


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

    Below the auto-approval threshold the withdrawal is approved in the same transaction and
    paid out at once; otherwise it waits for an operator. The same request id returns the same
    withdrawal (and writes no second audit record).

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
            w = s.exec(select(Withdrawal).where(Withdrawal.hold_transaction_id == posted.id)).one()
            return _view(w, payout=approvals.payout_of(s, w.id or 0))
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
        threshold = uow.context.settings.payouts.auto_approve_below_minor
        auto = auto_approves(amount_minor, threshold)
        payout_id = approvals.approve_in(uow, row, user, approvals.AUTO_APPROVER, now) if auto else None
        uow.commit()
        assert row.id is not None
    if payout_id is not None:
        payouts.send(uow, payout_id, now)
    return _view_now(uow, row.id)


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
def resolve_withdrawal(
    uow: UnitOfWork, actor: Actor, withdrawal_id: int, outcome: str, *, now: datetime, reason: str = ""
) -> WithdrawalView:
    """Approve and pay ("paid"), or reject (hold -> cash) a requested withdrawal, once.

    Paying approves the withdrawal and sends its payout through a provider, preferring the
    method the player deposited with; the view shows "paid" once a provider confirmed it (at
    once for direct payouts), else the payout's status. Two operators deciding at once make one
    decision. Paying needs a code confirmed in the paying operator's own session in the last
    5 minutes (`mfa.confirm_operator_code`, or the sign-in's code); a rejection needs a reason.

    Raises:
        PermissionDenied: the actor may not decide withdrawals (or acts without a session).
        StepUpRequired: paying without a fresh code.
        InvalidTransition: not a move the vocabulary allows (AlreadyResolved: decided before;
            AlreadyApproved: approved before, its payout is under way).
        InvalidInput: a rejection without a reason.
    """
    target, reason = _outcome(outcome, reason)
    if target == WithdrawalStatus.REJECTED:
        return _reject(uow, actor, withdrawal_id, reason, now)
    sessions.require_step_up(uow, actor, now)  # money leaves the platform: a fresh code from who pays
    payout_id = approvals.approve(uow, actor.audit_name, withdrawal_id, reason, now)
    payouts.send(uow, payout_id, now)
    return _view_now(uow, withdrawal_id)


@retry_transient
def _reject(uow: UnitOfWork, actor: Actor, withdrawal_id: int, reason: str, now: datetime) -> WithdrawalView:
    with uow:
        s = uow.session
        w = _claim(s, withdrawal_id, WithdrawalStatus.REJECTED, actor, now)
        w.decision_note = reason
        w.resolve_transaction_id = _post_return(s, actor, w, now).id
        s.add(w)
        s.flush()
        _audit_decision(s, actor, w, "withdrawal.rejected", reason, now)
        uow.emit(DomainEvent("withdrawal.rejected", w.user_id, {"withdrawal_id": withdrawal_id}))
        uow.commit()
        return _view(w)


@authz.guard("player.wallet")
@retry_transient
def cancel_withdrawal(uow: UnitOfWork, actor: Actor, withdrawal_id: int, now: datetime) -> WithdrawalView:
    """The player takes back a withdrawal that is not approved yet: the hold returns to cash.

    Raises:
        NotFound: not one of the acting player's withdrawals.
        AlreadyApproved: approved (by an operator or automatically): it can no longer be reversed.
        AlreadyResolved: paid or rejected before.
    """
    player_id = actor.player_id()
    with uow:
        s = uow.session
        owned = s.get(Withdrawal, withdrawal_id)
        if owned is None or owned.user_id != player_id:
            raise NotFound("Unknown withdrawal.")
        w = _claim(s, withdrawal_id, WithdrawalStatus.REJECTED, actor, now)
        w.decision_note = CANCELLED_NOTE
        w.resolve_transaction_id = _post_return(s, actor, w, now).id
        s.add(w)
        s.flush()
        _audit_decision(s, actor, w, "withdrawal.cancelled", "cancelled by the player", now)
        uow.emit(DomainEvent("withdrawal.cancelled", player_id, {"withdrawal_id": withdrawal_id}))
        uow.commit()
        return _view(w)


def _audit_decision(s: Session, actor: Actor, w: Withdrawal, action: str, reason: str, now: datetime) -> None:
    audit.record(
        s,
        actor=actor.audit_name,
        action=action,
        subject=f"withdrawal:{w.id}",
        details={
            "before": WithdrawalStatus.REQUESTED.value,
            "after": w.status,
            "amount": w.amount,
            "currency": w.currency,
            "player": w.user_id,
            "provider": "",
            "reason": reason,
        },
        now=now,
    )


def _claim(
    s: Session, withdrawal_id: int, target: WithdrawalStatus, actor: Actor, now: datetime
) -> Withdrawal:
    """Move `requested -> target` atomically, unless it was decided or approved before."""
    approvals.lock_requested(s, withdrawal_id, target)
    s.execute(
        sa.update(Withdrawal)
        .where(col(Withdrawal.id) == withdrawal_id, col(Withdrawal.status) == WithdrawalStatus.REQUESTED)
        .values(status=target, resolved_by=actor.audit_name, resolved_at=now)
    )
    w = s.get(Withdrawal, withdrawal_id, populate_existing=True)
    assert w is not None
    return w


def _post_return(s: Session, actor: Actor, w: Withdrawal, now: datetime) -> ledger.PostedTransaction:
    """Hold -> cash: a rejection or a cancellation (the same key as a payout's: one resolution)."""
    hold = ledger.ensure_account(s, kind=AccountKind.PLAYER_HOLD, currency=w.currency, owner=w.user_id)
    cash = ledger.player_cash_account(s, w.user_id, w.currency)
    return ledger.post(
        s,
        kind=TransactionKind.WITHDRAWAL_REJECTED,
        idempotency_key=f"withdrawal-resolve:{w.id}",
        request={"withdrawal": w.id, "outcome": "rejected"},
        postings=[ledger.Posting(hold, -w.amount), ledger.Posting(cash, w.amount)],
        currency=w.currency,
        now=now,
        actor=actor.audit_name,
        reference=w.request_id,
    )


@authz.guard("player.wallet")
def player_withdrawals(uow: UnitOfWork, actor: Actor, limit: int = 20) -> list[WithdrawalView]:
    """The acting player's withdrawals, newest first, with their payouts' progress."""
    player_id = actor.player_id()
    with uow.reader() as r:
        rows = r.session.exec(
            select(Withdrawal, Payout)
            .join(Payout, col(Payout.withdrawal_id) == Withdrawal.id, isouter=True)
            .where(Withdrawal.user_id == player_id)
            .order_by(col(Withdrawal.id).desc())
            .limit(limit)
        ).all()
        return [_view(w, payout=p) for w, p in rows]


@authz.guard("ops.withdrawals.decide")
def pending_withdrawals(uow: UnitOfWork, actor: Actor, limit: int = 100) -> list[WithdrawalView]:
    """The finance queue: requested withdrawals nobody approved yet, oldest first.

    Raises:
        PermissionDenied: the actor may not decide withdrawals.
    """
    with uow.reader() as r:
        rows = r.session.exec(
            select(Withdrawal, User)
            .join(User, col(User.id) == Withdrawal.user_id)
            .join(Payout, col(Payout.withdrawal_id) == Withdrawal.id, isouter=True)
            .where(Withdrawal.status == WithdrawalStatus.REQUESTED, col(Payout.id).is_(None))
            .order_by(col(Withdrawal.id))
            .limit(limit)
        ).all()
        return [_view(w, users.email_of(r.context.keys, u)) for w, u in rows]


@authz.guard("ops.withdrawals.decide")
def payouts_under_way(uow: UnitOfWork, actor: Actor, limit: int = 100) -> list[WithdrawalView]:
    """Approved withdrawals whose payout a provider has not confirmed yet, oldest first."""
    with uow.reader() as r:
        rows = r.session.exec(
            select(Withdrawal, User, Payout)
            .join(User, col(User.id) == Withdrawal.user_id)
            .join(Payout, col(Payout.withdrawal_id) == Withdrawal.id)
            .where(col(Payout.status).in_([PayoutStatus.APPROVED, PayoutStatus.SENT]))
            .order_by(col(Withdrawal.id))
            .limit(limit)
        ).all()
        return [_view(w, users.email_of(r.context.keys, u), p) for w, u, p in rows]
