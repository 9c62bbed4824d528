"""One test's outcome on one sequence."""

from __future__ import annotations

from dataclasses import dataclass

ALPHA = 0.01  # SP 800-22's significance level


@dataclass(frozen=True)
class TestResult:
    """A test's statistic and p-value; `name` tells variants apart ("serial-1", "cusum-reverse")."""

    name: str
    statistic: float
    p_value: float

    def passed(self, alpha: float = ALPHA) -> bool:
        return self.p_value >= alpha
