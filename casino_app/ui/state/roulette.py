"""The roulette table: chips on a betting board, up to 15 bets a spin, the spin on the server.

Inside bets by tapping numbers: straight (one number), street and line (a number picks its
row, or its row and the next), split and corner (tap the two or four numbers). Outside bets
are their own spots. Chips on the same spot add up; the board validates again on the server.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import reflex as rx

from casino_app.domain.errors import InvalidSelection, RulesChanged
from casino_app.domain.games import roulette as wheel
from casino_app.domain.money.amounts import Money, format_money
from casino_app.services.games.instant import roulette
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.casino import CasinoState, outcome_line
from casino_app.ui.state.guard import requires
from casino_app.ui.state.rg_play import interrupted
from casino_app.ui.state.session import SessionState

CHIPS = (10, 50, 1_00, 5_00, 10_00, 25_00)
NEEDS = {"split": 2, "corner": 4}
OUTSIDE_LABELS = {
    "dozen:1": "1st 12",
    "dozen:2": "2nd 12",
    "dozen:3": "3rd 12",
    "column:1": "Column 1",
    "column:2": "Column 2",
    "column:3": "Column 3",
    "low": "1 to 18",
    "high": "19 to 36",
    "even": "Even",
    "odd": "Odd",
    "red": "Red",
    "black": "Black",
}


@dataclass(frozen=True)
class BetRow:
    spot: str = ""
    label: str = ""
    amount: str = ""
    minor: int = 0
    pays: str = ""


def spot_label(spot: str) -> str:
    kind, _, numbers = spot.partition(":")
    if spot in OUTSIDE_LABELS:
        return OUTSIDE_LABELS[spot]
    return f"{kind.capitalize()} {numbers.replace('-', '/') if kind in ('split', 'corner') else numbers}"


def _row_of(n: int) -> int:
    return (n - 1) // 3


class RouletteState(rx.State):
    chip: int = 1_00
    chip_options: list[int] = list(CHIPS)
    mode: str = "straight"
    picking: list[int] = []
    bets: list[BetRow] = []
    chips_on: dict[str, str] = {}  # spot -> amount on it, for the board
    currency: str = "EUR"
    rtp: str = ""
    min_bet: str = ""
    max_bet: str = ""
    max_total: str = ""
    max_bets: int = 15
    version: int = 0
    busy: bool = False
    error: str = ""
    has_result: bool = False
    pocket: int = -1
    pocket_colour: str = ""
    winning: list[str] = []
    won: bool = False
    result_line: str = ""
    spins: int = 0
    _request_id: str = ""

    def _money(self, minor: int) -> str:
        return format_money(Money(minor, self.currency))

    @rx.var
    def total_text(self) -> str:
        return self._money(sum(b.minor for b in self.bets))

    @rx.var
    def chip_text(self) -> str:
        return self._money(self.chip)

    @rx.var
    def mode_hint(self) -> str:
        return {
            "straight": "Tap a number to bet on it (pays 35 to 1).",
            "split": "Tap two neighbouring numbers (pays 17 to 1).",
            "street": "Tap a number: its row of three (pays 11 to 1).",
            "corner": "Tap four numbers that meet at a corner (pays 8 to 1).",
            "line": "Tap a number: its row and the next, six numbers (pays 5 to 1).",
        }.get(self.mode, "")

    @rx.event
    @requires("player.play")
    async def load(self) -> None:
        await self._load_info()
        self.error, self._request_id = "", uuid.uuid4().hex
        await (await self.get_state(CasinoState))._load("roulette")

    async def _load_info(self) -> None:
        info = await call(roulette.roulette_info, uow())
        self.version = info.version
        self.currency, self.rtp = info.min_stake.currency, info.rtp_percent
        self.min_bet, self.max_bet = (
            self._money(int(info.rules["min_bet"])),
            self._money(int(info.rules["max_bet"])),
        )
        self.max_total, self.max_bets = info.max_stake.text, int(info.rules["max_bets"])

    @rx.event
    def set_chip(self, value: str | list[str]) -> None:
        value = value[0] if isinstance(value, list) else value
        if str(value).isdigit() and int(value) in CHIPS:
            self.chip = int(value)

    @rx.event
    def set_mode(self, value: str | list[str]) -> None:
        value = value[0] if isinstance(value, list) else value
        if value in ("straight", "split", "street", "corner", "line"):
            self.mode, self.picking, self.error = value, [], ""

    def _add(self, spot: str) -> None:
        amounts = {b.spot: b.minor for b in self.bets}
        if spot not in amounts and len(amounts) >= self.max_bets:
            self.error = f"At most {self.max_bets} bets a spin: add chips to a bet you have, or clear one."
            return
        amounts[spot] = amounts.get(spot, 0) + self.chip
        self._set_bets(amounts)

    def _set_bets(self, amounts: dict[str, int]) -> None:
        order = {spot: i for i, spot in enumerate(wheel.BOARD)}
        self.bets = [
            BetRow(s, spot_label(s), self._money(a), a, f"{wheel.PAYS[s.split(':')[0]]} to 1")
            for s, a in sorted(amounts.items(), key=lambda item: order.get(item[0], 0))
        ]
        self.chips_on = {b.spot: b.amount for b in self.bets}
        self.has_result, self.error = False, ""

    @rx.event
    def tap_number(self, number: int) -> None:
        n = int(number)
        if not 0 <= n <= 36:
            return
        self.error = ""
        if self.mode == "straight":
            self._add(f"straight:{n}")
        elif self.mode == "line" and n == 0:
            self.error = "0 is not part of a line bet: use a split, the trios or the first four."
        elif self.mode in ("street", "line") and n > 0:
            row = _row_of(n)
            if self.mode == "street":
                self._add(wheel.spot_of(f"street:{row * 3 + 1}-{row * 3 + 2}-{row * 3 + 3}"))
            else:
                first = min(row, 10) * 3 + 1
                self._add(wheel.spot_of("line:" + "-".join(str(x) for x in range(first, first + 6))))
        else:
            self._pick(n)

    def _pick(self, n: int) -> None:
        picked = [p for p in self.picking if p != n] if n in self.picking else [*self.picking, n]
        wanted = NEEDS.get(self.mode, 3)
        if len(picked) < wanted:
            self.picking = picked
            return
        self.picking = []
        kind = self.mode if self.mode in NEEDS else "street"
        try:
            self._add(wheel.spot_of(f"{kind}:" + "-".join(str(x) for x in picked)))
        except InvalidSelection:
            self.error = f"{' and '.join(str(x) for x in sorted(picked))} do not make a {kind} on the board."

    @rx.event
    def place_outside(self, spot: str) -> None:
        if spot in OUTSIDE_LABELS:
            self._add(spot)

    @rx.event
    def remove_bet(self, spot: str) -> None:
        self._set_bets({b.spot: b.minor for b in self.bets if b.spot != spot})

    @rx.event
    def clear_bets(self) -> None:
        self._set_bets({})
        self.picking = []

    @rx.event
    @requires("player.play")
    async def spin(self):
        session = await self.get_state(SessionState)
        casino = await self.get_state(CasinoState)
        self.busy, self.error = True, ""
        yield
        try:
            bets = tuple((b.spot, b.minor) for b in self.bets)
            cmd = roulette.SpinRoulette(bets, self._request_id, casino.commitment, self.version)
            view = await call(roulette.spin_wheel, uow(), session._actor(), cmd, now())
        except Exception as err:
            self.error, self.busy = message(err), False
            if isinstance(err, RulesChanged):
                await self._load_info()
            await session._refresh_balance()
            yield await interrupted(self, err)
            return
        self._request_id = uuid.uuid4().hex
        self.pocket = int(view.outcome.get("pocket", -1))
        self.pocket_colour = wheel.colour(self.pocket) if self.pocket >= 0 else ""
        self.winning = [str(s) for s in view.outcome.get("winning", [])]
        self.won = view.win.minor > view.stake.minor
        self.result_line = outcome_line(view)
        self.has_result, self.busy, self.spins = True, False, self.spins + 1
        await casino._after_round(view)
