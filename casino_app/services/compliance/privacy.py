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

from casino_app.domain.errors import InvalidInput, NotFound, PermissionDenied
from casino_app.domain.money.amounts import Money, format_money, to_decimal_string
from casino_app.persistence.tables import (
    Account,
    Draw,
    LedgerEntry,
    LedgerTransaction,
    LottoGame,
    Payment,
    Ticket,
    User,
    Withdrawal,
)
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.security import audit, crypto

EXPORT_FORMAT = "kasyno-player-data/1"
ERASED_STATUS = "erased"
PII_FIELDS = ("full_name", "birth_date", "address", "phone")
# Kept: the ledger and the records tied to money (AML/accounting retention), without identity.
_SKIP_ERASE = frozenset({"users"})
_ACC = Account.__table__  # type: ignore[attr-defined]
_TXN = LedgerTransaction.__table__  # type: ignore[attr-defined]
_ENT = LedgerEntry.__table__  # type: ignore[attr-defined]
_TIX = Ticket.__table__  # type: ignore[attr-defined]
_DRAWS = Draw.__table__  # type: ignore[attr-defined]
_GAMES = LottoGame.__table__  # type: ignore[attr-defined]
_PAY = Payment.__table__  # type: ignore[attr-defined]
_WD = Withdrawal.__table__  # type: ignore[attr-defined]


def _amount(minor: int, currency: str) -> dict[str, str]:
    return {"amount": to_decimal_string(Money(minor, currency)), "currency": currency}


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _open(user: User, column: str) -> str:
    token = getattr(user, column)
    if not token:
        return ""
    assert user.id is not None
    return crypto.unseal(token, table="users", column=column, row_id=user.id)


def _player(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Unknown player.")
    if user.role != "player":
        raise PermissionDenied("Only player accounts have a self-service data export.")
    return user


def export_player_data(uow: UnitOfWork, user_id: int, now: datetime | None = None) -> dict[str, Any]:
    """Everything we hold about a player, decrypted, as a JSON-ready dict.

    Secrets are never exported: no password hash, TOTP secret, token or session token hash.
    """
    with uow.reader() as r:
        s = r.session
        user = _player(s, user_id)
        data = {
            "format": EXPORT_FORMAT,
            "generated_at": _iso(now or datetime.now(UTC)),
            "profile": _profile(user),
            "accounts": _accounts(s, user_id),
            "transactions": _transactions(s, user_id),
            "tickets": _tickets(s, user_id),
            "payments": _payments(s, user_id),
            "withdrawals": _withdrawals(s, user_id),
            "sessions": _sessions(s, user_id),
            "activity": _activity(s, user_id),
        }
    return data


def _profile(user: User) -> dict[str, Any]:
    erased = user.status == ERASED_STATUS
    return {
        "id": user.id,
        "email": "" if erased else _open(user, "email_enc"),
        **{field: _open(user, f"{field}_enc") for field in PII_FIELDS},
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
    rows = s.execute(sa.select(_ACC).where(_ACC.c.owner_id == user_id).order_by(_ACC.c.id)).all()
    return [{"kind": a.kind, **_amount(a.balance, a.currency)} for a in rows]


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
        .where(_ACC.c.owner_id == user_id)
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


def _tickets(s: Session, user_id: int) -> list[dict[str, Any]]:
    rows = s.execute(
        sa.select(_TIX, _DRAWS.c.code.label("draw_code"), _GAMES.c.name.label("game"))
        .join(_DRAWS, _DRAWS.c.id == _TIX.c.draw_id)
        .join(_GAMES, _GAMES.c.id == _DRAWS.c.game_id)
        .where(_TIX.c.user_id == user_id)
        .order_by(_TIX.c.id)
    ).all()
    return [
        {
            "validation_number": t.validation_number,
            "game": t.game,
            "draw": t.draw_code,
            "selection": t.selection,
            "stake": to_decimal_string(Money(t.stake, t.currency)),
            "win": to_decimal_string(Money(t.win, t.currency)),
            "currency": t.currency,
            "status": t.status,
            "created_at": _iso(t.created_at),
        }
        for t in rows
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
        .where(sa.or_(log.c.subject == f"user:{user_id}", log.c.actor == f"player:{user_id}"))
        .order_by(log.c.seq)
    ).all()
    return [{"at": _iso(r.at), "action": r.action, "by": r.actor} for r in rows]


# --- erasure ----------------------------------------------------------------------------------


def _money_left(s: Session, user_id: int) -> list[str]:
    balances = s.execute(
        sa.select(_ACC.c.kind, _ACC.c.balance, _ACC.c.currency).where(
            _ACC.c.owner_id == user_id, _ACC.c.balance != 0
        )
    ).all()
    labels = {"player_cash": "cash", "player_bonus": "bonus", "player_hold": "pending withdrawal"}
    return [f"{format_money(Money(bal, cur))} {labels.get(kind, kind)}" for kind, bal, cur in balances]


def erase_player(uow: UnitOfWork, user_id: int, *, actor: str, reason: str, now: datetime) -> int:
    """Pseudonymize a player's personal data, keep the ledger; returns the values cleared.

    Raises:
        NotFound, PermissionDenied: no such player.
        InvalidInput: money is still in the player's accounts (withdraw it first), or no reason.
    """
    if not reason.strip():
        raise InvalidInput("An erasure needs a reason.")
    with uow:
        s = uow.session
        user = _player(s, user_id)
        if user.status == ERASED_STATUS:
            return 0
        left = _money_left(s, user_id)
        if left:
            raise InvalidInput("Withdraw or close your balance before erasing your data: " + ", ".join(left))
        cleared = _pseudonymize_user(user)
        s.add(user)
        cleared += _clear_linked(s, user_id)
        _end_sessions(s, user_id, now)
        audit.record(
            s,
            actor=actor,
            action="privacy.erased",
            subject=f"user:{user_id}",
            details={"reason": reason[:200], "values_cleared": cleared},
            now=now,
        )
        uow.commit()
    return cleared


def _pseudonymize_user(user: User) -> int:
    assert user.id is not None
    pseudonym = f"erased-{user.id}-{secrets.token_hex(6)}@erased.invalid"
    cleared = 0
    for column in User.__table__.columns:  # type: ignore[attr-defined]
        if column.name.endswith("_enc") and column.name != "email_enc" and getattr(user, column.name):
            setattr(user, column.name, None)
            cleared += 1
    user.email_enc = crypto.seal(pseudonym, table="users", column="email_enc", row_id=user.id)
    user.email_index = crypto.blind_index(pseudonym, purpose="email")
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


def download_player_data(uow: UnitOfWork, user_id: int, *, actor: str, now: datetime) -> str:
    """The player's data as pretty JSON text; the access itself is audited."""
    data = export_player_data(uow, user_id, now)
    with uow:
        audit.record(
            uow.session,
            actor=actor,
            action="privacy.exported",
            subject=f"user:{user_id}",
            details={},
            now=now,
        )
        uow.commit()
    return json.dumps(data, indent=2, ensure_ascii=False)


def erasure_blockers(uow: UnitOfWork, user_id: int) -> list[str]:
    """Why an erasure would be refused right now (money left); empty when it can go ahead."""
    with uow.reader() as r:
        return _money_left(r.session, user_id)
