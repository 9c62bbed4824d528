"""The SQL that counts a stored lotto line's hits in the scan, for one draw's numbers.

A ticket's selection is stored canonically (`lotto.format_lines`: sorted numbers joined by
",", lines joined by "|"), so a drawn number `d` is on a line exactly when ",d," occurs in the
line wrapped in commas. One `strpos` (PostgreSQL) or `instr` (SQLite) per drawn number, summed,
is the line's hits: a few hundred nanoseconds a line, in the database's own scan.

- PostgreSQL: the ticket's line count (its "|" count) picks, in one `CASE`, the expression for
  that many lines, each line taken with `split_part`; a ticket with more lines than the game
  allows counts as a prize candidate (Python classifies it) and has no loser result.
- SQLite: a one-line ticket is counted in SQL; a ticket of several lines goes to a Python
  function registered on the connection (`kl_lotto_hits`, `kl_lotto_prize`).

The numbers and tiers are integers of the draw and of the game's prize table, written into
the statement as integer literals (`int()`), never text from a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from casino_app.domain.games import lotto_prizes as prizes
from casino_app.domain.games.lotto import parse_lines


@dataclass(frozen=True)
class Classifier:
    """SQL expressions over a selection column for one draw: hits per line, prize or not."""

    dialect: str
    numbers: tuple[int, ...]
    tiers: frozenset[int]
    max_lines: int

    def _line_hits(self, line: str) -> str:
        if self.dialect == "postgresql":
            terms = [f"(strpos(',' || {line} || ',', ',{int(d)},') > 0)::int" for d in self.numbers]
        else:
            terms = [f"(instr(',' || {line} || ',', ',{int(d)},') > 0)" for d in self.numbers]
        return "(" + " + ".join(terms) + ")"

    def _in_tiers(self, hits: str) -> str:
        tiers = ", ".join(str(int(t)) for t in sorted(self.tiers)) or "-1"
        return f"{hits} IN ({tiers})"

    def _lines(self, column: str, count: int) -> list[str]:
        if count == 1:
            return [column]
        return [f"split_part({column}, '|', {k})" for k in range(1, count + 1)]

    def _by_line_count(self, column: str, branch: Any, otherwise: str) -> str:
        separators = f"(length({column}) - length(replace({column}, '|', '')))"
        whens = " ".join(
            f"WHEN {n - 1} THEN {branch(self._lines(column, n))}"
            for n in range(1, max(1, self.max_lines) + 1)
        )
        return f"CASE {separators} {whens} ELSE {otherwise} END"

    def hits(self, column: str) -> str:
        """The hits of every line, comma-separated ("3,0,1"), as text."""
        if self.dialect == "postgresql":
            return self._by_line_count(
                column,
                lambda lines: "concat_ws(',', " + ", ".join(f"{self._line_hits(x)}" for x in lines) + ")",
                "NULL",
            )
        return (
            f"CASE WHEN instr({column}, '|') = 0 THEN CAST({self._line_hits(column)} AS TEXT) "
            f"ELSE kl_lotto_hits({column}) END"
        )

    def prize(self, column: str) -> str:
        """True when a line's hits are a prize tier (or the ticket needs Python to tell)."""
        if self.dialect == "postgresql":
            return self._by_line_count(
                column,
                lambda lines: "(" + " OR ".join(self._in_tiers(self._line_hits(x)) for x in lines) + ")",
                "TRUE",
            )
        return (
            f"CASE WHEN instr({column}, '|') = 0 THEN {self._in_tiers(self._line_hits(column))} "
            f"ELSE kl_lotto_prize({column}) END"
        )

    def register(self, raw: Any) -> None:
        """SQLite: the two functions for tickets of several lines, on this raw connection."""
        drawn = frozenset(self.numbers)

        def hits(selection: str) -> str:
            return prizes.hits_summary(parse_lines(selection), drawn)

        def has_prize(selection: str) -> int:
            return int(any(int(h) in self.tiers for h in hits(selection).split(",") if h))

        raw.create_function("kl_lotto_hits", 1, hits, deterministic=True)
        raw.create_function("kl_lotto_prize", 1, has_prize, deterministic=True)
