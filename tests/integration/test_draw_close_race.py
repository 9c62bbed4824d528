"""Tickets sold while sales close: the ticket root covers exactly the tickets the draw holds.

Players keep buying from several threads while the close runs; a ticket is either in the draw
(and in its root) or refused with `draw_closed`, never in the draw but missing from the root.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime

from sqlmodel import select

from casino_app.bootstrap import Wiring
from casino_app.domain.errors import DrawClosed
from casino_app.domain.games import merkle
from casino_app.domain.identity.actor import Actor
from casino_app.persistence.tables import Round
from casino_app.services.dto import UserView
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import cycle as draws
from casino_app.services.games.lotto.draws import record as draw_record


def test_the_root_covers_every_ticket_sold_up_to_the_close_and_no_later_one(
    wiring: Wiring, games: dict[str, Round], funded_player: Callable[..., UserView], now: datetime
) -> None:
    draw = games["lotto649"]
    assert draw.id is not None and draw.closes_at is not None
    players = [funded_player(amount_minor=100_00) for _ in range(4)]
    sold, refused, errors, started = [], [], [], threading.Barrier(len(players) + 1)

    def buyer(user: UserView) -> None:
        started.wait()
        for i in range(40):
            cmd = lotto.PlaceLottoTicket(
                "lotto649", (1, 2, 3, 4, 5, 6 + i % 40), 1_00, uuid.uuid4().hex, draw.id
            )
            try:
                sold.append(
                    lotto.place_lotto_ticket(wiring.uow(), Actor.player(user.id), cmd, now).validation_number
                )
            except DrawClosed:
                refused.append(i)
            except Exception as err:  # pragma: no cover - reported below
                errors.append(err)

    threads = [threading.Thread(target=buyer, args=(p,)) for p in players]
    for t in threads:
        t.start()
    started.wait()
    time.sleep(0.05)
    draws.close_sales(wiring.uow(), draw.closes_at)
    for t in threads:
        t.join(120)

    assert errors == []
    with wiring.uow().reader() as r:
        leaves = draw_record.ticket_leaves(r.session, draw.id)
        root = r.session.exec(select(Round.ticket_root).where(Round.id == draw.id)).one()
    assert {leaf.validation_number for leaf in leaves} == set(sold)
    assert root == merkle.ticket_root(leaves)
    assert len(sold) + len(refused) == 160
