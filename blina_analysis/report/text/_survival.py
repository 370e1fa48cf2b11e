"""Survival phrases shared by several pages: estimates at a time, medians, log-rank p-values."""

from __future__ import annotations

import math

from blina_analysis.analyses import Analysis
from blina_analysis.report import fmt

__all__ = ["at", "at_short", "median", "logrank", "not_estimable", "estimate", "os_and_dfs"]


def not_estimable(days: float) -> str:
    """Why a curve cannot be read at ``days``: it ends, censored, before that time."""
    return f"not estimable (no patient followed to {fmt.months(days, 0)} months)"


def estimate(e, days: float, conf_level: float, short: bool = False) -> str:
    """An :class:`~blina_analysis.stats.Estimate` as text, or :func:`not_estimable`."""
    if math.isnan(e.estimate):
        return "not estimable" if short else not_estimable(days)
    if short:
        return fmt.pct(e.estimate)
    if math.isnan(e.ci_low) or math.isnan(e.ci_high):  # e.g. a curve at 0% on the log-log scale
        return f"{fmt.pct(e.estimate)} ({fmt.number(100 * conf_level)}% CI {fmt.NOT_ESTIMABLE})"
    return fmt.estimate_ci(e, conf_level)


def at(an: Analysis, pop: str, endpoint: str, days: int) -> str:
    """``"53% (95% CI 36–68%)"``: the Kaplan–Meier estimate of ``endpoint`` in ``pop`` at ``days``.

    Raises :class:`~blina_analysis.errors.NoInformation` when ``pop`` is empty.
    """
    return estimate(an.km(pop, endpoint).at(days), days, an.conf_level)


def at_short(an: Analysis, pop: str, endpoint: str, days: int) -> str:
    """``"53%"``: the estimate alone."""
    return estimate(an.km(pop, endpoint).at(days), days, an.conf_level, short=True)


def os_and_dfs(an: Analysis, pop: str, days: int, each: str, both: str,
               short: bool = False) -> str:
    """``each`` filled with the OS and DFS estimates of ``pop`` at ``days`` (``{os}``, ``{dfs}``),
    or ``both`` filled with ``{na}`` ("not estimable (…)") when neither curve reaches ``days``.

    Raises :class:`~blina_analysis.errors.NoInformation` when ``pop`` is empty.
    """
    estimates = [an.km(pop, endpoint).at(days) for endpoint in ("OS", "DFS")]
    if all(math.isnan(e.estimate) for e in estimates):
        return both.format(na=not_estimable(days))
    os_, dfs = (estimate(e, days, an.conf_level, short=short) for e in estimates)
    return each.format(os=os_, dfs=dfs)


def median(an: Analysis, pop: str, endpoint: str) -> str:
    """``"14.2 months (95% CI 8.1–NR)"``: the median of ``endpoint`` in ``pop``."""
    return fmt.median_ci(an.km(pop, endpoint).median, an.conf_level)


def logrank(an: Analysis, pops: tuple[str, str], endpoint: str) -> str | None:
    """``"p = 0.012"``: the log-rank test of ``endpoint`` between two populations; ``None`` when
    no event happened in either (nothing to test)."""
    _, test = an.km_compare(pops, endpoint)
    return None if math.isnan(test.p_value) else fmt.p_value(test.p_value)
