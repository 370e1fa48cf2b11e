"""Numbers become text here, and only here.

Every string a reader sees (prose glued into the book, table cells, figure labels, the command line)
is made by one of these functions, so the whole book follows one convention: whole percent in text,
counts as ``n/N``, 95% confidence intervals with an en dash, p-values to three decimals with a floor.
Rounding is half-up (as in the paper and as readers expect: 0.5 → 1), not Python's banker's rounding.

Missing values (``None`` or NaN) print as ``"NA"``; infinite upper limits (a median or a CI limit
that the data do not reach) print as ``"NR"`` (not reached); a curve read after its last
(censored) observation is :data:`NOT_ESTIMABLE`.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "NOT_AVAILABLE",
    "NOT_REACHED",
    "NOT_ESTIMABLE",
    "number",
    "pct",
    "n_of",
    "n_pct",
    "ci",
    "pct_ci",
    "rate_ci",
    "estimate_ci",
    "median_ci",
    "hazard_ratio",
    "p_value",
    "months",
    "median_range",
]

NOT_AVAILABLE = "NA"
NOT_REACHED = "NR"
NOT_ESTIMABLE = "not estimable"
_DASH = "\u2013"  # en dash, the typographic range sign


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or (
        hasattr(x, "dtype") and bool(x != x)
    )


def number(x, decimals: int = 0) -> str:
    """``x`` rounded half-up to ``decimals`` places; ``"NA"`` if missing, ``"NR"`` if infinite.

    >>> number(2.5), number(0.125, 2), number(float("inf"))
    ('3', '0.13', 'NR')
    """
    if _missing(x):
        return NOT_AVAILABLE
    x = float(x)
    if math.isinf(x):
        return NOT_REACHED
    q = Decimal(1).scaleb(-decimals)
    value = Decimal(repr(x)).quantize(q, rounding=ROUND_HALF_UP)
    if value == 0:
        value = abs(value)  # never print "-0"
    return f"{value:f}"


def pct(rate, decimals: int = 0) -> str:
    """A fraction 0–1 as a percentage: ``pct(29/43) == "67%"``."""
    if _missing(rate):
        return NOT_AVAILABLE
    return f"{number(100 * float(rate), decimals)}%"


def n_of(n: int, total: int) -> str:
    """A count out of its denominator: ``"29/43"``."""
    return f"{int(n)}/{int(total)}"


def n_pct(n: int, total: int, decimals: int = 0) -> str:
    """A count with its percentage: ``"25 (38%)"``; the count alone when ``total`` is 0 (there is
    no percentage of nobody)."""
    if not total:
        return f"{int(n)}"
    return f"{int(n)} ({pct(n / total, decimals)})"


def ci(low, high, decimals: int = 0, percent: bool = True) -> str:
    """A confidence interval ``"51–81%"`` (fractions scaled to percent) or ``"2.1–7.9"``."""
    if percent:
        lo = number(None if _missing(low) else 100 * float(low), decimals)
        hi = number(None if _missing(high) else 100 * float(high), decimals)
        return f"{lo}{_DASH}{hi}%"
    return f"{number(low, decimals)}{_DASH}{number(high, decimals)}"


def pct_ci(rate, low, high, decimals: int = 0, conf_level: float = 0.95) -> str:
    """A rate with its interval: ``"67% (95% CI 51–81%)"``."""
    return f"{pct(rate, decimals)} ({_level(conf_level)} {ci(low, high, decimals)})"


def _level(conf_level: float) -> str:
    return f"{number(100 * conf_level)}% CI"


def rate_ci(p, conf_level: float = 0.95) -> str:
    """A proportion with its interval, for use inside parentheses: ``"67%; 95% CI 51–81%"``.

    ``p`` is a :class:`~blina_analysis.stats.Proportion` (``rate``, ``ci_low``, ``ci_high``).
    """
    return f"{pct(p.rate)}; {_level(conf_level)} {ci(p.ci_low, p.ci_high)}"


def estimate_ci(e, conf_level: float = 0.95) -> str:
    """A survival or incidence estimate with its interval: ``"53% (95% CI 36–68%)"``.

    ``e`` is a :class:`~blina_analysis.stats.Estimate` (``estimate``, ``ci_low``, ``ci_high``).
    """
    return pct_ci(e.estimate, e.ci_low, e.ci_high, conf_level=conf_level)


def median_ci(m, conf_level: float = 0.95) -> str:
    """A median time in months with its interval: ``"14.2 months (95% CI 8.1–NR)"``.

    ``m`` is a :class:`~blina_analysis.stats.Median` (``time``, ``ci_low``, ``ci_high`` in days).
    """
    return (f"{months(m.time)} months ({_level(conf_level)} {months(m.ci_low)}{_DASH}"
            f"{months(m.ci_high)})")


def hazard_ratio(hr, low, high, p, conf_level: float = 0.95) -> str:
    """A hazard ratio with its interval and p-value: ``"HR 0.45 (95% CI 0.20–1.01), p = 0.053"``."""
    return (f"HR {number(hr, 2)} ({_level(conf_level)} {number(low, 2)}{_DASH}{number(high, 2)}), "
            f"{p_value(p)}")


def p_value(p, decimals: int = 3) -> str:
    """``"p = 0.032"``, or ``"p < 0.001"`` below the last printed decimal."""
    if _missing(p):
        return f"p = {NOT_AVAILABLE}"
    floor = 10.0 ** (-decimals)
    if float(p) < floor:
        return f"p < {number(floor, decimals)}"
    return f"p = {number(p, decimals)}"


def months(days, decimals: int = 1) -> str:
    """A duration in days shown in months (days / 30.4375): ``months(365.25) == "12.0"``."""
    from blina_analysis.definitions import DAYS_PER_MONTH

    if _missing(days):
        return NOT_AVAILABLE
    return number(float(days) / DAYS_PER_MONTH, decimals)


def median_range(median, low, high, decimals: int = 0) -> str:
    """Median with range, as in a Table 1: ``"41 (18–72)"``."""
    return f"{number(median, decimals)} ({number(low, decimals)}{_DASH}{number(high, decimals)})"
