"""Frozen result objects returned by the statistics functions.

Every result is an immutable dataclass whose numeric fields are plain Python ``float``/``int``
(never numpy scalars), with a one-row (or one-row-per-item) ``summary`` DataFrame and an HTML
representation for notebooks. Results never print.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import pandas as pd

__all__ = ["TestResult", "Proportion", "Estimate", "Median", "FollowUp"]


def _plain(value, kind: str):
    """Convert a numeric value to a plain Python ``float`` or ``int``."""
    if kind == "int":
        return int(value)
    return float(value)


def _coerce_fields(obj) -> None:
    """Replace numpy scalars in ``float``/``int`` fields of a frozen dataclass by Python ones."""
    for f in dataclasses.fields(obj):
        kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
        if kind in ("float", "int"):
            object.__setattr__(obj, f.name, _plain(getattr(obj, f.name), kind))


class _ResultMixin:
    """Plain Python numbers in numeric fields, a one-row ``summary`` and ``_repr_html_`` from it.

    Result classes override ``summary`` (and ``__post_init__``) when they need more.
    """

    def __post_init__(self):
        _coerce_fields(self)

    @property
    def summary(self) -> pd.DataFrame:
        return pd.DataFrame([dataclasses.asdict(self)])

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


@dataclass(frozen=True)
class TestResult(_ResultMixin):
    """A chi-square test: statistic, degrees of freedom and p-value.

    Attributes
    ----------
    test_name : str
        What was tested, e.g. ``"log-rank (Mantel-Haenszel)"``.
    statistic : float
        The chi-square statistic (NaN when the test cannot be computed).
    df : int
        Degrees of freedom.
    p_value : float
        Upper tail of the chi-square distribution, ``scipy.stats.chi2.sf(statistic, df)``.
    n : int
        Number of patients in the test.
    """

    __test__ = False  # not a pytest test class, despite the name

    test_name: str
    statistic: float
    df: int
    p_value: float
    n: int


@dataclass(frozen=True)
class Proportion(_ResultMixin):
    """A proportion ``n / N`` with its confidence interval.

    Attributes
    ----------
    n, N : int
        Number of successes and of patients.
    rate : float
        ``n / N``; NaN when ``N == 0``.
    ci_low, ci_high : float
        Confidence limits; NaN when ``N == 0``.
    method : str
        How the interval was computed.
    conf_level : float
        Confidence level of the interval.
    """

    n: int
    N: int
    rate: float
    ci_low: float
    ci_high: float
    method: str = "Clopper-Pearson"
    conf_level: float = 0.95


@dataclass(frozen=True)
class Estimate(_ResultMixin):
    """A curve (survival or cumulative incidence) read at one time.

    Attributes
    ----------
    time : float
        The time at which the curve was read, in days.
    estimate : float
        The curve's value at ``time`` (right-continuous). Beyond the last observed time: the
        last value when the curve holds there (it ended with an event leaving nobody at risk,
        e.g. a survival curve at 0), NaN (not estimable) when the last observation is censored.
    ci_low, ci_high : float
        Pointwise confidence limits at ``time``.
    """

    time: float
    estimate: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class Median(_ResultMixin):
    """A median time with its confidence interval.

    Attributes
    ----------
    time : float
        The median, in days; ``math.inf`` when the curve never reaches 0.5.
    ci_low, ci_high : float
        Confidence limits; ``math.inf`` when the corresponding band never reaches 0.5.
    """

    time: float
    ci_low: float
    ci_high: float

    @property
    def reached(self) -> bool:
        """Whether the median was reached (``time`` is finite)."""
        return math.isfinite(self.time)


@dataclass(frozen=True)
class FollowUp(_ResultMixin):
    """How long patients were followed: the reverse Kaplan-Meier median and the observed range.

    Attributes
    ----------
    median : Median
        Median follow-up by the reverse Kaplan-Meier method, with its confidence limits
        (``inf`` where the reverse curve or a band does not reach 0.5).
    n_censored : int
        Patients censored (alive, or event-free, at last contact): the observed follow-up.
    min_censored, max_censored : float
        Shortest and longest follow-up of those patients, in days; NaN when none was censored.
    """

    median: Median
    n_censored: int
    min_censored: float
    max_censored: float

    @property
    def summary(self) -> pd.DataFrame:
        return pd.DataFrame([{
            "median": self.median.time, "median_ci_low": self.median.ci_low,
            "median_ci_high": self.median.ci_high, "n_censored": self.n_censored,
            "min_censored": self.min_censored, "max_censored": self.max_censored,
        }])
