"""Public results: the archive by game and day, a draw's page, the ticket checker.

No sign-in: the services (services/games/lotto/draws/results.py) give only public data. Days are the
reader's days (their time zone); draws are named by `fmt.draw_name`; each page carries the
verifier's document (`proofs.verifier_input`) as JSON for assets/draw-verifier.js, which checks
it in the browser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import reflex as rx

from casino_app.domain.errors import DomainError
from casino_app.services.games import lotto
from casino_app.services.games.lotto.draws import results
from casino_app.services.games.lotto.tickets import proofs
from casino_app.ui import routes
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, uow
from casino_app.ui.state.session.locale import formats_of

PER_PAGE = 20
ALL_GAMES = "all"


@dataclass(frozen=True)
class GameOption:
    code: str = ""
    name: str = ""


@dataclass(frozen=True)
class ArchiveRow:
    draw_id: int = 0
    draw_name: str = ""
    when: str = ""
    numbers: list[int] = field(default_factory=list)
    href: str = ""


@dataclass(frozen=True)
class TierRow:
    matches: int = 0
    label: str = ""
    winners: str = ""


def draw_href(draw_id: int) -> str:
    return f"{routes.RESULTS_DRAW}?id={draw_id}"


def ticket_href(number: str) -> str:
    return f"{routes.RESULTS_TICKET}?number={number}"


def day_range(day: str, fmt: Formats) -> tuple[datetime | None, datetime | None]:
    """A "YYYY-MM-DD" day of the reader's zone as a UTC range [start, end); (None, None) if none."""
    try:
        chosen = date.fromisoformat(day)
    except ValueError:
        return None, None
    start = datetime.combine(chosen, time(0), tzinfo=fmt.tz)
    end = datetime.combine(chosen + timedelta(days=1), time(0), tzinfo=fmt.tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def document_json(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def _param(state: rx.State, name: str, limit: int = 40) -> str:
    return str(state.router.url.query_parameters.get(name, "") or "")[:limit]


class ResultsState(rx.State):
    """The archive: drawn draws of one game or all, on one day or any, newest first."""

    games: list[GameOption] = []
    game: str = ALL_GAMES
    day: str = ""
    page: int = 1
    rows: list[ArchiveRow] = []
    has_more: bool = False

    @rx.event
    async def load(self) -> None:
        self.game = _param(self, "game", 32) or self.game or ALL_GAMES
        self.day = _param(self, "date", 10) or self.day
        self.page = int(_param(self, "page", 6)) if _param(self, "page", 6).isdigit() else self.page or 1
        self.games = [GameOption(g.code, g.name) for g in await call(lotto.list_games, uow())]
        await self._fetch()

    async def _fetch(self) -> None:
        fmt = await formats_of(self)
        since, until = day_range(self.day, fmt)
        game = None if self.game == ALL_GAMES else self.game
        found = await call(results.drawn_draws, uow(), game, since, until, max(1, self.page), PER_PAGE)
        self.rows = [
            ArchiveRow(
                d.draw_id,
                fmt.draw_name(d.game_name, d.draw_at),
                fmt.when(d.draw_at),
                list(d.numbers),
                draw_href(d.draw_id),
            )
            for d in found.draws
        ]
        self.has_more = found.has_more

    @rx.event
    async def choose_game(self, code: str) -> None:
        self.game, self.page = str(code)[:32] or ALL_GAMES, 1
        await self._fetch()

    @rx.event
    async def choose_day(self, day: str) -> None:
        self.day, self.page = str(day)[:10], 1
        await self._fetch()

    @rx.event
    async def clear_day(self) -> None:
        self.day, self.page = "", 1
        await self._fetch()

    @rx.event
    async def turn_page(self, step: int) -> None:
        self.page = max(1, self.page + (1 if int(step) > 0 else -1))
        await self._fetch()


class DrawPageState(rx.State):
    """One draw's public page and the document its Verify button checks."""

    found: bool = False
    missing: bool = False
    draw_id: int = 0
    draw_name: str = ""
    status: str = ""
    drawn: bool = False
    closes_at: str = ""
    draw_at: str = ""
    commitment: str = ""
    ticket_root: str = ""
    server_seed: str = ""
    numbers: list[int] = []
    numbers_text: str = ""
    matrix: str = ""
    tickets: str = ""
    winners: str = ""
    paid: str = ""
    tiers: list[TierRow] = []
    jackpot: str = ""
    document: str = "{}"

    @rx.event
    async def load(self) -> None:
        wanted = _param(self, "id", 12)
        self.found, self.missing = False, False
        if not wanted.isdigit():
            self.missing = True
            return
        try:
            page = await call(results.public_draw, uow(), int(wanted))
        except DomainError:
            self.missing = True
            return
        self._show(page, await formats_of(self))

    def _show(self, page: results.PublicDraw, fmt: Formats) -> None:
        record = page.record
        self.found, self.draw_id, self.status = True, record.draw_id, record.status
        self.drawn = bool(record.numbers)
        self.draw_name = fmt.draw_name(page.game_name, page.draw_at) if page.draw_at else page.game_name
        self.closes_at, self.draw_at = fmt.when(page.closes_at), fmt.when(page.draw_at)
        self.commitment, self.ticket_root, self.server_seed = (
            record.seed_commitment,
            record.ticket_root,
            record.server_seed,
        )
        self.numbers = list(record.numbers)
        self.numbers_text = ", ".join(str(n) for n in record.numbers)
        self.matrix = text(fmt.lang, "results.matrix", pick=record.pick, pool=record.pool)
        self.tickets, self.winners = fmt.number(page.tickets), fmt.number(page.winners)
        self.paid = fmt.money(page.paid_minor, page.currency)
        self.tiers = [
            TierRow(
                t.matches, text(fmt.lang, "results.tier_matches", matches=t.matches), fmt.number(t.winners)
            )
            for t in page.tiers
        ]
        self.jackpot = fmt.money(page.jackpot_minor, page.currency) if page.jackpot_minor is not None else ""
        self.document = document_json(proofs.verifier_input(record))


class TicketCheckState(rx.State):
    """The ticket checker: a validation number in, the ticket, its draw and its proof out."""

    number: str = ""
    found: bool = False
    error: str = ""
    validation_number: str = ""
    draw_id: int = 0
    draw_name: str = ""
    draw_link: str = ""
    lines: list[list[int]] = []
    drawn_numbers: list[int] = []
    stake: str = ""
    status: str = ""
    outcome: str = ""
    leaf_json: str = ""
    proof_json: str = ""
    proof_steps: int = 0
    ticket_root: str = ""
    document: str = "{}"

    @rx.event
    async def load(self) -> None:
        given = _param(self, "number", 40)
        if given:
            self.number = given
            await self._lookup()
        elif not self.found:
            self.error = ""

    @rx.event
    async def set_number(self, value: str) -> None:
        self.number = str(value)[:40]

    @rx.event
    async def check(self, form: dict[str, Any] | None = None) -> None:
        if form and "number" in form:
            self.number = str(form["number"])[:40]
        await self._lookup()

    async def _lookup(self) -> None:
        fmt = await formats_of(self)
        self.found, self.error = False, ""
        try:
            ticket = await call(results.public_ticket, uow(), self.number)
            page = await call(results.public_draw, uow(), ticket.draw_id)
        except DomainError:
            self.error = text(fmt.lang, "results.no_ticket")
            return
        self._show(ticket, page, fmt)

    def _show(self, ticket: results.PublicTicket, page: results.PublicDraw, fmt: Formats) -> None:
        self.found, self.validation_number, self.draw_id = True, ticket.validation_number, ticket.draw_id
        self.number = ticket.validation_number
        self.draw_name = (
            fmt.draw_name(ticket.game_name, ticket.draw_at) if ticket.draw_at else ticket.game_name
        )
        self.draw_link = draw_href(ticket.draw_id)
        self.lines = [list(line) for line in ticket.lines]
        self.drawn_numbers = list(page.record.numbers)
        self.stake = fmt.money(ticket.stake_minor, ticket.currency)
        self.status = ticket.status
        self.outcome = _outcome(ticket, fmt)
        document = proofs.verifier_input(page.record, ticket.proof)
        self.leaf_json = json.dumps(document["ticket"]["leaf"], sort_keys=True, separators=(",", ":"))
        self.proof_json = json.dumps(document["ticket"]["proof"], sort_keys=True, separators=(",", ":"))
        self.proof_steps = len(ticket.proof.proof)
        self.ticket_root = page.record.ticket_root
        self.document = document_json(document)


def _outcome(ticket: results.PublicTicket, fmt: Formats) -> str:
    if ticket.status == "win":
        return text(fmt.lang, "results.outcome_win", amount=fmt.money(ticket.win_minor, ticket.currency))
    if ticket.status in ("lose", "push", "void", "pending"):
        return text(fmt.lang, f"results.outcome_{ticket.status}")
    return ticket.status
