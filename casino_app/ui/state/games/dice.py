"""The dice panel: direction, target slider, stake, Roll; the roll is decided and paid on the server."""

from __future__ import annotations

import uuid
from decimal import Decimal

import reflex as rx

from casino_app.domain.errors import RulesChanged
from casino_app.domain.games import dice as dice_rules
from casino_app.domain.money.amounts import Money, parse_amount, to_decimal_string
from casino_app.services.games.instant import dice
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.games.casino import CasinoState, hundredths, outcome_line, rtp_text
from casino_app.ui.state.rg.play import interrupted
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.locale import formats_of
from casino_app.ui.state.session.presses import pressed_too_long_ago
from casino_app.ui.state.session.session import SessionState


class DiceState(rx.State):
    direction: str = "under"
    target: int = 50  # whole percent on the slider: "under 50" wins on 0.00-49.99
    stake_text: str = "1.00"
    currency: str = "EUR"
    lang: str = "en"  # the tab's language when the page loaded: the live figures below use it
    edge: int = 100
    min_target: int = 2
    max_target: int = 98
    rtp: str = ""
    min_stake: str = ""
    max_stake: str = ""
    version: int = 0
    busy: bool = False
    error: str = ""
    has_result: bool = False
    roll_text: str = ""
    roll_percent: str = "0%"  # where the roll sits on the track
    won: bool = False
    result_line: str = ""
    rolls: int = 0  # changes on every roll, so the result animates again
    _request_id: str = ""

    def _chance(self) -> int:
        """Winning rolls out of 10,000."""
        t = self.target * 100
        return t if self.direction == "under" else dice_rules.RANGE - t

    def _fmt(self) -> Formats:
        return Formats(self.lang)

    @rx.var
    def chance_text(self) -> str:
        return self._fmt().percent(Decimal(self._chance()).scaleb(-4))

    @rx.var
    def multiplier_text(self) -> str:
        scaled = (dice_rules.RANGE - self.edge) * 10_000 // max(1, self._chance())
        return "×" + hundredths(self._fmt(), scaled, 4)

    @rx.var
    def target_text(self) -> str:
        return hundredths(self._fmt(), self.target * 100)

    @rx.var
    def range_low(self) -> str:
        return hundredths(self._fmt(), 0)

    @rx.var
    def range_high(self) -> str:
        return hundredths(self._fmt(), dice_rules.RANGE - 1)

    @rx.var
    def payout_text(self) -> str:
        try:
            stake = parse_amount(self.stake_text, self.currency).minor
        except Exception:
            return "—"
        win = stake * (dice_rules.RANGE - self.edge) // max(1, self._chance())
        return self._fmt().money(win, self.currency)

    @rx.var
    def stake_label(self) -> str:
        return text(self.lang, "dice.stake_in", currency=self.currency)

    @rx.var
    def stake_range(self) -> str:
        return text(self.lang, "dice.stake_range", low=self.min_stake, high=self.max_stake)

    @rx.var
    def rule_text(self) -> str:
        key = "dice.win_if_under" if self.direction == "under" else "dice.win_if_over"
        return text(self.lang, key, target=hundredths(self._fmt(), self.target * 100))

    @rx.var
    def win_zone(self) -> str:
        """The winning part of the track, as a CSS gradient."""
        green, grey = "var(--grass-9)", "var(--gray-6)"
        t = f"{self.target}%"
        if self.direction == "under":
            return f"linear-gradient(90deg, {green} 0 {t}, {grey} {t} 100%)"
        return f"linear-gradient(90deg, {grey} 0 {t}, {green} {t} 100%)"

    @rx.event
    @requires("player.play")
    async def load(self) -> None:
        await self._load_info()
        self.error, self._request_id = "", uuid.uuid4().hex
        await (await self.get_state(CasinoState))._load("dice")

    async def _load_info(self) -> None:
        fmt = await formats_of(self)
        info = await call(dice.dice_info, uow())
        low, high = info.min_stake, info.max_stake
        self.lang, self.rtp = fmt.lang, rtp_text(fmt, info.rtp_percent)
        self.min_stake, self.max_stake = (
            fmt.money(low.minor, low.currency),
            fmt.money(high.minor, high.currency),
        )
        self.currency, self.version, self.edge = (
            info.min_stake.currency,
            info.version,
            int(info.rules["edge"]),
        )
        self.min_target = -(-int(info.rules["min_chance"]) // 100)
        self.max_target = int(info.rules["max_chance"]) // 100
        self.target = min(max(self.target, self.min_target), self.max_target)

    @rx.event
    def set_direction(self, value: str | list[str]) -> None:
        value = value[0] if isinstance(value, list) else value
        if value in ("under", "over"):
            self.direction, self.error = value, ""

    @rx.event
    def set_target(self, value: list[float] | float) -> None:
        raw = value[0] if isinstance(value, list) else value
        try:
            self.target = min(max(round(float(raw)), self.min_target), self.max_target)
        except (TypeError, ValueError):
            return
        self.error = ""

    @rx.event
    def set_stake_text(self, value: str) -> None:
        self.stake_text, self.error = str(value)[:32], ""

    @rx.event
    def half_stake(self) -> None:
        self._scale_stake(1, 2)

    @rx.event
    def double_stake(self) -> None:
        self._scale_stake(2, 1)

    def _scale_stake(self, num: int, den: int) -> None:
        try:
            minor = parse_amount(self.stake_text, self.currency).minor * num // den
        except Exception:
            return
        self.stake_text = to_decimal_string(Money(max(minor, 1), self.currency))

    @rx.event
    @requires("player.play")
    async def roll(self, pressed_at: float | None = None):
        if pressed_too_long_ago(pressed_at, now()):  # replayed after a reconnect: not applied
            self.error = text(self.lang, "common.pressed_while_offline")
            yield rx.toast.warning(self.error)
            return
        session = await self.get_state(SessionState)
        casino = await self.get_state(CasinoState)
        self.busy, self.error = True, ""
        yield
        try:
            stake = parse_amount(self.stake_text, self.currency)
            cmd = dice.RollDice(
                stake.minor,
                self.direction,
                self.target * 100,
                self._request_id,
                casino.commitment,
                self.version,
            )
            view = await call(dice.roll, uow(), session._actor(), cmd, now())
        except Exception as err:
            self.error, self.busy = message(err, self.lang), False
            if isinstance(err, RulesChanged):
                await self._load_info()
            await session._refresh_balance()
            yield await interrupted(self, err)
            return
        self._request_id = uuid.uuid4().hex
        rolled = int(view.outcome.get("roll", 0))
        fmt = await formats_of(self)
        self.roll_text, self.roll_percent = hundredths(fmt, rolled), f"{rolled / 100:.2f}%"
        self.won = view.win.minor > view.stake.minor
        self.result_line = outcome_line(view, fmt)
        self.has_result, self.busy, self.rolls = True, False, self.rolls + 1
        await casino._after_round(view)
