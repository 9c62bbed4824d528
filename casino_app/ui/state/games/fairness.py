"""The fairness page: how it works, the player's revealed seed pairs, rounds to verify in the browser."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import reflex as rx

from casino_app.services.games.certification import records
from casino_app.services.games.instant import seeds
from casino_app.ui.i18n.catalog import text
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.services import call, uow
from casino_app.ui.state.games.casino import CasinoState, RevealedRow, revealed_row
from casino_app.ui.state.session.guard import requires
from casino_app.ui.state.session.locale import formats_of, lang_of


class FairnessState(rx.State):
    revealed: list[RevealedRow] = []

    @rx.event
    @requires("player.history")
    async def load(self) -> None:
        casino = await self.get_state(CasinoState)
        await casino._load("")
        pairs = await call(seeds.revealed_pairs, uow(), await casino._who(), 10)
        fmt = await formats_of(self)
        self.revealed = [revealed_row(p, fmt) for p in pairs]


@dataclass(frozen=True)
class CertLine:
    """One line of the published RNG report: a test or an outcome space, its figures and verdict."""

    label: str = ""
    figure: str = ""
    detail: str = ""
    ok: bool = True


def _p(fmt: Formats, value: float) -> str:
    """A p-value with four decimals in the tab's number format."""
    return f"{value:.4f}".replace(".", fmt.number(Decimal("0.5"))[1])


def _space_label(lang: str, code: str) -> str:
    kind, _, which = code.partition(":")
    return text(lang, f"fairness.cert_space_{kind.replace('-', '_')}", which=which)


def battery_lines(lang: str, report: records.ReportView, fmt: Formats) -> list[CertLine]:
    return [
        CertLine(
            text(lang, f"fairness.cert_test_{b['test'].replace('-', '_')}"),
            text(
                lang,
                "fairness.cert_proportion",
                passed=b["passed"],
                sequences=b["sequences"],
                minimum=fmt.percent(b["minimum"]),
            ),
            text(lang, "fairness.cert_uniformity", p=_p(fmt, b["uniformity_p"])),
            bool(b["ok"]),
        )
        for b in report.figures.get("battery", [])
    ]


def mapped_lines(lang: str, report: records.ReportView, fmt: Formats) -> list[CertLine]:
    return [
        CertLine(
            _space_label(lang, m["outcome"]),
            text(lang, "fairness.cert_chi2", chi2=fmt.number(m["chi2"]), df=m["categories"] - 1),
            text(lang, "fairness.cert_p", p=_p(fmt, m["p"]), samples=fmt.number(m["samples"])),
            bool(m["ok"]),
        )
        for m in report.figures.get("mapped", [])
    ]


class CertificationState(rx.State):
    """The newest RNG certification report (public figures)."""

    has_report: bool = False
    summary: str = ""
    scope: str = ""
    passed: bool = False
    battery: list[CertLine] = []
    mapped: list[CertLine] = []

    @rx.event
    async def load(self) -> None:
        report = await call(records.latest_report, uow())
        self.has_report = report is not None
        if report is None:
            return
        fmt, lang = await formats_of(self), await lang_of(self)
        self.passed = report.passed
        self.summary = text(
            lang, "fairness.cert_summary", when=fmt.when(report.created_at), version=report.code_version
        )
        self.scope = text(
            lang,
            "fairness.cert_scope",
            sequences=fmt.number(report.sequences),
            bits=fmt.number(report.bits_per_sequence),
            samples=fmt.number(report.mapped_samples),
        )
        self.battery = battery_lines(lang, report, fmt)
        self.mapped = mapped_lines(lang, report, fmt)
