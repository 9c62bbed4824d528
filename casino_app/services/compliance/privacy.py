"""A player's personal data: download it (GDPR art. 15/20) and erase it (art. 17).

Erasure pseudonymizes: sealed personal data is removed or replaced with a pseudonym, sessions
end and the account can no longer sign in, while the ledger, tickets and payments, which the
law requires us to keep, stay intact and linked to the same (now pseudonymous) user id.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from casino_app.adapters.keys import KeyProvider
from casino_app.domain.errors import InvalidInput, NotFound, PermissionDenied
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import Role, UserStatus
from casino_app.domain.money.amounts import Money, format_money, to_decimal_string
from casino_app.domain.money.vocabulary import FUNDS_LABELS, PLAYER_FUNDS, AccountKind
from casino_app.persistence.tables import (
    Account,
    Bet,
    Game,
    LedgerEntry,
    LedgerTransaction,
    Notification,
    Payment,
    Round,
    User,
    Withdrawal,
)
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.compliance.rg import export as rg_export
from casino_app.services.identity.accounts import users
from casino_app.services.security import audit, crypto

EXPORT_FORMAT = "kasyno-player-data/3"  # 2: bets of every game; 3: responsible gaming, preferences
ERASED_STATUS = UserStatus.ERASED
PII_FIELDS = ("full_name", "birth_date", "address", "phone")
# Kept: the ledger and the records tied to money (AML/accounting retention), without identity.
_SKIP_ERASE = frozenset({"users"})
_ACC = Account.__table__  # type: ignore[attr-defined]
_TXN = LedgerTransaction.__table__  # type: ignore[attr-defined]
_ENT = LedgerEntry.__table__  # type: ignore[attr-defined]
_INBOX = Notification.__table__  # type: ignore[attr-defined]
_BETS = Bet.__table__  # type: ignore[attr-defined]
_ROUNDS = Round.__table__  # type: ignore[attr-defined]
_GAMES = Game.__table__  # type: ignore[attr-defined]
_PAY = Payment.__table__  # type: ignore[attr-defined]
_WD = Withdrawal.__table__  # type: ignore[attr-defined]
_FUNDS = sorted(kind.value for kind in PLAYER_FUNDS)


def _amount(minor: int, currency: str) -> dict[str, str]:
    return {"amount": to_decimal_string(Money(minor, currency)), "currency": currency}


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _player(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Unknown player.")
    if user.role != Role.PLAYER:
        raise PermissionDenied("Only player accounts have a self-service data export.")
    return user


@authz.guard("player.privacy")
def export_player_data(uow: UnitOfWork, actor: Actor, now: datetime) -> dict[str, Any]:
    """Everything we hold about the acting player, decrypted, as a JSON-ready dict.

    Secrets are never exported: no password hash, TOTP secret, token or session token hash.
    """
    with uow.reader() as r:
        return _export(r, actor.player_id(), now)


def _export(uow: UnitOfWork, user_id: int, now: datetime) -> dict[str, Any]:
    s = uow.session
    user = _player(s, user_id)
    return {
        "format": EXPORT_FORMAT,
        "generated_at": _iso(now),
        "profile": _profile(user, uow.context.keys),
        "accounts": _accounts(s, user_id),
        "transactions": _transactions(s, user_id),
        "bets": _bets(s, user_id),
        "payments": _payments(s, user_id),
        "withdrawals": _withdrawals(s, user_id),
        "sessions": _sessions(s, user_id),
        "activity": _activity(s, user_id),
        "responsible_gaming": rg_export.responsible_gaming(s, user_id),
        "preferences": rg_export.preferences(s, user_id),
        "inbox": rg_export.inbox(s, user_id),
    }


def _profile(user: User, keys: KeyProvider) -> dict[str, Any]:
    erased = user.status == ERASED_STATUS
    return {
        "id": user.id,
        "email": "" if erased else users.email_of(keys, user),
        **{field: crypto.open_column(keys, user, f"{field}_enc") for field in PII_FIELDS},
        "country": user.country,
        "currency": user.currency,
        "status": user.status,
        "created_at": _iso(user.created_at),
        "email_verified_at": _iso(user.email_verified_at),
        "terms_version": user.terms_version,
        "privacy_version": user.privacy_version,
        "consent_at": _iso(user.consent_at),
        "last_login_at": _iso(user.last_login_at),
        "last_login_ip": user.last_login_ip,
        "previous_login_at": _iso(user.previous_login_at),
        "previous_login_ip": user.previous_login_ip,
        "two_factor_enabled": user.totp_enabled_at is not None,
    }


def _accounts(s: Session, user_id: int) -> list[dict[str, Any]]:
    rows = s.execute(sa.select(_ACC).where(*_funds_of(user_id)).order_by(_ACC.c.id)).all()
    return [{"kind": a.kind, **_amount(a.balance, a.currency)} for a in rows]


def _funds_of(user_id: int) -> tuple[sa.ColumnElement[bool], ...]:
    """The player's own funds accounts (`PLAYER_FUNDS`): what is exported and must be empty to erase."""
    return (_ACC.c.owner_id == user_id, _ACC.c.kind.in_(_FUNDS))


def _transactions(s: Session, user_id: int) -> list[dict[str, Any]]:
    rows = s.execute(
        sa.select(
            _TXN.c.id,
            _TXN.c.kind,
            _TXN.c.reference,
            _TXN.c.created_at,
            _ENT.c.amount,
            _ENT.c.currency,
            _ENT.c.balance_after,
            _ACC.c.kind.label("account"),
        )
        .join(_ENT, _ENT.c.transaction_id == _TXN.c.id)
        .join(_ACC, _ACC.c.id == _ENT.c.account_id)
        .where(*_funds_of(user_id))
        .order_by(_TXN.c.id, _ENT.c.id)
    ).all()
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "account": r.account,
            "reference": r.reference,
            "created_at": _iso(r.created_at),
            **_amount(r.amount, r.currency),
            "balance_after": None
            if r.balance_after is None
            else to_decimal_string(Money(r.balance_after, r.currency)),
        }
        for r in rows
    ]


def _bets(s: Session, user_id: int) -> list[dict[str, Any]]:
    rows = s.execute(
        sa.select(_BETS, _ROUNDS.c.code.label("round_code"), _GAMES.c.name.label("game"))
        .join(_ROUNDS, _ROUNDS.c.id == _BETS.c.round_id)
        .join(_GAMES, _GAMES.c.id == _BETS.c.game_id)
        .where(_BETS.c.user_id == user_id)
        .order_by(_BETS.c.id)
    ).all()
    return [
        {
            "receipt": b.public_id,
            "game": b.game,
            "round": b.round_code,
            "selection": b.selection,
            "stake": to_decimal_string(Money(b.stake, b.currency)),
            "win": to_decimal_string(Money(b.win, b.currency)),
            "currency": b.currency,
            "status": b.status,
            "result": b.result,
            "created_at": _iso(b.created_at),
            "settled_at": _iso(b.settled_at),
        }
        for b in rows
    ]


def _payments(s: Session, user_id: int) -> list[dict[str, Any]]:
    rows = s.execute(sa.select(_PAY).where(_PAY.c.user_id == user_id).order_by(_PAY.c.id)).all()
    return [
        {
            "order_id": p.order_id,
            "direction": p.direction,
            "provider": p.provider,
            "method": p.method_label,
            **_amount(p.amount, p.currency),
            "status": p.status,
            "created_at": _iso(p.created_at),
        }
        for p in rows
    ]


def _withdrawals(s: Session, user_id: int) -> list[dict[str, Any]]:
    rows = s.execute(sa.select(_WD).where(_WD.c.user_id == user_id).order_by(_WD.c.id)).all()
    return [
        {
            **_amount(w.amount, w.currency),
            "status": w.status,
            "created_at": _iso(w.created_at),
            "resolved_at": _iso(w.resolved_at),
        }
        for w in rows
    ]


def _sessions(s: Session, user_id: int) -> list[dict[str, Any]]:
    table = SQLModel.metadata.tables.get("user_sessions")
    if table is None:
        return []
    rows = s.execute(sa.select(table).where(table.c.user_id == user_id).order_by(table.c.id)).all()
    return [
        {
            "kind": r.kind,
            "ip": r.ip,
            "device": r.user_agent,
            "created_at": _iso(r.created_at),
            "last_seen_at": _iso(r.last_seen_at),
            "ended_at": _iso(r.revoked_at),
        }
        for r in rows
    ]


def _activity(s: Session, user_id: int) -> list[dict[str, Any]]:
    log = audit.AuditRecord.__table__  # type: ignore[attr-defined]
    rows = s.execute(
        sa.select(log.c.at, log.c.action, log.c.actor)
        .where(sa.or_(log.c.subject == f"user:{user_id}", log.c.actor == Actor.player(user_id).audit_name))
        .order_by(log.c.seq)
    ).all()
    return [{"at": _iso(r.at), "action": r.action, "by": r.actor} for r in rows]


# --- erasure ----------------------------------------------------------------------------------


def _money_left(s: Session, user_id: int) -> list[str]:
    balances = s.execute(
        sa.select(_ACC.c.kind, _ACC.c.balance, _ACC.c.currency)
        .where(*_funds_of(user_id), _ACC.c.balance != 0)
        .order_by(_ACC.c.id)
    ).all()
    return [
        f"{format_money(Money(bal, cur))} {FUNDS_LABELS[AccountKind(kind)]}" for kind, bal, cur in balances
    ]


@authz.guard("player.privacy")
def erase_player(uow: UnitOfWork, actor: Actor, *, reason: str, now: datetime) -> int:
    """Pseudonymize the acting player's personal data, keep the ledger; returns the values cleared.

    Raises:
        PermissionDenied: not a signed-in player.
        InvalidInput: money is still in the player's funds (withdraw it first), or no reason.
    """
    player_id = actor.player_id()
    if not reason.strip():
        raise InvalidInput("An erasure needs a reason.")
    with uow:
        s = uow.session
        user = _player(s, player_id)
        if user.status == ERASED_STATUS:
            return 0
        left = _money_left(s, player_id)
        if left:
            raise InvalidInput("Withdraw or close your balance before erasing your data: " + ", ".join(left))
        cleared = _pseudonymize_user(user, uow.context.keys)
        s.add(user)
        cleared += _clear_linked(s, player_id)
        s.execute(sa.delete(_INBOX).where(_INBOX.c.user_id == player_id))  # notices are no record
        _end_sessions(s, player_id, now)
        audit.record(
            s,
            actor=actor.audit_name,
            action="privacy.erased",
            subject=f"user:{player_id}",
            details={"reason": reason[:200], "values_cleared": cleared},
            now=now,
        )
        uow.commit()
    return cleared


def _pseudonymize_user(user: User, keys: KeyProvider) -> int:
    assert user.id is not None
    pseudonym = f"erased-{user.id}-{secrets.token_hex(6)}@erased.invalid"
    cleared = 0
    for column in User.__table__.columns:  # type: ignore[attr-defined]
        if column.name.endswith("_enc") and column.name != "email_enc" and getattr(user, column.name):
            setattr(user, column.name, None)
            cleared += 1
    users.set_email(keys, user, pseudonym)
    user.phone_index = None
    user.last_login_ip = user.previous_login_ip = ""
    user.password_hash = "!erased"
    user.totp_enabled_at = None
    user.status = ERASED_STATUS
    return cleared + 1


def _clear_linked(s: Session, user_id: int) -> int:
    """Clear sealed columns of every other table that points at the user (mail, tokens ...)."""
    cleared = 0
    for table in SQLModel.metadata.sorted_tables:
        if table.name in _SKIP_ERASE or "user_id" not in table.c:
            continue
        columns = [c for c in table.columns if c.name.endswith("_enc") and c.nullable]
        values: dict[str, Any] = {c.name: None for c in columns}
        for name in ("ip", "user_agent"):
            if name in table.c:
                values[name] = ""
        if values:
            result = s.execute(sa.update(table).where(table.c.user_id == user_id).values(values))
            cleared += int(getattr(result, "rowcount", 0) or 0) * len(values)
    return cleared


def _end_sessions(s: Session, user_id: int, now: datetime) -> None:
    table = SQLModel.metadata.tables.get("user_sessions")
    if table is not None:
        s.execute(
            sa.update(table)
            .where(table.c.user_id == user_id, table.c.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason="erased")
        )


@authz.guard("player.privacy")
def download_player_data(uow: UnitOfWork, actor: Actor, now: datetime) -> str:
    """The acting player's data as pretty JSON text; the access is audited in the same transaction."""
    player_id = actor.player_id()
    with uow:
        data = _export(uow, player_id, now)
        audit.record(
            uow.session,
            actor=actor.audit_name,
            action="privacy.exported",
            subject=f"user:{player_id}",
            details={},
            now=now,
        )
        uow.commit()
    return json.dumps(data, indent=2, ensure_ascii=False)


@authz.guard("player.privacy")
def erasure_blockers(uow: UnitOfWork, actor: Actor) -> list[str]:
    """Why the acting player's erasure would be refused right now (money left); empty when it can go."""
    player_id = actor.player_id()
    with uow.reader() as r:
        return _money_left(r.session, player_id)
