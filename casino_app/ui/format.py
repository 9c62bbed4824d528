"""Formatting for display: the UI receives strings, never floats or datetimes.

Player pages format through `ui/i18n/formats.Formats` (locale and time zone); `when` stays for
the back office, which reads English and UTC.
"""

from __future__ import annotations

from datetime import datetime

from babel import Locale

from casino_app.domain.identity.rules import COUNTRIES
from casino_app.domain.money.vocabulary import TransactionKind
from casino_app.ui.i18n.catalog import BABEL_LOCALES, DEFAULT_LANGUAGE, supported, text

# The catalog key of each transaction kind's label (catalogs/<lang>/wallet.json).
KIND_LABELS: dict[str, str] = {
    TransactionKind.DEPOSIT: "wallet.kind_deposit",
    TransactionKind.STAKE: "wallet.kind_stake",
    TransactionKind.WIN: "wallet.kind_win",
    TransactionKind.REVERSAL: "wallet.kind_reversal",
    TransactionKind.TRANSFER: "wallet.kind_transfer",
    TransactionKind.BONUS_GRANT: "wallet.kind_bonus_grant",
    TransactionKind.FX: "wallet.kind_fx",
    TransactionKind.WITHDRAWAL_HOLD: "wallet.kind_withdrawal_hold",
    TransactionKind.WITHDRAWAL_PAID: "wallet.kind_withdrawal_paid",
    TransactionKind.WITHDRAWAL_REJECTED: "wallet.kind_withdrawal_rejected",
}


def when(value: datetime | None) -> str:
    """ "21 Nov 2026, 14:05 UTC" (the back office's form; players get `Formats.when`)."""
    return value.strftime("%d %b %Y, %H:%M UTC") if value else ""


def numbers(values: tuple[int, ...] | list[int]) -> str:
    return "  ".join(f"{n:02d}" for n in values)


def kind_label(kind: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A transaction kind as the player reads it ("Deposit" / "Wpłata")."""
    key = KIND_LABELS.get(kind)
    return text(lang, key) if key else kind.replace("_", " ").capitalize()


def country_name(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A country of residence in the reader's language ("DE" -> "Germany" / "Niemcy")."""
    english = COUNTRIES.get(code, code)
    if lang == DEFAULT_LANGUAGE:
        return english
    return str(Locale.parse(BABEL_LOCALES[supported(lang)]).territories.get(code, english))
