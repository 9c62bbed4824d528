"""The signed-in player's inbox: newest first, a page at a time, the unread count, marking read.

Every call is the player's own (`actor.player_id()`): nobody reads or marks another's entries.
Entries are DTOs with their kind and parameters (data, not text): the page renders them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, func, select, update

from casino_app.domain.identity.actor import Actor
from casino_app.domain.inbox.notices import PAGE_SIZE
from casino_app.persistence.tables import Notification
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz


@dataclass(frozen=True)
class InboxEntry:
    """One notification as the page sees it."""

    id: int
    kind: str
    params: dict[str, Any]
    created_at: datetime
    read: bool


@dataclass(frozen=True)
class InboxPage:
    """One page of the inbox (`page` counts from 1) and what the page needs around it."""

    entries: list[InboxEntry] = field(default_factory=list)
    page: int = 1
    pages: int = 1
    total: int = 0
    unread: int = 0


def _entry(row: Notification) -> InboxEntry:
    return InboxEntry(
        row.id or 0, row.kind, json.loads(row.params or "{}"), row.created_at, row.read_at is not None
    )


def _count(uow: UnitOfWork, player_id: int, *, unread_only: bool) -> int:
    query = select(func.count()).select_from(Notification).where(Notification.user_id == player_id)
    if unread_only:
        query = query.where(col(Notification.read_at).is_(None))
    return int(uow.session.exec(query).one())


@authz.guard("player.account")
def inbox_page(uow: UnitOfWork, actor: Actor, page: int = 1) -> InboxPage:
    """Page `page` of the player's notifications, newest first (PAGE_SIZE a page)."""
    player_id = actor.player_id()
    with uow.reader() as r:
        total = _count(r, player_id, unread_only=False)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, int(page)), pages)
        rows = r.session.exec(
            select(Notification)
            .where(Notification.user_id == player_id)
            .order_by(col(Notification.id).desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        ).all()
        unread = _count(r, player_id, unread_only=True)
        return InboxPage([_entry(row) for row in rows], page, pages, total, unread)


@authz.guard("player.account")
def unread_count(uow: UnitOfWork, actor: Actor) -> int:
    """How many of the player's notifications are unread (the badge)."""
    player_id = actor.player_id()
    with uow.reader() as r:
        return _count(r, player_id, unread_only=True)


@authz.guard("player.account")
def mark_read(uow: UnitOfWork, actor: Actor, notification_id: int, now: datetime) -> int:
    """Mark one of the player's own notifications read; returns the unread count after it.

    Another player's id changes nothing (the same answer as an unknown id).
    """
    return _mark(uow, actor.player_id(), now, col(Notification.id) == int(notification_id))


@authz.guard("player.account")
def mark_all_read(uow: UnitOfWork, actor: Actor, now: datetime) -> int:
    """Mark every notification of the player read; returns the unread count after it (0)."""
    return _mark(uow, actor.player_id(), now, sa.true())


def _mark(uow: UnitOfWork, player_id: int, now: datetime, which: Any) -> int:
    with uow:
        uow.session.exec(
            update(Notification)
            .where(col(Notification.user_id) == player_id, col(Notification.read_at).is_(None), which)
            .values(read_at=now)
        )
        uow.commit()
    with uow.reader() as r:
        return _count(r, player_id, unread_only=True)


@authz.guard("system.jobs")
def notices_to_push(
    uow: UnitOfWork, actor: Actor, ids: list[int]
) -> dict[int, tuple[int, str, dict[str, Any]]]:
    """The live channel's read of notices named by a `notifications.created` event (a settled
    draw's): notification id -> (player id, kind, params), for the ids that exist."""
    if not ids:
        return {}
    with uow.reader() as r:
        rows = r.session.exec(
            select(Notification.id, Notification.user_id, Notification.kind, Notification.params).where(
                col(Notification.id).in_(sorted(set(ids)))
            )
        ).all()
    return {int(i or 0): (int(u), str(k), json.loads(p or "{}")) for i, u, k, p in rows}
