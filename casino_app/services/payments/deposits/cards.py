"""Cards on file: the provider's token, brand, last 4, expiry and the holder-name check only.

The card number never reaches us: a provider's hosted page tokenizes it and its webhook (or
status) carries this much. A card on file is charged directly (`deposits.deposit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from casino_app.domain.identity.actor import Actor
from casino_app.domain.payments.ports import CardOnFile
from casino_app.persistence.tables import PaymentCard
from casino_app.persistence.uow import UnitOfWork
from casino_app.services import authz


@dataclass(frozen=True)
class CardView:
    id: int
    provider: str
    token: str
    brand: str
    last4: str
    expiry: str  # "12/34"
    holder_name_match: bool

    @property
    def label(self) -> str:
        return f"{self.brand.title()} •••• {self.last4} (expires {self.expiry})"


def _view(c: PaymentCard) -> CardView:
    assert c.id is not None
    return CardView(
        c.id,
        c.provider,
        c.token,
        c.brand,
        c.last4,
        f"{c.exp_month:02d}/{c.exp_year % 100:02d}",
        c.holder_name_match,
    )


def save_in(s: Session, user_id: int, provider: str, card: CardOnFile, now: datetime) -> None:
    """Keep the card (once per provider and token) inside the caller's transaction."""
    known = s.exec(
        select(PaymentCard.id).where(PaymentCard.provider == provider, PaymentCard.token == card.token)
    ).first()
    if known is not None:
        return
    row = PaymentCard(
        user_id=user_id,
        provider=provider,
        token=card.token[:128],
        brand=card.brand[:16],
        last4=card.last4[-4:],
        exp_month=card.exp_month,
        exp_year=card.exp_year,
        holder_name_match=card.holder_name_match,
        created_at=now,
    )
    s.add(row)  # one attempt's success saves it: the attempt's claim serializes concurrent events


@authz.guard("player.wallet")
def my_cards(uow: UnitOfWork, actor: Actor) -> list[CardView]:
    """The acting player's cards on file, newest first."""
    player_id = actor.player_id()
    with uow.reader() as r:
        rows = r.session.exec(
            select(PaymentCard).where(PaymentCard.user_id == player_id).order_by(col(PaymentCard.id).desc())
        ).all()
        return [_view(c) for c in rows]


def card_of(s: Session, user_id: int, token: str) -> PaymentCard | None:
    """The player's card on file with this token (None: not theirs, or unknown)."""
    return s.exec(
        select(PaymentCard).where(PaymentCard.user_id == user_id, PaymentCard.token == token)
    ).first()
