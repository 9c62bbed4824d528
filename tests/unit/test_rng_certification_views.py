"""The published RNG report reads in both languages; the operator row names the weakest figures."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from casino_app.services.games.certification import records, run
from casino_app.ui.i18n.formats import Formats
from casino_app.ui.state.games.fairness import battery_lines, mapped_lines
from casino_app.ui.state.operator.rng import report_row


def _view() -> records.ReportView:
    report = run.run_report(2, 8_192, 300, "ab" * 32)
    figures = json.loads(json.dumps(report.figures()))
    return records.ReportView(
        1, datetime(2026, 3, 1, tzinfo=UTC), "git:abc", 2, 8_192, 300, True, 1200, figures
    )


def test_every_test_and_outcome_space_has_a_label_in_english_and_polish() -> None:
    view = _view()
    for lang in ("en", "pl"):
        fmt = Formats(lang, "Europe/Warsaw")
        battery = battery_lines(lang, view, fmt)
        spaces = mapped_lines(lang, view, fmt)
        assert len(battery) == 9 and len(spaces) == 9  # dice, roulette, five reels, two lotto games
        assert all(line.label and "fairness." not in line.label for line in battery + spaces)
    pl = mapped_lines("pl", view, Formats("pl", "UTC"))
    assert pl[0].label == "Rzuty kośćmi 0,00-99,99" and "," in pl[0].detail.split("=")[1]


def test_the_operator_row_shows_the_lowest_pass_count_and_p_value() -> None:
    view = _view()
    row = report_row(view)
    lowest = min(view.figures["mapped"], key=lambda m: m["p"])
    assert row.worst_p.startswith(lowest["outcome"]) and row.version == "git:abc"
    assert (row.verdict, row.duration) == ("passed", "1.2 s")
