"""Back office: a game's draws with their figures, and cancelling a draw with a reason.

Every handler re-checks its permission; the services check it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from casino_app.domain.money.amounts import Money, format_money
from casino_app.services.games.lotto.draws import cancellation
from casino_app.services.games.lotto.draws import ops as draw_ops
from casino_app.ui.format import when
from casino_app.ui.services import call, message, now, uow
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.session import SessionState

VIEW = "ops.draws.view"
CANCEL = "ops.draws.cancel"


@dataclass(frozen=True)
class DrawRow:
    id: str = ""
    code: str = ""
    status: str = ""
    draw_at: str = ""
    closes_at: str = ""
    commitment: str = ""
    ticket_root: str = ""
    numbers: str = ""
    tickets: str = ""
    stakes: str = ""
    jackpot: str = ""
    tiers: list[str] = field(default_factory=list)
    cancellable: bool = False


def _money(minor: int, currency: str) -> str:
    return format_money(Money(minor, currency))


def _row(d: draw_ops.OpsDrawView) -> DrawRow:
    jackpot = (
        f"before {_money(d.jackpot_before, d.currency)} · funded {_money(d.jackpot_funded, d.currency)} · "
        f"won {_money(d.jackpot_won, d.currency)} · seeded {_money(d.jackpot_seeded, d.currency)} · "
        f"after {_money(d.jackpot_after, d.currency)}"
        if d.settled
        else ""
    )
    return DrawRow(
        str(d.id),
        d.code,
        d.status,
        when(d.draw_at),
        when(d.closes_at),
        d.commitment,
        d.ticket_root or "not fixed yet",
        d.numbers.replace(",", " ") or "—",
        f"{d.tickets} ticket(s)" + (f", {d.refunded} refunded" if d.refunded else ""),
        _money(d.stakes, d.currency),
        jackpot,
        [f"{t.matches} hits: {t.winners} line(s), {_money(t.paid, d.currency)}" for t in d.tiers],
        d.status in {"scheduled", "open", "closed"},
    )


class OpsDrawsState(rx.State):
    games: list[str] = []
    game: str = ""
    draws: list[DrawRow] = []
    reason: str = ""
    error: str = ""

    @rx.event
    @requires(VIEW)
    async def load(self) -> None:
        actor = (await self.get_state(SessionState))._actor()
        try:
            self.games = await call(draw_ops.lotto_game_codes, uow())
            if self.game not in self.games:
                self.game = self.games[0] if self.games else ""
            views = await call(draw_ops.list_draws, uow(), actor, self.game) if self.game else []
            self.draws, self.error = [_row(v) for v in views], ""
        except Exception as err:
            self.draws, self.error = [], message(err)

    @rx.event
    @requires(VIEW)
    async def pick_game(self, code: str) -> None:
        self.game = str(code)[:32]
        await self.load()

    @rx.event
    @requires(CANCEL)
    def set_reason(self, value: str) -> None:
        self.reason = str(value)[:255]

    @rx.event
    @requires(CANCEL)
    async def cancel(self, draw_id: str):
        """Cancel a draw with the reason typed above: every stake is refunded (audited)."""
        actor = (await self.get_state(SessionState))._actor()
        try:
            done = await call(cancellation.cancel_draw, uow(), actor, int(draw_id), self.reason, now())
        except (ValueError, TypeError):
            return rx.toast.error("Unknown draw.")
        except Exception as err:
            return rx.toast.error(message(err))
        self.reason = ""
        await self.load()
        return rx.toast.success(f"Draw cancelled; {done.refunded} ticket(s) refunded.")
