"""The lotto betting panel: number grid, quick pick, stake, Play, receipt."""

from __future__ import annotations

import uuid

import reflex as rx

from casino_app.domain.games import lotto as lotto_rules
from casino_app.domain.money.amounts import parse_amount
from casino_app.persistence.uow import UnitOfWork
from casino_app.services.dto import GameView
from casino_app.services.games import lotto
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now
from casino_app.ui.state.session import SessionState


class PlayState(rx.State):
    game_code: str = ""
    games: list[dict[str, str]] = []
    pick: int = 6
    pool_numbers: list[int] = []
    paytable: list[dict[str, str]] = []
    rtp: str = ""
    min_stake: str = ""
    max_stake: str = ""
    selected: list[int] = []
    stake_text: str = "2.00"
    error: str = ""
    receipt: dict[str, str] = {}
    receipt_numbers: list[int] = []
    busy: bool = False
    _request_id: str = ""

    @rx.var
    def picked_count(self) -> str:
        return f"{len(self.selected)} of {self.pick} picked"

    @rx.var
    def ready(self) -> bool:
        return len(self.selected) == self.pick

    def _apply_game(self, game: GameView) -> None:
        self.game_code, self.pick = game.code, game.pick
        self.pool_numbers = list(range(1, game.pool + 1))
        self.paytable = [
            {"matches": f"{m} numbers", "pays": f"{x:,}× stake"}
            for m, x in sorted(game.paytable, reverse=True)
        ]
        self.rtp, self.min_stake, self.max_stake = game.rtp_percent, game.min_stake.text, game.max_stake.text
        self.selected = [n for n in self.selected if n <= game.pool][: game.pick]

    @rx.event
    async def load(self) -> None:
        views = await call(lotto.list_games, UnitOfWork())
        self.games = [{"code": g.code, "name": g.name} for g in views]
        chosen = next((g for g in views if g.code == self.game_code), views[0] if views else None)
        if chosen is not None:
            self._apply_game(chosen)
        self._request_id = uuid.uuid4().hex

    @rx.event
    async def open_game(self, code: str):
        self.game_code, self.selected, self.receipt = code, [], {}
        return rx.redirect("/play")

    @rx.event
    async def select_game(self, code: str | list[str]) -> None:
        code = code[0] if isinstance(code, list) else code
        self.game_code, self.selected, self.receipt, self.error = code, [], {}, ""
        await self.load()

    @rx.event
    def toggle(self, number: int) -> None:
        self.error = ""
        if number in self.selected:
            self.selected = [n for n in self.selected if n != number]
        elif len(self.selected) < self.pick:
            self.selected = sorted([*self.selected, number])
        else:
            self.error = f"You already have {self.pick} numbers. Tap one to remove it first."

    @rx.event
    def quick_pick(self) -> None:
        rules = lotto_rules.LottoRules(self.pick, len(self.pool_numbers), (), 0, 0)
        self.selected, self.error = lotto_rules.quick_pick(rules), ""

    @rx.event
    def clear(self) -> None:
        self.selected, self.error = [], ""

    @rx.event
    def set_stake_text(self, value: str) -> None:
        self.stake_text, self.error = value, ""

    @rx.event
    def new_ticket(self) -> None:
        self.receipt, self.receipt_numbers, self.selected = {}, [], []
        self._request_id = uuid.uuid4().hex

    @rx.event
    async def play(self):
        session = await self.get_state(SessionState)
        user_id = session.player_id()
        if user_id is None:
            yield rx.redirect("/login")
            return
        self.busy, self.error = True, ""
        yield
        try:
            stake = parse_amount(self.stake_text, "EUR")
            cmd = lotto.PlaceLottoTicket(
                user_id, self.game_code, tuple(self.selected), stake.minor, self._request_id
            )
            receipt = await call(lotto.place_lotto_ticket, UnitOfWork(), cmd, now())
        except Exception as err:
            self.error, self.busy = message(err), False
            return
        self.busy = False
        self._request_id = uuid.uuid4().hex
        self.receipt = {
            "validation": receipt.validation_number,
            "game": receipt.game_name,
            "draw": receipt.draw_code,
            "draw_at": when(receipt.draw_at),
            "stake": receipt.stake.text,
            "issued": when(receipt.issued_at),
            "balance": receipt.balance_after.text,
        }
        self.receipt_numbers = list(receipt.selection)
        session.balance_text = receipt.balance_after.text
        yield rx.toast.success(f"Ticket {receipt.validation_number} is in the draw.")
