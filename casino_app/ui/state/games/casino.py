"""What every casino page shares: the seed pair, the recent rounds, the session's position.

The game states (dice, roulette, slot) call the services and hand the round they played to
`CasinoState._after_round`, which refreshes the nonce, the recall list and the net position.
Rows are frozen dataclasses of pre-formatted strings; the browser verifier reads each round's
public data from `verify_json` and never asks the server whether a round was fair.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import reflex as rx
from babel.numbers import format_decimal

from casino_app.domain.errors import DomainError
from casino_app.domain.identity.actor import Actor
from casino_app.services.games import catalog, receipts
from casino_app.services.games.instant import play_session, recall, seeds
from casino_app.services.games.instant.views import RevealedPair, RoundView, SeedPairView
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.locale import formats_of
from casino_app.ui.state.session.session import SessionState

GAME_ROUTES = {"dice": "/dice", "roulette": "/roulette", "slot": "/slots"}


@dataclass(frozen=True)
class RoundRow:
    bet_id: str = ""
    game: str = ""
    game_name: str = ""
    when: str = ""
    stake: str = ""
    win: str = ""
    detail: str = ""  # "1 Dec 2026, 21:00 · stake €1.00 · balance €10.00 → €9.00"
    paid: bool = False  # paid more than nothing
    gained: bool = False  # paid more than the stake (a real win, not a part return)
    status: str = ""
    badge: str = ""  # the status, or "return" for a win below the stake
    result: str = ""
    balance_before: str = ""
    balance_after: str = ""
    nonce: str = ""
    commitment: str = ""
    client_seed: str = ""
    server_seed: str = ""
    verifiable: bool = False
    verify_json: str = "{}"
    target: str = ""  # the element the browser verifier writes into


@dataclass(frozen=True)
class RevealedRow:
    commitment: str = ""
    server_seed: str = ""
    client_seed: str = ""
    rounds: str = ""
    revealed: str = ""
    title: str = ""  # "Revealed server seed (3 rounds)"
    line: str = ""  # "Revealed 1 Dec 2026, 21:00 · 3 rounds · client seed "


def verify_data(v: RoundView) -> str:
    """The round's public data for assets/verifier.js (amounts in minor units)."""
    return json.dumps(
        {
            "game": v.game_code,
            "game_version": v.game_version,
            "server_seed": v.server_seed,
            "commitment": v.commitment,
            "client_seed": v.client_seed,
            "nonce": v.nonce,
            "stake": v.stake.minor,
            "currency": v.stake.currency,
            "selection": dict(v.selection),
            "outcome": dict(v.outcome),
            "win": v.win.minor if v.finished else None,
        },
        sort_keys=True,
        separators=(",", ":"),
    )


def game_name(lang: str, code: str, fallback: str = "") -> str:
    """A casino game's name in `lang` (the catalog's), the service's name for other games."""
    key = f"casino.game_{code}"
    return text(lang, key) if code in GAME_ROUTES else fallback or code


def rtp_text(fmt: Formats, rtp_percent: str) -> str:
    """The service's "99.00%" in the reader's locale ("99,00%")."""
    try:
        return fmt.percent(Decimal(rtp_percent.strip().rstrip("%")) / 100)
    except InvalidOperation:
        return rtp_percent


def compact_money(fmt: Formats, minor: int, currency: str) -> str:
    """A chip's or a stake button's value, whole amounts without their cents: "€1", "€0.50", "1 zł"."""
    return re.sub(r"[.,]00(?=\D|$)", "", fmt.money(minor, currency))


def outcome_line(v: RoundView, fmt: Formats) -> str:
    """What a round did for the player; a return below the stake is not called a win."""
    win, stake = fmt.money(v.win.minor, v.win.currency), fmt.money(v.stake.minor, v.stake.currency)
    if v.win.minor > v.stake.minor:
        return text(fmt.lang, "casino.you_win", amount=win)
    if v.win.minor > 0:
        return text(fmt.lang, "casino.part_return", win=win, stake=stake)
    return text(fmt.lang, "casino.no_win")


def result_line(v: RoundView, fmt: Formats) -> str:
    """What the round drew, in the reader's language (English: the service's own words)."""
    if fmt.lang == "en" or v.game_code not in GAME_ROUTES:
        return v.result
    try:
        return _result_in(v, fmt)
    except (KeyError, IndexError, TypeError, ValueError):
        return v.result


def _result_in(v: RoundView, fmt: Formats) -> str:
    lang, out, sel = fmt.lang, v.outcome, v.selection
    if v.game_code == "dice":
        roll, target = hundredths(fmt, int(out["roll"])), hundredths(fmt, int(sel["target"]))
        direction = text(lang, f"casino.direction_{sel['direction']}")
        return text(lang, "casino.result_dice", roll=roll, direction=direction, target=target)
    if v.game_code == "roulette":
        colour = text(lang, f"roulette.colour_{out['colour']}")
        return text(lang, "casino.result_roulette", pocket=out["pocket"], colour=colour)
    base = out["spins"][0]
    parts = [
        text(lang, key, n=n)
        for key, n in (
            ("casino.result_slot_lines", len(base.get("lines", []))),
            ("casino.result_slot_stars", int(base.get("scatters", 0))),
            ("casino.result_slot_free", int(out.get("free_spins", 0))),
        )
        if n
    ]
    return ", ".join(parts) or text(lang, "casino.result_slot_no_win")


def hundredths(fmt: Formats, value: int, places: int = 2) -> str:
    """4217 -> "42.17" / "42,17": a roll or a target in the reader's locale."""
    return format_decimal(Decimal(value).scaleb(-places), format="0." + "0" * places, locale=fmt.locale)


def round_row(v: RoundView, fmt: Formats) -> RoundRow:
    stake, win = fmt.money(v.stake.minor, v.stake.currency), fmt.money(v.win.minor, v.win.currency)
    before = fmt.money(v.cash_before.minor, v.cash_before.currency)
    after = (
        fmt.money(v.cash_after.minor, v.cash_after.currency)
        if v.cash_after
        else text(fmt.lang, "casino.after_the_round")
    )
    moment = fmt.when(v.created_at)
    return RoundRow(
        v.bet_id,
        v.game_code,
        game_name(fmt.lang, v.game_code, v.game_name),
        moment,
        stake,
        win,
        text(fmt.lang, "casino.round_detail", when=moment, stake=stake, before=before, after=after),
        v.win.minor > 0,
        v.win.minor > v.stake.minor,
        v.status,
        "return" if v.status == "win" and v.win.minor <= v.stake.minor else v.status,
        result_line(v, fmt),
        before,
        after,
        str(v.nonce),
        v.commitment,
        v.client_seed,
        v.server_seed,
        bool(v.server_seed) and v.finished,
        verify_data(v),
        f"verify-{v.bet_id}",
    )


def revealed_row(p: RevealedPair, fmt: Formats) -> RevealedRow:
    rounds, revealed = fmt.number(p.rounds), fmt.when(p.revealed_at)
    title = text(fmt.lang, "casino.revealed_seed", rounds=rounds)
    line = text(fmt.lang, "fairness.revealed_line", when=revealed, rounds=rounds)
    return RevealedRow(p.commitment, p.server_seed, p.client_seed, rounds, revealed, title, line)


class CasinoState(rx.State):
    commitment: str = ""
    client_seed: str = ""
    nonce: int = 0
    open_round: bool = False
    seed_input: str = ""
    seed_error: str = ""
    last_revealed: RevealedRow = RevealedRow()
    has_revealed: bool = False
    rounds: list[RoundRow] = []
    rounds_game: str = ""
    rules_json: str = "{}"
    session_since: str = ""  # ISO time the session started (the elapsed clock counts from it)
    session_since_text: str = ""
    session_net: str = ""
    session_loss: bool = False
    session_gain: bool = False
    session_rounds: int = 0

    @rx.var
    def short_commitment(self) -> str:
        return f"{self.commitment[:12]}…{self.commitment[-6:]}" if self.commitment else ""

    async def _who(self) -> Actor:
        return (await self.get_state(SessionState))._actor()

    def _show_pair(self, pair: SeedPairView) -> None:
        self.commitment, self.client_seed, self.nonce = pair.commitment, pair.client_seed, pair.nonce
        self.open_round = pair.open_round

    async def _load(self, game_code: str) -> None:
        """The pair, the game's recent rounds and the session position (for a page's on_load)."""
        actor = await self._who()
        self._show_pair(await call(seeds.seed_pair, uow(), actor, now()))
        self.rounds_game, self.seed_error = game_code, ""
        await self._refresh_rounds(actor)

    async def _refresh_rounds(self, actor: Actor) -> None:
        fmt = await formats_of(self)
        views = await call(recall.recent_rounds, uow(), actor, self.rounds_game or None, 10)
        self.rounds = [round_row(v, fmt) for v in views]
        self.rules_json = await call(_rules_of, views)
        try:
            pos = await call(play_session.position, uow(), actor, now())
        except DomainError:
            return
        self.session_since, self.session_since_text = (
            pos.started_at.isoformat(),
            fmt.time(pos.started_at),
        )
        self.session_net, self.session_rounds = fmt.money(pos.net.minor, pos.net.currency), pos.rounds
        self.session_loss, self.session_gain = pos.net.minor < 0, pos.net.minor > 0

    async def _after_round(self, view: RoundView) -> None:
        """A round was played or stepped: the next nonce, the recall list, the position, the balance."""
        actor = await self._who()
        self.nonce = max(self.nonce, view.nonce + 1)
        self.open_round = not view.finished
        await self._refresh_rounds(actor)
        session = await self.get_state(SessionState)
        await session._refresh_balance()

    @rx.event
    def set_seed_input(self, value: str) -> None:
        self.seed_input, self.seed_error = str(value)[:80], ""

    @rx.event
    @requires("player.play")
    async def rotate(self):
        """Reveal the server seed and start a new pair (with the typed client seed, if any)."""
        actor, fmt = await self._who(), await formats_of(self)
        wanted = self.seed_input if self.seed_input != "" else None
        try:
            rotation = await call(seeds.rotate_seed, uow(), actor, wanted, now())
        except Exception as err:
            self.seed_error = message(err, fmt.lang)
            return None
        self._show_pair(rotation.active)
        self.last_revealed, self.has_revealed = revealed_row(rotation.revealed, fmt), True
        self.seed_input = ""
        await self._refresh_rounds(actor)
        return rx.toast.success(text(fmt.lang, "casino.seed_revealed"))

    @rx.event
    @requires("player.history")
    async def download_receipt(self, bet_id: str):
        """The signed receipt of one round, as a JSON file for tools/verify_receipt.py."""
        try:
            signed = await call(receipts.receipt, uow(), await self._who(), str(bet_id))
        except Exception as err:
            return rx.toast.error(message(err, (await formats_of(self)).lang))
        body = json.dumps(signed.envelope(), indent=1, ensure_ascii=False, sort_keys=True)
        return rx.download(data=body, filename=f"receipt-{signed.bet_id}.json")


def _rules_of(views: list[RoundView]) -> str:
    """The rules of every game version in `views`, for the verifier ("slot@1": {...})."""
    wanted = {(v.game_code, v.game_version) for v in views}
    rules = {f"{c}@{n}": dict(catalog.game_facts(uow(), c, n).rules) for c, n in sorted(wanted)}
    for game in catalog.all_games(uow()):
        if game.code in GAME_ROUTES:
            rules[f"{game.code}@current"] = dict(game.rules)
    return json.dumps(rules, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class GameCard:
    code: str = ""
    name: str = ""
    route: str = ""
    icon: str = ""
    blurb: str = ""
    rtp: str = ""
    stakes: str = ""


_ICONS = {"dice": "dices", "roulette": "circle_dot", "slot": "cherry"}


class CasinoLobbyState(rx.State):
    """The lobby's casino section (public: what each game returns is shown before the stake)."""

    casino_games: list[GameCard] = []

    @rx.event
    async def load(self) -> None:
        from casino_app.services.games.instant import dice, roulette, slot

        fmt, cards = await formats_of(self), []
        for code, info_of in (
            ("dice", dice.dice_info),
            ("roulette", roulette.roulette_info),
            ("slot", slot.slot_info),
        ):
            try:
                info = await call(info_of, uow())
            except DomainError:
                continue
            low, high = info.min_stake, info.max_stake
            stakes = text(
                fmt.lang,
                "casino.stakes_range",
                low=fmt.money(low.minor, low.currency),
                high=fmt.money(high.minor, high.currency),
            )
            blurb = text(fmt.lang, f"casino.blurb_{code}")
            name = game_name(fmt.lang, code, info.name)
            rtp = rtp_text(fmt, info.rtp_percent)
            cards.append(GameCard(code, name, GAME_ROUTES[code], _ICONS[code], blurb, rtp, stakes))
        self.casino_games = cards
