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
from casino_app.domain.money.amounts import Money, format_money
from casino_app.services.games.instant import slot, specs, unfinished
from casino_app.services.games.instant.views import RoundView
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.casino import CasinoState
from casino_app.ui.state.guard import requires
from casino_app.ui.state.rg_play import interrupted
from casino_app.ui.state.session import SessionState

STAKES = (10, 20, 50, 1_00, 2_00, 5_00, 10_00)
START = [[s] * 3 for s in ("seven", "crown", "bell", "gem", "cherry")]


@dataclass(frozen=True)
class LineRow:
    line: str = ""
    symbol: str = ""
    count: str = ""
    pays: str = ""


@dataclass(frozen=True)
class PayRow:
    symbol: str = ""
    five: str = ""
    four: str = ""
    three: str = ""
    two: str = ""


def pay_rows(rules: dict[str, Any]) -> list[PayRow]:
    pays = rules.get("pays", {})
    return [
        PayRow(s, *(f"{p[k]}×" if k in p else "—" for k in ("5", "4", "3", "2")))
        for s, p in sorted(pays.items(), key=lambda item: -max(item[1].values()))
    ]


class SlotState(rx.State):
    stake_minor: int = 1_00
    stake_options: list[str] = [str(s) for s in STAKES]
    currency: str = "EUR"
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
        return format_money(Money(self.stake_minor, self.currency))

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
        info = await call(slot.slot_info, uow())
        rules = dict(info.rules)
        self.currency, self.rtp, self.version = info.min_stake.currency, info.rtp_percent, info.version
        self.lines, self.paytable = len(rules["lines"]), pay_rows(rules)
        self._line_rows = [[int(r) for r in line] for line in rules["lines"]]
        sp = rules.get("scatter_pays", {})
        self.scatter_text = ", ".join(f"{k} stars pay {v}× stake" for k, v in sorted(sp.items()))
        self.free_text = f"{rules['trigger']} or more stars start {rules['free_spins']} free spins"
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
        self.line_wins = [
            LineRow(str(w[0]), str(w[1]), str(w[2]), f"{w[3]}× line bet") for w in last.get("lines", [])
        ]
        self._shown = view.shown
        self.free_total = view.steps - 1
        self.free_left = view.steps - view.shown
        self.in_feature = not view.finished and view.steps > view.shown
        self.paid, self.gained = view.win.minor > 0, view.win.minor > view.stake.minor
        self.win_text = view.win.text
        self.feature_text = (
            f"Free spin {view.shown - 1} of {view.steps - 1} · won so far {view.win.text}"
            if view.steps > 1 and view.shown > 1
            else f"{view.steps - 1} free spins! Tap to play each one."
            if view.steps > 1
            else ""
        )
        self.notice = view.notice
        self.has_result, self.parity = True, not self.parity

    @rx.event
    @requires("player.play")
    async def spin(self):
        session = await self.get_state(SessionState)
        casino = await self.get_state(CasinoState)
        self.busy, self.error, self.notice = True, "", ""
        yield
        try:
            cmd = slot.SpinSlot(self.stake_minor, self._request_id, casino.commitment, self.version)
            view = await call(slot.spin, uow(), session._actor(), cmd, now())
        except Exception as err:
            self.error, self.busy = message(err), False
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
            self.error, self.busy = message(err), False
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
