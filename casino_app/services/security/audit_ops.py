"""The audit log's operations for the back office and the shell: verify, sign, export.

Each is guarded by `ops.security.manage` (admins; the CLI acts as `Actor.system("cli")`) and
signs with the wiring's key provider (`uow.context.keys`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from casino_app.domain.compliance.audit_chain import ChainReport
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.security import audit


@authz.guard("ops.security.manage")
def verify_log(uow: UnitOfWork, actor: Actor) -> ChainReport:
    """Walk the whole chain and check every signed daily head."""
    with uow.reader() as r:
        return audit.verify(r.session)


@authz.guard("ops.security.manage")
def sign_finished_days(uow: UnitOfWork, actor: Actor, now: datetime) -> list[audit.SignedHead]:
    """Sign the head of every finished UTC day that has none yet."""
    with uow:
        signed = audit.sign_daily_heads(uow.session, now, uow.context.keys)
        uow.commit()
    return signed


@authz.guard("ops.security.manage")
def export_log(uow: UnitOfWork, actor: Actor, now: datetime) -> dict[str, Any]:
    """The whole log with its signed heads and a head signed now (`audit.export_log`)."""
    with uow.reader() as r:
        return audit.export_log(r.session, now, uow.context.keys)


@authz.guard("ops.security.manage")
def public_key(uow: UnitOfWork, actor: Actor) -> str:
    """The head-signing public key (hex), to pin when verifying an export offline."""
    return audit.public_key_hex(uow.context.keys)
