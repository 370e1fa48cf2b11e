"""Survival phrases shared by several pages: estimates at a time, medians, log-rank p-values."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.report import fmt

__all__ = ["at", "at_short", "median", "logrank"]


def at(an: Analysis, pop: str, endpoint: str, days: int) -> str:
    """``"53% (95% CI 36–68%)"``: the Kaplan–Meier estimate of ``endpoint`` in ``pop`` at ``days``."""
    if an.n(pop) == 0:
        return fmt.NOT_AVAILABLE
    return fmt.estimate_ci(an.km(pop, endpoint).at(days), an.conf_level)


def at_short(an: Analysis, pop: str, endpoint: str, days: int) -> str:
    """``"53%"``: the estimate alone."""
    if an.n(pop) == 0:
        return fmt.NOT_AVAILABLE
    return fmt.pct(an.km(pop, endpoint).at(days).estimate)


def median(an: Analysis, pop: str, endpoint: str) -> str:
    """``"14.2 months (95% CI 8.1–NR)"``: the median of ``endpoint`` in ``pop``."""
    if an.n(pop) == 0:
        return fmt.NOT_AVAILABLE
    return fmt.median_ci(an.km(pop, endpoint).median, an.conf_level)


def logrank(an: Analysis, pops: tuple[str, str], endpoint: str) -> str:
    """``"p = 0.012"``: the log-rank test of ``endpoint`` between two populations."""
    if not (an.n(pops[0]) and an.n(pops[1])):
        return fmt.p_value(None)
    _, test = an.km_compare(pops, endpoint)
    return fmt.p_value(test.p_value)
