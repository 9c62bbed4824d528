"""The back office's RG read: a player's record (limits and use, block, reality checks, history,
cases), found by id or by email. The cases themselves are read with `rg.cases`."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from casino_app.domain.errors import InvalidInput, NotFound
from casino_app.domain.identity import rules
from casino_app.domain.identity.actor import Actor
from casino_app.domain.identity.vocabulary import Role
from casino_app.persistence.tables import RgCase
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz
from casino_app.services.compliance.rg import state
from casino_app.services.compliance.rg.harm.cases import case_view_of
from casino_app.services.compliance.rg.views.dto import OPS_VIEW, PlayerRecord
from casino_app.services.compliance.rg.views.history import history_in, record_id
from casino_app.services.compliance.rg.views.player import overview_in
from casino_app.services.identity.accounts import users


@authz.guard(OPS_VIEW)
def player_record(uow: UnitOfWork, actor: Actor, user_id: int, now: datetime) -> PlayerRecord:
    """A player's RG record as the safer gambling team reads it (every entry names who made it).

    Raises:
        NotFound: no such player.
    """
    with uow.reader() as r:
        user = state.player_user(r.session, record_id(user_id))
        assert user.id is not None
        cases = r.session.exec(
            select(RgCase).where(RgCase.user_id == user.id).order_by(col(RgCase.id).desc())
        ).all()
        return PlayerRecord(
            users.email_of(r.context.keys, user),
            overview_in(r, user.id, now),
            history_in(r.session, user.id, player_view=False),
            tuple(case_view_of(r.session, c) for c in cases),
        )


@authz.guard(OPS_VIEW)
def find_player_id(uow: UnitOfWork, actor: Actor, email: str) -> int:
    """The id of the player with this exact email (through its blind index).

    Raises:
        NotFound: no player has it.
    """
    try:
        normalized = rules.normalize_email(email)
    except InvalidInput:
        raise NotFound("No player has this email address.") from None
    with uow.reader() as r:
        user = users.find_by_email(r, normalized)
        if user is None or user.role != Role.PLAYER or user.id is None:
            raise NotFound("No player has this email address.")
        return user.id
