"""Responsible gaming on the game screens: the reality-check dialog and the block page.

The server refuses every stake while a reality check waits (`RealityCheckDue`, from the bet
engine's pre-debit checks); the game states hand such a refusal to `interrupted`, which opens
the dialog with the time played and the net result. Play goes on only after the player chose
to continue (or to see their history); "stop" ends the session. A refusal because the player is
timed out or excluded signs the tab out and opens the block page with the helplines.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import reflex as rx

from casino_app.domain.compliance.profiles import DEFAULT_CODE, PROFILES
from casino_app.domain.compliance.vocabulary import BlockKind, RealityChoice
from casino_app.domain.errors import DomainError, PlayBlocked, RealityCheckDue, SessionLimitReached
from casino_app.services.compliance.rg import sessions as rg_sessions
from casino_app.services.compliance.rg.dto import PlayPosition
from casino_app.ui import routes
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.session import tab
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.locale import formats_of
from casino_app.ui.state.session.session import SessionState

PLAY = "player.play"


def played_text(lang: str, seconds: int) -> str:
    """Time played as people say it: "16 min", "1 h 16 min" / "1 godz. 16 min"."""
    minutes = max(0, seconds // 60)
    if minutes < 60:
        return text(lang, "reality.minutes", m=minutes)
    return text(lang, "reality.hours_minutes", h=minutes // 60, m=minutes % 60)


class RealityState(rx.State):
    """The reality-check dialog: open while a check waits; it cannot be dismissed otherwise."""

    showing: bool = False
    played: str = ""
    started: str = ""
    started_iso: str = ""  # the play session's start, for the ticking clock
    staked: str = ""
    won: str = ""
    net: str = ""
    net_loss: bool = False
    error: str = ""

    def _show(self, pos: PlayPosition, fmt: Formats) -> None:
        self.showing = pos.reality_check_due
        self.played, self.staked, self.won, self.net = (
            played_text(fmt.lang, pos.played_seconds),
            fmt.money(pos.staked.minor, pos.staked.currency),
            fmt.money(pos.won.minor, pos.won.currency),
            fmt.money(pos.net.minor, pos.net.currency),
        )
        self.started = fmt.time(pos.started_at) if pos.started_at else ""
        self.started_iso = pos.started_at.isoformat() if pos.started_at else ""
        self.net_loss = pos.net.minor < 0

    async def _refresh(self) -> None:
        """The play session's figures now (kept as they were when they cannot be read)."""
        actor, fmt = (await self.get_state(SessionState))._actor(), await formats_of(self)
        try:
            self._show(await call(rg_sessions.play_position, uow(), actor, now()), fmt)
        except DomainError:
            return

    @rx.event
    @requires(PLAY)
    async def check(self) -> None:
        """on_load of a game page: show the dialog at once when a check is already waiting."""
        self.error = ""
        await self._refresh()

    async def _acknowledge(self, choice: RealityChoice) -> bool | None:
        """Record the acknowledgement; whether it signed the player out (None: it failed)."""
        actor = (await self.get_state(SessionState))._actor()
        self.error = ""
        try:
            record = await call(rg_sessions.acknowledge_reality_check, uow(), actor, choice.value, now())
        except Exception as err:
            self.error = message(err, (await formats_of(self)).lang)
            return None
        self.showing = False
        return record.signed_out

    @rx.event
    @requires(PLAY)
    async def keep_playing(self):
        if await self._acknowledge(RealityChoice.CONTINUE) is None:
            return None
        lang = (await formats_of(self)).lang
        return rx.toast.info(text(lang, "reality.noted", played=self.played, net=self.net))

    @rx.event
    @requires(PLAY)
    async def stop_playing(self):
        signed_out = await self._acknowledge(RealityChoice.STOP)
        if signed_out is None:
            return None
        if signed_out:
            (await self.get_state(SessionState))._forget()
            return tab.drop(self, routes.LOGIN)
        return rx.redirect(routes.LOBBY)

    @rx.event
    @requires(PLAY)
    async def see_history(self):
        if await self._acknowledge(RealityChoice.HISTORY) is None:
            return None
        return rx.redirect(routes.HISTORY)


async def interrupted(state: rx.State, err: Exception) -> Any:
    """What a game state does with a refused stake: open the reality check, or sign a blocked
    player out to the block page. Returns the events to send (None when there are none)."""
    if isinstance(err, RealityCheckDue):
        reality = await state.get_state(RealityState)
        await reality._refresh()
        reality.showing = True  # whatever the figures say: the server refused the stake
        return None
    if isinstance(err, PlayBlocked) and not isinstance(err, SessionLimitReached):
        (await state.get_state(SessionState))._forget()
        kind = BlockKind.TIMEOUT if err.code == "timed_out" else BlockKind.SELF_EXCLUSION
        return tab.drop(state, f"{routes.RG_BLOCKED}?kind={kind.value}")
    return None


def _until(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class BlockedState(rx.State):
    """The page a timed-out or excluded player lands on: what is in force, and where to find help.

    It reads only a kind, a date and a profile code from the address and writes every word
    itself, so a crafted link can make it say nothing else."""

    text: str = ""
    helplines: list[str] = []

    @rx.event
    async def load(self) -> None:
        fmt = await formats_of(self)
        params = self.router.url.query_parameters
        try:
            kind = BlockKind(str(params.get("kind", "")))
        except ValueError:
            kind = BlockKind.SELF_EXCLUSION
        raw_until = params.get("until")
        until = _until(str(raw_until)[:40]) if raw_until else None
        rules = PROFILES.get(str(params.get("profile", ""))[:16].upper(), PROFILES[DEFAULT_CODE])
        # No end given: say what it is without a date; an empty end: it is permanent.
        known = until is not None or raw_until == ""
        what = _describe(fmt, kind, until) if known else _kind_text(fmt.lang, kind)
        self.text = text(fmt.lang, "reality.block_intro", what=what) + text(fmt.lang, "reality.block_rest")
        self.helplines = [h.text for h in rules.helplines] or [
            h.text for h in PROFILES[DEFAULT_CODE].helplines
        ]


_BLOCK_KEYS = {
    BlockKind.TIMEOUT: "reality.block_timeout",
    BlockKind.SELF_EXCLUSION: "reality.block_self_excluded",
    BlockKind.OPERATOR_EXCLUSION: "reality.block_closed",
}


def _describe(fmt: Formats, kind: BlockKind, until: datetime | None) -> str:
    """ "on a time-out until 8 Mar 2026, 12:00", "self-excluded permanently" (in the reader's zone)."""
    key = _BLOCK_KEYS[kind]
    return text(fmt.lang, f"{key}_until", until=fmt.when(until)) if until else text(fmt.lang, key)


def _kind_text(lang: str, kind: BlockKind) -> str:
    return text(lang, "reality.block_timeout" if kind == BlockKind.TIMEOUT else "reality.block_closed_kind")
