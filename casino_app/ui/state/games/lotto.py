"""The lotto betting panel: lines (add, remove, quick pick each), draws, stake per line, receipt.

The page shows one draw (its close counts down against the server's clock, sent with the
page) and the purchase names that draw: a draw that closed meanwhile is refused with the next
one offered, and the panel moves to it visibly. The grid edits the active line.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import reflex as rx

from casino_app.domain.errors import DrawClosed
from casino_app.domain.games import lotto as lotto_rules
from casino_app.domain.money.amounts import parse_amount
from casino_app.services.dto import GameView
from casino_app.services.games import catalog, lotto
from casino_app.services.games.lotto.draws import queries as draw_queries
from casino_app.services.games.lotto.settlement import jackpot
from casino_app.services.games.lotto.tickets.purchase import BuyLottoTicket, buy_ticket
from casino_app.services.games.lotto.tickets.views import LottoTicket
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.player.lobby import percent
from casino_app.ui.state.rg.play import RealityState, interrupted
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.locale import formats_of, lang_of
from casino_app.ui.state.session.presses import pressed_too_long_ago
from casino_app.ui.state.session.session import SessionState


@dataclass(frozen=True)
class GameChoice:
    code: str = ""
    name: str = ""


@dataclass(frozen=True)
class PrizeRow:
    matches: str = ""
    pays: str = ""


@dataclass(frozen=True)
class ReceiptRow:
    validation: str = ""
    game: str = ""
    draw: str = ""
    draw_at: str = ""
    stake: str = ""
    issued: str = ""
    balance: str = ""
    numbers: list[int] = field(default_factory=list)  # the first line
    lines: list[list[int]] = field(default_factory=list)
    draws: list[str] = field(default_factory=list)  # every draw the ticket plays, by name
    total: str = ""


def receipt_row(t: LottoTicket, fmt: Formats) -> ReceiptRow:
    """The receipt in the reader's language and zone; its draws by name, not by code."""
    first = t.draws[0]
    balance = t.balance_after
    return ReceiptRow(
        t.ticket_id,
        t.game_name,
        fmt.draw_name(t.game_name, first.draw_at),
        fmt.when(first.draw_at),
        fmt.money(t.stake_per_draw.minor, t.stake_per_draw.currency),
        fmt.when(t.issued_at),
        fmt.money(balance.minor, balance.currency) if balance else "",
        list(t.lines[0]) if t.lines else [],
        [list(line) for line in t.lines],
        [fmt.draw_name(t.game_name, d.draw_at) for d in t.draws],
        fmt.money(t.total_stake.minor, t.total_stake.currency),
    )


def _merged(lines: list[list[int]], active: int, selected: list[int]) -> list[list[int]]:
    """Every line, with the active one replaced by the grid's numbers."""
    out = [list(line) for line in lines] or [[]]
    out[min(max(active, 0), len(out) - 1)] = list(selected)
    return out


class PlayState(rx.State):
    game_code: str = ""
    games: list[GameChoice] = []
    pick: int = 6
    pool_numbers: list[int] = []
    paytable: list[PrizeRow] = []
    rtp: str = ""
    jackpot_label: str = ""  # "6 numbers" for a game with a progressive top tier, else ""
    jackpot_amount: str = ""  # the pot now, in the reader's money format
    min_stake: str = ""
    max_stake: str = ""
    currency: str = "EUR"
    draw_id: int = 0
    draw_at: str = ""
    close_iso: str = ""
    close_at: str = ""
    server_now_iso: str = ""  # the server's clock when the page got its draw (countdown.js)
    selected: list[int] = []  # the active line
    lines: list[list[int]] = [[]]  # every line (the active one is `selected`)
    active: int = 0
    max_lines: int = 1
    draw_count: str = "1"
    draw_options: list[str] = ["1"]
    offer: str = ""  # after draw_closed: the next draw, offered
    stake_text: str = "2.00"
    error: str = ""
    receipt: ReceiptRow = ReceiptRow()
    has_receipt: bool = False
    busy: bool = False
    _request_id: str = ""

    @rx.var
    def line_views(self) -> list[list[int]]:
        """Every line as it stands, the active one as the grid shows it."""
        return _merged(self.lines, self.active, self.selected)

    @rx.var
    def ready(self) -> bool:
        lines = _merged(self.lines, self.active, self.selected)
        return self.draw_id > 0 and all(len(line) == self.pick for line in lines)

    @rx.var
    def line_count(self) -> int:
        return len(self.lines)

    def _ticket_lines(self) -> list[list[int]]:
        return _merged(self.lines, self.active, self.selected)

    def _store_active(self) -> None:
        self.lines, self.active = self._ticket_lines(), min(max(self.active, 0), max(len(self.lines) - 1, 0))

    async def _apply_terms(self) -> None:
        """The game's ticket terms: the most lines and draws."""
        facts = await call(catalog.game_facts, uow(), self.game_code)
        limits = lotto_rules.ticket_limits_from(facts.rules)
        self.max_lines = limits.max_lines
        self.draw_options = [str(n) for n in range(1, limits.max_draws + 1)]
        if self.draw_count not in self.draw_options:
            self.draw_count = "1"
        await self._show_jackpot()

    async def _show_jackpot(self) -> None:
        """The top tier's progressive jackpot, live from the ledger (none for a game without one)."""
        fmt = await formats_of(self)
        pot = await call(jackpot.current_jackpot, uow(), self.game_code)
        self.jackpot_label = text(fmt.lang, "play.prize_matches", count=self.pick) if pot else ""
        self.jackpot_amount = fmt.money(pot.amount, pot.currency) if pot else ""

    def _apply_game(self, game: GameView, fmt: Formats) -> None:
        self.game_code, self.pick = game.code, game.pick
        self.pool_numbers = list(range(1, game.pool + 1))
        self.paytable = [
            PrizeRow(
                text(fmt.lang, "play.prize_matches", count=m),
                text(fmt.lang, "play.prize_pays", times=fmt.number(x)),
            )
            for m, x in sorted(game.paytable, reverse=True)
        ]
        self.rtp = percent(fmt, game.rtp_percent)
        self.min_stake = fmt.money(game.min_stake.minor, game.min_stake.currency)
        self.max_stake = fmt.money(game.max_stake.minor, game.max_stake.currency)
        self.currency = game.min_stake.currency
        self.selected = [n for n in self.selected if n <= game.pool][: game.pick]
        self.lines = [[n for n in line if n <= game.pool][: game.pick] for line in self.lines] or [[]]

    async def _show_next_draw(self) -> None:
        """The draw this page sells into: the game's draw that is selling now."""
        draw = next(
            (
                d
                for d in await call(draw_queries.upcoming_draws, uow(), now())
                if d.game_code == self.game_code
            ),
            None,
        )
        fmt = await formats_of(self)
        self.draw_id = draw.id if draw else 0
        self.draw_at = fmt.draw_name(draw.game_name, draw.draw_at) if draw else ""
        self.close_iso = draw.sales_close_at.isoformat() if draw else ""
        self.close_at = fmt.time(draw.sales_close_at) if draw else ""
        self.server_now_iso = now().isoformat()

    @rx.event
    async def load(self) -> None:
        views = await call(lotto.list_games, uow())
        self.games = [GameChoice(g.code, g.name) for g in views]
        # A receipt belongs to the purchase it answered: coming back to Play starts a new ticket.
        self.receipt, self.has_receipt, self.error = ReceiptRow(), False, ""
        chosen = next((g for g in views if g.code == self.game_code), views[0] if views else None)
        if chosen is not None:
            self._apply_game(chosen, await formats_of(self))
            await self._apply_terms()
            await self._show_next_draw()
        self._request_id = uuid.uuid4().hex

    @rx.event
    async def open_game(self, code: str):
        self.game_code, self.selected, self.has_receipt = code, [], False
        self.lines, self.active = [[]], 0
        return rx.redirect("/play")

    @rx.event
    async def select_game(self, code: str | list[str]) -> None:
        code = code[0] if isinstance(code, list) else code
        self.game_code, self.selected, self.has_receipt, self.error = code, [], False, ""
        self.lines, self.active = [[]], 0
        await self.load()

    @rx.event
    async def toggle(self, number: int) -> None:
        self.error = ""
        if number in self.selected:
            self.selected = [n for n in self.selected if n != number]
        elif len(self.selected) < self.pick:
            self.selected = sorted([*self.selected, number])
        else:
            self.error = text(await lang_of(self), "play.too_many", pick=self.pick)

    @rx.event
    def quick_pick(self) -> None:
        rules = lotto_rules.LottoRules(self.pick, len(self.pool_numbers), (), 0, 0)
        self.selected, self.error = lotto_rules.quick_pick(rules), ""

    @rx.event
    def clear(self) -> None:
        self.selected, self.error = [], ""

    @rx.event
    async def add_line(self) -> None:
        """A new empty line, made the active one."""
        self._store_active()
        if len(self.lines) >= self.max_lines:
            self.error = text(await lang_of(self), "play.max_lines", count=self.max_lines)
            return
        self.lines, self.active, self.selected, self.error = [*self.lines, []], len(self.lines), [], ""

    @rx.event
    def edit_line(self, index: int) -> None:
        self._store_active()
        if 0 <= index < len(self.lines):
            self.active, self.selected = index, list(self.lines[index])

    @rx.event
    def remove_line(self, index: int) -> None:
        self._store_active()
        if len(self.lines) > 1 and 0 <= index < len(self.lines):
            self.lines = [line for i, line in enumerate(self.lines) if i != index]
            self.active = min(
                self.active if self.active < index else max(self.active - 1, 0), len(self.lines) - 1
            )
            self.selected = list(self.lines[self.active])

    @rx.event
    def quick_pick_line(self, index: int) -> None:
        """A quick pick for one line (the active line shows it in the grid)."""
        self._store_active()
        if 0 <= index < len(self.lines):
            rules = lotto_rules.LottoRules(self.pick, len(self.pool_numbers), (), 0, 0)
            lines = [list(line) for line in self.lines]
            lines[index] = lotto_rules.quick_pick(rules)
            self.lines, self.error = lines, ""
            if index == self.active:
                self.selected = list(lines[index])

    @rx.event
    def set_draw_count(self, value: str | list[str]) -> None:
        value = value[0] if isinstance(value, list) else value
        self.draw_count = value if value in self.draw_options else "1"

    @rx.event
    def set_stake_text(self, value: str) -> None:
        self.stake_text, self.error = value[:32], ""

    @rx.event
    async def new_ticket(self) -> None:
        self.receipt, self.has_receipt, self.selected = ReceiptRow(), False, []
        self.lines, self.active, self.offer = [[]], 0, ""
        self._request_id = uuid.uuid4().hex
        await self._show_next_draw()

    @rx.event
    @requires("player.play")
    async def play(self, pressed_at: float | None = None):
        session = await self.get_state(SessionState)
        fmt = await formats_of(self)
        if pressed_too_long_ago(pressed_at, now()):  # replayed after a reconnect: not applied
            self.error = text(fmt.lang, "play.pressed_while_offline")
            yield rx.toast.warning(self.error)
            return
        self.busy, self.error = True, ""
        yield
        try:
            lines = self._ticket_lines()
            per_line = parse_amount(self.stake_text, self.currency)
            cmd = BuyLottoTicket(
                self.game_code,
                tuple(tuple(line) for line in lines),
                per_line.minor * len(lines),
                self._request_id,
                self.draw_id or None,
                int(self.draw_count) if self.draw_count.isdigit() else 1,
            )
            ticket = await call(buy_ticket, uow(), session._actor(), cmd, now())
        except DrawClosed as err:
            self.error, self.busy = message(err, fmt.lang), False
            await self._show_next_draw()
            self.offer = text(fmt.lang, "play.next_draw_offer", draw=self.draw_at) if self.draw_id else ""
            await session._refresh_balance()
            return
        except Exception as err:
            self.error, self.busy = message(err, fmt.lang), False
            await session._refresh_balance()
            yield await interrupted(self, err)
            return
        self.busy, self.offer = False, ""
        self._request_id = uuid.uuid4().hex
        self.receipt, self.has_receipt = receipt_row(ticket, fmt), True
        if ticket.balance_after is not None:
            session.balance_text = fmt.money(ticket.balance_after.minor, ticket.balance_after.currency)
        await (await self.get_state(RealityState))._refresh()  # the session's net result
        yield rx.toast.success(text(fmt.lang, "play.ticket_in_draw", validation=ticket.ticket_id))
