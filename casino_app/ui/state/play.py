"""The lotto betting panel: number grid, quick pick, stake, Play, receipt.

The page shows one draw (its close counts down) and the purchase names that draw: a draw that
closed meanwhile is refused with the next one offered, and the panel moves to it visibly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import reflex as rx

from casino_app.domain.errors import DrawClosed
from casino_app.domain.games import lotto as lotto_rules
from casino_app.domain.money.amounts import parse_amount
from casino_app.services.dto import GameView, TicketReceipt
from casino_app.services.games import lotto
from casino_app.services.games.lotto import draw_queries
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.guard import requires
from casino_app.ui.state.lobby import percent
from casino_app.ui.state.locale import formats_of, lang_of
from casino_app.ui.state.rg_play import RealityState, interrupted
from casino_app.ui.state.session import SessionState


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
    numbers: list[int] = field(default_factory=list)


def receipt_row(r: TicketReceipt, fmt: Formats) -> ReceiptRow:
    """The receipt in the reader's language and zone; its draw by name, not by code."""
    return ReceiptRow(
        r.validation_number,
        r.game_name,
        fmt.draw_name(r.game_name, r.draw_at),
        fmt.when(r.draw_at),
        fmt.money(r.stake.minor, r.stake.currency),
        fmt.when(r.issued_at),
        fmt.money(r.balance_after.minor, r.balance_after.currency),
        list(r.selection),
    )


class PlayState(rx.State):
    game_code: str = ""
    games: list[GameChoice] = []
    pick: int = 6
    pool_numbers: list[int] = []
    paytable: list[PrizeRow] = []
    rtp: str = ""
    min_stake: str = ""
    max_stake: str = ""
    currency: str = "EUR"
    draw_id: int = 0
    draw_at: str = ""
    close_iso: str = ""
    close_at: str = ""
    selected: list[int] = []
    stake_text: str = "2.00"
    error: str = ""
    receipt: ReceiptRow = ReceiptRow()
    has_receipt: bool = False
    busy: bool = False
    _request_id: str = ""

    @rx.var
    def ready(self) -> bool:
        return len(self.selected) == self.pick and self.draw_id > 0

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

    @rx.event
    async def load(self) -> None:
        views = await call(lotto.list_games, uow())
        self.games = [GameChoice(g.code, g.name) for g in views]
        # A receipt belongs to the purchase it answered: coming back to Play starts a new ticket.
        self.receipt, self.has_receipt, self.error = ReceiptRow(), False, ""
        chosen = next((g for g in views if g.code == self.game_code), views[0] if views else None)
        if chosen is not None:
            self._apply_game(chosen, await formats_of(self))
            await self._show_next_draw()
        self._request_id = uuid.uuid4().hex

    @rx.event
    async def open_game(self, code: str):
        self.game_code, self.selected, self.has_receipt = code, [], False
        return rx.redirect("/play")

    @rx.event
    async def select_game(self, code: str | list[str]) -> None:
        code = code[0] if isinstance(code, list) else code
        self.game_code, self.selected, self.has_receipt, self.error = code, [], False, ""
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
    def set_stake_text(self, value: str) -> None:
        self.stake_text, self.error = value[:32], ""

    @rx.event
    async def new_ticket(self) -> None:
        self.receipt, self.has_receipt, self.selected = ReceiptRow(), False, []
        self._request_id = uuid.uuid4().hex
        await self._show_next_draw()

    @rx.event
    @requires("player.play")
    async def play(self):
        session = await self.get_state(SessionState)
        fmt = await formats_of(self)
        self.busy, self.error = True, ""
        yield
        try:
            stake = parse_amount(self.stake_text, self.currency)
            cmd = lotto.PlaceLottoTicket(
                self.game_code, tuple(self.selected), stake.minor, self._request_id, self.draw_id or None
            )
            receipt = await call(lotto.place_lotto_ticket, uow(), session._actor(), cmd, now())
        except DrawClosed as err:
            self.error, self.busy = message(err, fmt.lang), False
            await self._show_next_draw()
            await session._refresh_balance()
            return
        except Exception as err:
            self.error, self.busy = message(err, fmt.lang), False
            await session._refresh_balance()
            yield await interrupted(self, err)
            return
        self.busy = False
        self._request_id = uuid.uuid4().hex
        self.receipt, self.has_receipt = receipt_row(receipt, fmt), True
        session.balance_text = fmt.money(receipt.balance_after.minor, receipt.balance_after.currency)
        await (await self.get_state(RealityState))._refresh()  # the session's net result
        yield rx.toast.success(text(fmt.lang, "play.ticket_in_draw", validation=receipt.validation_number))
