"""What a notice says, in the reader's language and formats (the toast and the inbox page).

A notice keeps data (domain/inbox/notices.py); the sentence is built here from the `live.*`
catalog, with amounts and dates formatted for the tab that shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from casino_app.domain.compliance.vocabulary import LimitKind, LimitPeriod
from casino_app.domain.inbox.vocabulary import NotificationKind
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats


def title(formats: Formats, kind: str) -> str:
    """The notice's heading ("Draw settled" / "Losowanie rozliczone")."""
    known = kind if kind in set(NotificationKind) else NotificationKind.DRAW_SETTLED
    return text(formats.lang, f"live.title_{known}")


def describe(formats: Formats, kind: str, params: Mapping[str, Any]) -> str:
    """The notice's sentence, e.g. "Lotto 6/49 · Tuesday 1 December, 21:00: you won €20.00."."""
    if kind == NotificationKind.DRAW_SETTLED:
        return _draw(formats, params)
    if kind == NotificationKind.LIMIT_CHANGED:
        return _limit(formats, params)
    if kind in (
        NotificationKind.DEPOSIT_CONFIRMED,
        NotificationKind.WITHDRAWAL_PAID,
        NotificationKind.WITHDRAWAL_REJECTED,
    ):
        return text(formats.lang, f"live.{kind}", amount=_money(formats, params, "amount_minor"))
    return ""


def _money(formats: Formats, params: Mapping[str, Any], name: str) -> str:
    return formats.money(int(params.get(name) or 0), str(params.get("currency") or "EUR"))


def _draw(formats: Formats, params: Mapping[str, Any]) -> str:
    game = str(params.get("game") or "")
    at = str(params.get("draw_at") or "")
    draw = formats.draw_name(game, datetime.fromisoformat(at)) if at else game
    won = int(params.get("won_minor") or 0)
    if won > 0:
        return text(formats.lang, "live.draw_won", draw=draw, amount=_money(formats, params, "won_minor"))
    return text(formats.lang, "live.draw_lost", draw=draw)


def _limit(formats: Formats, params: Mapping[str, Any]) -> str:
    lang = formats.lang
    kind = str(params.get("kind") or LimitKind.DEPOSIT)
    period = str(params.get("period") or "")
    status = str(params.get("status") or "applied")
    if status not in ("applied", "confirmed", "pending", "expired", "cancelled"):
        status = "applied"
    limit = text(lang, f"live.limit_{kind}") if kind in set(LimitKind) else kind
    known_period = period in set(LimitPeriod) and period != LimitPeriod.SESSION
    period_text = text(lang, f"live.period_{period}") if known_period else ""
    amount = _limit_amount(formats, kind, params.get("new"), str(params.get("currency") or "EUR"))
    sentence = text(lang, f"live.limit_{status}", limit=limit, period=period_text, amount=amount)
    return " ".join(sentence.split())


def _limit_amount(formats: Formats, kind: str, amount: Any, currency: str) -> str:
    if amount is None:
        return text(formats.lang, "live.no_limit")
    if kind == LimitKind.SESSION:
        return text(formats.lang, "live.minutes", minutes=formats.number(int(amount)))
    return formats.money(int(amount), currency)
