"""v1 bets: lotto tickets for mobile clients (buy, list, one ticket).

`POST /bets` needs an `Idempotency-Key` header: the same key and body answer the stored 201
again (marked `Idempotent-Replayed: true`), the same key with another body is 409
`idempotency_conflict`. The purchase names the draw the client showed; when it has closed the
answer is 409 `draw_closed` with `next_draw_id`, never a ticket for another draw.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Response

from casino_app.api.v1 import schemas
from casino_app.api.v1.deps import WiringDep, declared, requires
from casino_app.api.v1.problems import IdempotencyKeyMalformed, IdempotencyKeyMissing
from casino_app.api.v1.routes import router
from casino_app.domain.identity.actor import Actor
from casino_app.domain.money.amounts import Money, parse_amount, to_decimal_string
from casino_app.services.dto import MoneyLine
from casino_app.services.games import catalog
from casino_app.services.games.lotto.tickets import views as ticket_views
from casino_app.services.games.lotto.tickets.purchase import BuyLottoTicket, buy_ticket
from casino_app.services.games.lotto.tickets.views import LottoTicket

KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
API_KEY_PREFIX = "api:"  # the API's request ids never meet the play page's


def _money(line: MoneyLine) -> schemas.MoneyOut:
    return schemas.MoneyOut(
        amount=to_decimal_string(Money(line.minor, line.currency)), currency=line.currency
    )


def bet_response(ticket: LottoTicket) -> schemas.BetResponse:
    """The API's form of a ticket (the same for a purchase, its replay and a GET)."""
    receipt = schemas.ReceiptOut(
        validation_number=ticket.ticket_id,
        game=ticket.game_code,
        game_name=ticket.game_name,
        lines=[list(line) for line in ticket.lines],
        stake_per_draw=_money(ticket.stake_per_draw),
        total_stake=_money(ticket.total_stake),
        draws=[
            schemas.BetDrawOut(
                bet_id=d.bet_id,
                draw_id=d.draw_id,
                draw_code=d.draw_code,
                draw_at=d.draw_at,
                sales_close_at=d.sales_close_at,
                draw_status=d.draw_status,
                status=d.status,
                numbers=list(d.numbers),
                stake=_money(d.stake),
                win=_money(d.win),
            )
            for d in ticket.draws
        ],
        issued_at=ticket.issued_at,
    )
    return schemas.BetResponse(id=ticket.ticket_id, receipt_number=ticket.ticket_id, receipt=receipt)


def request_id_of(key: str | None) -> str:
    """The purchase's request id from the `Idempotency-Key` header (400 when missing or malformed)."""
    if key is None or not key.strip():
        raise IdempotencyKeyMissing("Send an Idempotency-Key header: a fresh random value per ticket.")
    if not KEY_PATTERN.fullmatch(key):
        raise IdempotencyKeyMalformed(
            "The Idempotency-Key must be 8 to 64 letters, digits, '.', '_', ':' or '-'."
        )
    return API_KEY_PREFIX + key


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=128,
        description="Required: a fresh random value per ticket (8 to 64 of A-Z a-z 0-9 . _ : -)",
    ),
]
BetId = Annotated[str, Path(min_length=1, max_length=32, description="A ticket id from POST or GET /bets")]


@router.post("/bets", status_code=201, openapi_extra=declared("player.play"))
def place_bet(
    body: schemas.BetRequest,
    response: Response,
    actor: Annotated[Actor, Depends(requires("player.play", browser=True))],
    wiring: WiringDep,
    idempotency_key: IdempotencyKey = None,
) -> schemas.BetResponse:
    """Buy a lotto ticket: its lines for `draws` draws from `draw` on, each draw's stake at once.

    201 with the ticket; the same key and body again: the same 201 (`Idempotent-Replayed: true`);
    the same key, another body: 409 `idempotency_conflict`; a draw that stopped selling: 409
    `draw_closed` with `next_draw_id`. Bad lines, draws or stake: 422 with the rule's code.
    The app's own pages may call it with the session cookie instead of a bearer token, with
    their Origin and the session's `X-CSRF-Token` (`GET /api/session/csrf`); otherwise 403
    `csrf_rejected`.
    """
    request_id = request_id_of(idempotency_key)
    currency = catalog.game_facts(wiring.uow(), body.game).currency
    cmd = BuyLottoTicket(
        body.game,
        tuple(None if line == schemas.QUICK_PICK else tuple(line) for line in body.lines),
        parse_amount(body.stake, currency).minor,
        request_id,
        body.draw,
        body.draws,
    )
    ticket = buy_ticket(wiring.uow(), actor, cmd, wiring.now())
    if ticket.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return bet_response(ticket_views.my_ticket(wiring.uow(), actor, ticket.ticket_id))


@router.get("/bets", openapi_extra=declared("player.history"))
def list_bets(
    actor: Annotated[Actor, Depends(requires("player.history"))],
    wiring: WiringDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=ticket_views.MAX_PAGE)] = 20,
) -> schemas.BetPage:
    """The player's tickets, newest first, `limit` from `offset`."""
    page = ticket_views.my_tickets(wiring.uow(), actor, offset, limit)
    return schemas.BetPage(
        items=[bet_response(t) for t in page.tickets], total=page.total, offset=page.offset, limit=page.limit
    )


@router.get("/bets/{bet_id}", openapi_extra=declared("player.history"))
def get_bet(
    bet_id: BetId, actor: Annotated[Actor, Depends(requires("player.history"))], wiring: WiringDep
) -> schemas.BetResponse:
    """One of the player's tickets (anyone else's: 404)."""
    return bet_response(ticket_views.my_ticket(wiring.uow(), actor, bet_id))
