"""The slot: stake, Spin, free spins shown one by one; the server decides and paces every spin.

The round is decided on the server before any animation; the reels then land on what was
decided. The Spin button rests for the profile's interval after each spin (the server refuses
an earlier one anyway); there is no autoplay and no turbo.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

import reflex as rx

from casino_app.domain.errors import RulesChanged
from casino_app.services.games.instant import slot, specs, unfinished
from casino_app.services.games.instant.views import RoundView
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.games.casino import CasinoState, compact_money, rtp_text
from casino_app.ui.state.rg.play import interrupted
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.locale import formats_of
from casino_app.ui.state.session.presses import pressed_too_long_ago
from casino_app.ui.state.session.session import SessionState

STAKES = (10, 20, 50, 1_00, 2_00, 5_00, 10_00)
START = [[s] * 3 for s in ("seven", "crown", "bell", "gem", "cherry")]
SYMBOLS = ("seven", "wild", "crown", "bell", "gem", "grape", "citrus", "cherry", "star")


def symbol_name(lang: str, symbol: str) -> str:
    """A symbol's name for people ("cherry" -> "Cherry" / "Wiśnia")."""
    return text(lang, f"slots.symbol_{symbol}") if symbol in SYMBOLS else symbol


@dataclass(frozen=True)
class LineRow:
    line: str = ""
    symbol: str = ""
    count: str = ""
    pays: str = ""
    text: str = ""  # "Line 3: 4 × Cherry pays 5× line bet"


@dataclass(frozen=True)
class PayRow:
    symbol: str = ""
    label: str = ""
    five: str = ""
    four: str = ""
    three: str = ""
    two: str = ""


def pay_rows(rules: dict[str, Any], lang: str = "en") -> list[PayRow]:
    pays = rules.get("pays", {})
    fmt = Formats(lang)
    return [
        PayRow(
            s,
            symbol_name(lang, s),
            *(f"{fmt.number(p[k])}×" if k in p else "—" for k in ("5", "4", "3", "2")),
        )
        for s, p in sorted(pays.items(), key=lambda item: -max(item[1].values()))
    ]


class SlotState(rx.State):
    stake_minor: int = 1_00
    stake_options: list[list[str]] = [[str(s), str(s)] for s in STAKES]  # [value, label]
    currency: str = "EUR"
    lang: str = "en"  # the tab's language when the page loaded
    rtp: str = ""
    lines: int = 10
    version: int = 0
    paytable: list[PayRow] = []
    scatter_text: str = ""
    free_text: str = ""
    window: list[list[str]] = START
    highlight: list[str] = []  # "reel-row" cells on winning lines
    line_wins: list[LineRow] = []
    parity: bool = False  # flips on every spin so the reels' animation plays again
    has_result: bool = False
    win_text: str = ""
    free_left_text: str = ""
    paid: bool = False
    gained: bool = False
    in_feature: bool = False
    free_total: int = 0
    free_left: int = 0
    feature_text: str = ""
    notice: str = ""
    cooldown: bool = False
    busy: bool = False
    error: str = ""
    _shown: int = 0
    _line_rows: list[list[int]] = []
    _interval_s: float = 2.5
    _request_id: str = ""

    @rx.var
    def stake_text(self) -> str:
        return Formats(self.lang).money(self.stake_minor, self.currency)

    @rx.var
    def can_spin(self) -> bool:
        return not (self.busy or self.cooldown or self.in_feature)

    @rx.event
    @requires("player.play")
    async def load(self):
        await self._load_info()
        self.error, self.notice, self._request_id = "", "", uuid.uuid4().hex
        casino = await self.get_state(CasinoState)
        await casino._load(specs.SLOT_CODE)
        open_round = await call(
            unfinished.unfinished_round, uow(), await casino._who(), specs.SLOT_CODE, now()
        )
        if open_round is not None:
            self._show(open_round)
            if open_round.finished:
                await casino._after_round(open_round)
        else:
            self.in_feature = False

    async def _load_info(self) -> None:
        fmt = await formats_of(self)
        info = await call(slot.slot_info, uow())
        rules, lang = dict(info.rules), fmt.lang
        self.currency, self.version, self.lang = info.min_stake.currency, info.version, lang
        self.rtp = rtp_text(fmt, info.rtp_percent)
        self.lines, self.paytable = len(rules["lines"]), pay_rows(rules, lang)
        self.stake_options = [[str(s), compact_money(fmt, s, self.currency)] for s in STAKES]
        self._line_rows = [[int(r) for r in line] for line in rules["lines"]]
        sp = rules.get("scatter_pays", {})
        self.scatter_text = ", ".join(
            text(lang, "slots.scatter_pays", count=k, n=fmt.number(v)) for k, v in sorted(sp.items())
        )
        self.free_text = text(lang, "slots.free_trigger", count=rules["trigger"], spins=rules["free_spins"])
        self._interval_s = uow().context.settings.slot_spin_interval_ms / 1000

    @rx.event
    def set_stake(self, value: str | list[str]) -> None:
        value = value[0] if isinstance(value, list) else value
        if str(value).isdigit() and int(value) in STAKES:
            self.stake_minor, self.error = int(value), ""

    def _show(self, view: RoundView) -> None:
        spins = list(view.outcome.get("spins", []))
        if not spins:
            return
        last = spins[-1]
        self.window = [list(reel) for reel in last.get("window", START)]
        rows = self._line_rows or [list(line) for line in specs.SLOT_LINES]
        self.highlight = sorted(
            {f"{reel}-{rows[w[0] - 1][reel]}" for w in last.get("lines", []) for reel in range(int(w[2]))}
        )
        self.line_wins = [self._line_row(w) for w in last.get("lines", [])]
        self._shown = view.shown
        self.free_total = view.steps - 1
        self.free_left = view.steps - view.shown
        self.in_feature = not view.finished and view.steps > view.shown
        self.paid, self.gained = view.win.minor > 0, view.win.minor > view.stake.minor
        self.win_text = Formats(self.lang).money(view.win.minor, view.win.currency)
        self.free_left_text = text(self.lang, "slots.free_left", n=self.free_left)
        self.feature_text = self._feature_text(view)
        self.notice = view.notice
        self.has_result, self.parity = True, not self.parity

    def _line_row(self, w: list[Any]) -> LineRow:
        pays = text(self.lang, "slots.line_bet_multiple", n=Formats(self.lang).number(w[3]))
        symbol = symbol_name(self.lang, str(w[1]))
        line = text(self.lang, "slots.line_win", line=w[0], count=w[2], symbol=symbol, pays=pays)
        return LineRow(str(w[0]), symbol, str(w[2]), pays, line)

    def _feature_text(self, view: RoundView) -> str:
        if view.steps <= 1:
            return ""
        if view.shown > 1:
            won = Formats(self.lang).money(view.win.minor, view.win.currency)
            return text(
                self.lang, "slots.feature_progress", shown=view.shown - 1, total=view.steps - 1, won=won
            )
        return text(self.lang, "slots.feature_start", total=view.steps - 1)

    @rx.event
    @requires("player.play")
    async def spin(self, pressed_at: float | None = None):
        if pressed_too_long_ago(pressed_at, now()):  # replayed after a reconnect: not applied
            self.error = text(self.lang, "common.pressed_while_offline")
            yield rx.toast.warning(self.error)
            return
        session = await self.get_state(SessionState)
        casino = await self.get_state(CasinoState)
        self.busy, self.error, self.notice = True, "", ""
        yield
        try:
            cmd = slot.SpinSlot(self.stake_minor, self._request_id, casino.commitment, self.version)
            view = await call(slot.spin, uow(), session._actor(), cmd, now())
        except Exception as err:
            self.error, self.busy = message(err, self.lang), False
            if isinstance(err, RulesChanged):
                await self._load_info()
            await session._refresh_balance()
            yield await interrupted(self, err)
            return
        self._request_id = uuid.uuid4().hex
        await self._landed(view, casino)
        yield SlotState.end_cooldown

    @rx.event
    @requires("player.play")
    async def free_spin(self):
        casino = await self.get_state(CasinoState)
        self.busy, self.error = True, ""
        yield
        try:
            view = await call(slot.free_spin, uow(), await casino._who(), self._shown + 1, now())
        except Exception as err:
            self.error, self.busy = message(err, self.lang), False
            return
        await self._landed(view, casino)
        yield SlotState.end_cooldown

    async def _landed(self, view: RoundView, casino: CasinoState) -> None:
        self._show(view)
        self.busy, self.cooldown = False, True
        await casino._after_round(view)

    @rx.event(background=True)
    async def end_cooldown(self):
        """Let the Spin button wake after the interval (the server enforces it regardless)."""
        async with self:
            wait = self._interval_s
        await asyncio.sleep(max(0.0, min(wait, 10.0)))
        async with self:
            self.cooldown = False
