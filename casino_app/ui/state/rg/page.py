"""The player's responsible-gaming page: limits, pending raises, reality checks, time-out,
self-exclusion, the history and the decisions on their cases.

Every handler that reads or changes RG state re-checks `player.account` and calls one service;
rows are frozen dataclasses of pre-formatted strings. A time-out or self-exclusion ends every
session of the player: the tab then clears its cookie and opens the block page.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import reflex as rx

from casino_app.domain.money.amounts import parse_amount
from casino_app.services.compliance.rg import sessions as rg_sessions
from casino_app.services.compliance.rg.dto import BlockView, SetLimit
from casino_app.services.compliance.rg.exclusion import periods as rg_exclusion
from casino_app.services.compliance.rg.harm import cases as rg_cases
from casino_app.services.compliance.rg.limits import setting as rg_limits
from casino_app.services.compliance.rg.views import player as rg_views
from casino_app.services.compliance.rg.views.dto import RgOverview
from casino_app.ui import routes
from casino_app.ui.i18n.catalog import DEFAULT_LANGUAGE, catalog, text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.rg.rows import (
    DecisionRow,
    HistoryRow,
    LimitRow,
    PendingRow,
    decision_row,
    history_row,
    length_label,
    limit_row,
    pending_row,
)
from casino_app.ui.state.session import tab
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.locale import formats_of
from casino_app.ui.state.session.session import SessionState

RG = "player.account"
CONFIRM_WORD = "EXCLUDE"
NO_LIMIT = "none"  # the select value that removes a limit or switches reality checks off


def blocked_target(block: BlockView, profile_code: str) -> str:
    """The block page, with what it shows: the kind, the end, the profile whose helplines it lists
    (the page builds every word itself, so a crafted link cannot make it say anything else)."""
    query = {
        "kind": block.kind,
        "until": block.until.isoformat() if block.until else "",
        "profile": profile_code,
    }
    return f"{routes.RG_BLOCKED}?{urlencode(query)}"


def saved_text(lang: str, status: str, said: str) -> str:
    """The toast after a limit change: the service's own sentence in English, the catalog's otherwise."""
    if lang == DEFAULT_LANGUAGE and said:
        return said
    key = f"rg.saved_{status}"
    return text(lang, key if key in catalog(lang) else "rg.saved")


class ResponsibleState(rx.State):
    _profile_code: str = ""
    _lang: str = DEFAULT_LANGUAGE
    loaded: bool = False
    currency: str = ""
    profile_name: str = ""
    cooling_off: str = ""
    limits: list[LimitRow] = []
    pending: list[PendingRow] = []
    review_due: bool = False
    session_limit: str = ""  # "60 min in force" / ""
    own_session_limit: str = NO_LIMIT
    session_options: list[list[str]] = []
    reality_text: str = ""
    reality_choice: str = NO_LIMIT
    reality_options: list[list[str]] = []
    reality_required: bool = False
    block_text: str = ""
    timeout_options: list[list[str]] = []
    exclusion_terms: list[list[str]] = []
    helplines: list[str] = []
    history: list[HistoryRow] = []
    decisions: list[DecisionRow] = []
    # forms
    limit_kind: str = "deposit"
    limit_period: str = "day"
    limit_amount: str = ""
    timeout_choice: str = ""
    exclusion_choice: str = ""
    exclusion_confirm: str = ""
    exclusion_open: bool = False
    timeout_open: bool = False
    appeal_text: str = ""
    error: str = ""
    block_error: str = ""

    @rx.var
    def can_exclude(self) -> bool:
        return self.exclusion_choice != "" and self.exclusion_confirm.strip().upper() == CONFIRM_WORD

    def _show(self, view: RgOverview, fmt: Formats) -> None:
        lim, lang = view.limits, fmt.lang
        self.currency, self.profile_name, self._profile_code = (
            view.currency,
            view.profile_name,
            view.profile_code,
        )
        self.cooling_off = length_label(view.cooling_off, lang)
        self.limits = [limit_row(line, fmt) for line in lim.lines if line.in_force is not None]
        self.pending = [pending_row(c, fmt) for c in lim.pending]
        self.review_due = lim.review_due
        minutes = lim.session_limit_minutes
        self.session_limit = text(lang, "rg.minutes_in_force", n=minutes) if minutes else ""
        own = lim.own_session_limit_minutes
        self.own_session_limit = str(own) if own else NO_LIMIT
        self.session_options = [[NO_LIMIT, text(lang, "rg.no_session_limit")]] + [
            [str(m), text(lang, "rg.n_minutes", n=m)] for m in view.session_options
        ]
        self._show_reality(view, lang)
        self.block_text = view.block.text
        self.timeout_options = [
            [str(int(t.total_seconds() // 3600)), length_label(t, lang)] for t in view.timeout_options
        ]
        self.exclusion_terms = [
            [term.value, text(lang, f"rg.term_{term.value}")] for term, _ in view.exclusion_terms
        ]
        # The selects show their first option until the player picks: the state says the same.
        self.timeout_choice = self.timeout_choice or (self.timeout_options or [[""]])[0][0]
        self.exclusion_choice = self.exclusion_choice or (self.exclusion_terms or [[""]])[0][0]
        self.helplines = list(view.helplines)

    def _show_reality(self, view: RgOverview, lang: str) -> None:
        r = view.reality
        every = r.in_force_minutes
        self.reality_text = text(lang, "rg.every_n_min", n=every) if every else text(lang, "rg.off")
        shown = r.chosen_minutes or (r.in_force_minutes if r.required_max is not None else None)
        self.reality_choice = str(shown) if shown else NO_LIMIT
        off = [] if r.required_max is not None else [[NO_LIMIT, text(lang, "rg.off_option")]]
        self.reality_options = off + [[str(m), text(lang, "rg.every_n_minutes", n=m)] for m in r.options]
        self.reality_required = r.required_max is not None

    async def _language(self) -> str:
        self._lang = (await formats_of(self)).lang
        return self._lang

    async def _actor(self):
        return (await self.get_state(SessionState))._actor()

    async def _reload(self) -> None:
        actor, fmt = await self._actor(), await formats_of(self)
        self._lang = fmt.lang
        self._show(await call(rg_views.my_overview, uow(), actor, now()), fmt)
        self.history = [history_row(h, fmt) for h in await call(rg_views.my_history, uow(), actor)]
        self.decisions = [decision_row(d, fmt) for d in await call(rg_cases.my_decisions, uow(), actor)]
        self.loaded = True

    @rx.event
    @requires(RG)
    async def load(self) -> None:
        self.error = self.block_error = ""
        self.limit_amount, self.exclusion_confirm, self.appeal_text = "", "", ""
        self.exclusion_open = self.timeout_open = False
        try:
            await self._reload()
        except Exception as err:
            self.error = message(err, await self._language())

    # --- form fields ----------------------------------------------------------------------

    @rx.event
    def set_limit_kind(self, value: str) -> None:
        self.limit_kind, self.error = str(value)[:16], ""

    @rx.event
    def set_limit_period(self, value: str) -> None:
        self.limit_period, self.error = str(value)[:16], ""

    @rx.event
    def set_limit_amount(self, value: str) -> None:
        self.limit_amount, self.error = str(value)[:32], ""

    @rx.event
    def set_own_session_limit(self, value: str) -> None:
        self.own_session_limit = str(value)[:8]

    @rx.event
    def set_reality_choice(self, value: str) -> None:
        self.reality_choice = str(value)[:8]

    @rx.event
    def set_timeout_choice(self, value: str) -> None:
        self.timeout_choice, self.block_error = str(value)[:8], ""

    @rx.event
    def set_exclusion_choice(self, value: str) -> None:
        self.exclusion_choice, self.block_error = str(value)[:16], ""

    @rx.event
    def set_exclusion_confirm(self, value: str) -> None:
        self.exclusion_confirm = str(value)[:32]

    @rx.event
    def set_exclusion_open(self, value: bool) -> None:
        self.exclusion_open, self.exclusion_confirm, self.block_error = bool(value), "", ""

    @rx.event
    def set_timeout_open(self, value: bool) -> None:
        self.timeout_open, self.block_error = bool(value), ""

    @rx.event
    def set_appeal_text(self, value: str) -> None:
        self.appeal_text = str(value)[:1000]

    # --- limits ---------------------------------------------------------------------------

    async def _change(self, cmd: SetLimit):
        try:
            change = await call(rg_limits.set_limit, uow(), await self._actor(), cmd, now())
        except Exception as err:
            self.error = message(err, await self._language())
            return None
        self.limit_amount = ""
        await self._reload()
        return rx.toast.success(saved_text(self._lang, change.status, change.message))

    @rx.event
    @requires(RG)
    async def save_limit(self):
        """Set or change a money limit: lower applies now, higher waits the cooling-off."""
        self.error = ""
        try:
            amount = parse_amount(self.limit_amount, self.currency or "EUR").minor
        except Exception as err:
            self.error = message(err, await self._language())
            return None
        return await self._change(SetLimit(self.limit_kind, self.limit_period, amount))

    @rx.event
    @requires(RG)
    async def remove_limit(self, key: str):
        """Ask to remove one of the player's own limits (a removal waits like a raise)."""
        kind, _, period = str(key).partition(":")
        return await self._change(SetLimit(kind, period, None))

    @rx.event
    @requires(RG)
    async def save_session_limit(self):
        value = self.own_session_limit
        minutes = None if value == NO_LIMIT else _int(value)
        return await self._change(SetLimit("session", "session", minutes))

    @rx.event
    @requires(RG)
    async def confirm_raise(self, change_id: str):
        return await self._pending_step(rg_limits.confirm_raise, change_id, "rg.new_limit_applies")

    @rx.event
    @requires(RG)
    async def cancel_raise(self, change_id: str):
        return await self._pending_step(rg_limits.cancel_raise, change_id, "rg.request_withdrawn")

    async def _pending_step(self, fn, change_id: str, done: str):
        try:
            await call(fn, uow(), await self._actor(), _int(change_id), now())
        except Exception as err:
            self.error = message(err, await self._language())
            return None
        await self._reload()
        return rx.toast.success(text(self._lang, done))

    @rx.event
    @requires(RG)
    async def keep_limits(self):
        """The six-monthly review: the player looked at their limits and keeps them."""
        try:
            await call(rg_limits.review_limits, uow(), await self._actor(), now())
        except Exception as err:
            return rx.toast.error(message(err, await self._language()))
        self.review_due = False
        return rx.toast.success(text(await self._language(), "rg.thanks_review"))

    # --- reality checks -------------------------------------------------------------------

    @rx.event
    @requires(RG)
    async def save_reality(self):
        minutes = None if self.reality_choice == NO_LIMIT else _int(self.reality_choice)
        try:
            await call(rg_sessions.set_reality_interval, uow(), await self._actor(), minutes, now())
        except Exception as err:
            self.error = message(err, await self._language())
            return None
        await self._reload()
        return rx.toast.success(text(self._lang, "rg.reality_saved", what=self.reality_text))

    # --- time-out and self-exclusion ------------------------------------------------------

    @rx.event
    @requires(RG)
    async def take_time_out(self):
        hours = _int(self.timeout_choice)
        return await self._block(rg_exclusion.take_time_out, timedelta(hours=hours))

    @rx.event
    @requires(RG)
    async def self_exclude(self):
        if not self.can_exclude:
            self.block_error = text(await self._language(), "rg.choose_then_type", word=CONFIRM_WORD)
            return None
        return await self._block(rg_exclusion.self_exclude, self.exclusion_choice)

    async def _block(self, fn, term):
        try:
            block = await call(fn, uow(), await self._actor(), term, now())
        except Exception as err:
            self.block_error = message(err, await self._language())
            return None
        self.exclusion_open = self.timeout_open = False
        session = await self.get_state(SessionState)
        session._forget()
        return tab.drop(self, blocked_target(block, self._profile_code))

    # --- case decisions -------------------------------------------------------------------

    @rx.event
    @requires(RG)
    async def appeal(self, case_id: str):
        try:
            await call(
                rg_cases.appeal_decision, uow(), await self._actor(), _int(case_id), self.appeal_text, now()
            )
        except Exception as err:
            return rx.toast.error(message(err, await self._language()))
        self.appeal_text = ""
        await self._reload()
        return rx.toast.success(text(self._lang, "rg.appeal_sent"))


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
