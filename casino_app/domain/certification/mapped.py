"""Chi-square uniformity of mapped outcomes at 99%, with p-values (the statistic from `uniformity`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from casino_app.domain.certification.results import ALPHA
from casino_app.domain.certification.special import chi_square_p
from casino_app.domain.games import uniformity


@dataclass(frozen=True)
class MappedLine:
    """One outcome space: `samples` outcomes over `categories` equally likely values."""

    name: str
    categories: int
    samples: int
    statistic: float
    p_value: float

    @property
    def ok(self) -> bool:
        return self.p_value >= ALPHA


def mapped_line(name: str, values: Iterable[int], categories: int) -> MappedLine:
    """Chi-square of outcomes 0..categories-1 against equal expected counts."""
    result = uniformity.chi_square(values, categories)
    return MappedLine(
        name, categories, result.samples, result.statistic, chi_square_p(result.statistic, categories - 1)
    )


def lotto_line(name: str, draws: Iterable[Iterable[int]], pick: int, pool: int) -> MappedLine:
    """Every number of every draw (1..pool). Drawn without replacement, the raw statistic is
    (pool - pick) / (pool - 1) times a chi-square with pool - 1 df: it is scaled back first."""
    counted = uniformity.chi_square((n - 1 for draw in draws for n in draw), pool)
    statistic = counted.statistic * (pool - 1) / (pool - pick)
    return MappedLine(name, pool, counted.samples, statistic, chi_square_p(statistic, pool - 1))
