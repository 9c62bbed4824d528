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
from casino_app.services.games.instant import roulette
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.games.casino import CasinoState, compact_money, outcome_line, rtp_text
from casino_app.ui.state.rg.play import interrupted
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.locale import formats_of
from casino_app.ui.state.session.presses import pressed_too_long_ago
from casino_app.ui.state.session.session import SessionState

CHIPS = (10, 50, 1_00, 5_00, 10_00, 25_00)
NEEDS = {"split": 2, "corner": 4}
MODES = ("straight", "split", "street", "corner", "line")
OUTSIDE = ("dozen:1", "dozen:2", "dozen:3", "column:1", "column:2", "column:3")
OUTSIDE += ("low", "high", "even", "odd", "red", "black")


@dataclass(frozen=True)
class BetRow:
    spot: str = ""
    label: str = ""
    amount: str = ""
    minor: int = 0
    pays: str = ""


def outside_key(spot: str) -> str:
    """The catalog key of an outside bet's label ("dozen:1" -> "roulette.spot_dozen_1")."""
    return "roulette.spot_" + spot.replace(":", "_")


def spot_label(spot: str, lang: str) -> str:
    """A bet as the board names it: "Red", "Split 17/20", "Street 1-2-3"."""
    kind, _, numbers = spot.partition(":")
    if spot in OUTSIDE:
        return text(lang, outside_key(spot))
    shown = numbers.replace("-", "/") if kind in ("split", "corner") else numbers
    return text(lang, f"roulette.kind_{kind}", numbers=shown) if kind in MODES else spot


def _row_of(n: int) -> int:
    return (n - 1) // 3


class RouletteState(rx.State):
    chip: int = 1_00
    chip_options: list[list[str]] = [[str(c), str(c)] for c in CHIPS]  # [value, label]
    mode: str = "straight"
    picking: list[int] = []
    bets: list[BetRow] = []
    chips_on: dict[str, str] = {}  # spot -> amount on it, for the board
    currency: str = "EUR"
    lang: str = "en"  # the tab's language when the page loaded
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
    pocket_text: str = ""  # "17 black"
    winning: list[str] = []
    won: bool = False
    result_line: str = ""
    spins: int = 0
    _request_id: str = ""

    def _money(self, minor: int) -> str:
        return Formats(self.lang).money(minor, self.currency)

    @rx.var
    def total_text(self) -> str:
        return self._money(sum(b.minor for b in self.bets))

    @rx.var
    def chip_text(self) -> str:
        return self._money(self.chip)

    @rx.var
    def limits_text(self) -> str:
        return text(
            self.lang,
            "roulette.limits",
            low=self.min_bet,
            high=self.max_bet,
            bets=self.max_bets,
            total=self.max_total,
        )

    @rx.var
    def mode_hint(self) -> str:
        return text(self.lang, f"roulette.hint_{self.mode}") if self.mode in MODES else ""

    @rx.event
    @requires("player.play")
    async def load(self) -> None:
        await self._load_info()
        self._set_bets({b.spot: b.minor for b in self.bets})  # amounts and labels in this language
        self.error, self._request_id = "", uuid.uuid4().hex
        await (await self.get_state(CasinoState))._load("roulette")

    async def _load_info(self) -> None:
        fmt = await formats_of(self)
        info = await call(roulette.roulette_info, uow())
        self.version, self.lang = info.version, fmt.lang
        self.currency, self.rtp = info.min_stake.currency, rtp_text(fmt, info.rtp_percent)
        self.min_bet, self.max_bet = (
            self._money(int(info.rules["min_bet"])),
            self._money(int(info.rules["max_bet"])),
        )
        self.max_total, self.max_bets = self._money(info.max_stake.minor), int(info.rules["max_bets"])
        self.chip_options = [[str(c), compact_money(fmt, c, self.currency)] for c in CHIPS]

    @rx.event
    def set_chip(self, value: str | list[str]) -> None:
        value = value[0] if isinstance(value, list) else value
        if str(value).isdigit() and int(value) in CHIPS:
            self.chip = int(value)

    @rx.event
    def set_mode(self, value: str | list[str]) -> None:
        value = value[0] if isinstance(value, list) else value
        if value in MODES:
            self.mode, self.picking, self.error = value, [], ""

    def _add(self, spot: str) -> None:
        amounts = {b.spot: b.minor for b in self.bets}
        if spot not in amounts and len(amounts) >= self.max_bets:
            self.error = text(self.lang, "roulette.too_many_bets", count=self.max_bets)
            return
        amounts[spot] = amounts.get(spot, 0) + self.chip
        self._set_bets(amounts)

    def _set_bets(self, amounts: dict[str, int]) -> None:
        order = {spot: i for i, spot in enumerate(wheel.BOARD)}
        self.bets = [
            BetRow(s, spot_label(s, self.lang), self._money(a), a, self._pays(s))
            for s, a in sorted(amounts.items(), key=lambda item: order.get(item[0], 0))
        ]
        self.chips_on = {b.spot: b.amount for b in self.bets}
        self.has_result, self.error = False, ""

    def _pays(self, spot: str) -> str:
        return text(self.lang, "roulette.pays", n=wheel.PAYS[spot.split(":")[0]])

    @rx.event
    def tap_number(self, number: int) -> None:
        n = int(number)
        if not 0 <= n <= 36:
            return
        self.error = ""
        if self.mode == "straight":
            self._add(f"straight:{n}")
        elif self.mode == "line" and n == 0:
            self.error = text(self.lang, "roulette.zero_not_in_line")
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
            numbers = text(self.lang, "roulette.and").join(str(x) for x in sorted(picked))
            name = text(self.lang, f"roulette.name_{kind}")
            self.error = text(self.lang, "roulette.not_a_bet", numbers=numbers, kind=name)

    @rx.event
    def place_outside(self, spot: str) -> None:
        if spot in OUTSIDE:
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
    async def spin(self, pressed_at: float | None = None):
        if pressed_too_long_ago(pressed_at, now()):  # replayed after a reconnect: not applied
            self.error = text(self.lang, "common.pressed_while_offline")
            yield rx.toast.warning(self.error)
            return
        session = await self.get_state(SessionState)
        casino = await self.get_state(CasinoState)
        self.busy, self.error = True, ""
        yield
        try:
            bets = tuple((b.spot, b.minor) for b in self.bets)
            cmd = roulette.SpinRoulette(bets, self._request_id, casino.commitment, self.version)
            view = await call(roulette.spin_wheel, uow(), session._actor(), cmd, now())
        except Exception as err:
            self.error, self.busy = message(err, self.lang), False
            if isinstance(err, RulesChanged):
                await self._load_info()
            await session._refresh_balance()
            yield await interrupted(self, err)
            return
        self._request_id = uuid.uuid4().hex
        self.pocket = int(view.outcome.get("pocket", -1))
        self.pocket_colour = wheel.colour(self.pocket) if self.pocket >= 0 else ""
        colour = text(self.lang, f"roulette.colour_{self.pocket_colour}") if self.pocket_colour else ""
        self.pocket_text = f"{self.pocket} {colour}".strip()
        self.winning = [str(s) for s in view.outcome.get("winning", [])]
        self.won = view.win.minor > view.stake.minor
        self.result_line = outcome_line(view, await formats_of(self))
        self.has_result, self.busy, self.spins = True, False, self.spins + 1
        await casino._after_round(view)
