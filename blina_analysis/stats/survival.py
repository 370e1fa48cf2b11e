"""Kaplan-Meier curves, median survival and follow-up, and the log-rank test.

The estimates are lifelines' (``KaplanMeierFitter``, ``multivariate_logrank_test``); this module
puts them in the book's result objects with R's conventions where lifelines has others (the
log-rank test without information, confidence limits where the curve is 1 or 0, the ``"log"``
and ``"plain"`` transforms). Curves with left truncation (Simon-Makuch) are in
:mod:`~blina_analysis.stats.transplant`, reading a curve in :mod:`~blina_analysis.stats.steps`,
the Cox model in :mod:`~blina_analysis.stats.cox`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from blina_analysis.stats._checks import (
    StatsInputError,
    _check_conf_level,
    _check_conf_type,
    _check_group,
    check_tte,
)
from blina_analysis.stats.product_limit import confidence_bands, group_codes, n_at_risk
from blina_analysis.stats.results import FollowUp, Median, TestResult, _coerce_fields
from blina_analysis.stats.steps import StepCurve

__all__ = [
    "SurvivalCurve",
    "kaplan_meier",
    "reverse_km_followup",
    "followup_summary",
    "followup_completeness",
    "logrank_test",
]

#: R's tolerance for "the curve is exactly 0.5" in ``print.survfit``: ``sqrt(.Machine$double.eps)``.
_MEDIAN_TOL = math.sqrt(np.finfo(float).eps)


def _median_r(times: np.ndarray, y: np.ndarray) -> float:
    """R's ``print.survfit`` median rule applied to a (survival or band) step function.

    First time at which ``y <= 0.5`` (within ``sqrt(eps)``); if ``y`` equals 0.5 there and
    drops below it later, the midpoint between that time and the time of the drop. ``inf``
    when ``y`` never reaches 0.5. NaN values (undefined band) are skipped, as in R.
    """
    keep = ~np.isnan(y) & (y < 0.5 + _MEDIAN_TOL)
    if not keep.any():
        return math.inf
    x, v = times[keep], y[keep]
    if abs(v[0] - 0.5) < _MEDIAN_TOL:
        lower = v < v[0]
        if lower.any():
            return float((x[0] + x[np.argmax(lower)]) / 2)
    return float(x[0])


def _first_at_or_below_half(times: np.ndarray, y: np.ndarray) -> float:
    """Smallest time at which ``y <= 0.5`` (within ``sqrt(eps)``), ``inf`` if never."""
    keep = ~np.isnan(y) & (y < 0.5 + _MEDIAN_TOL)
    return float(times[np.argmax(keep)]) if keep.any() else math.inf


def _km_life_table(time: np.ndarray, event: np.ndarray, conf_type: str,
                   conf_level: float) -> pd.DataFrame:
    """The life table of :class:`SurvivalCurve` from lifelines ``KaplanMeierFitter``.

    One row per distinct observed time (lifelines' extra row at time 0 is dropped unless
    something happens at 0). The product-limit estimate and the Greenwood sum are formed from
    lifelines' event table (risk sets, events and censorings at each time); the
    log-log limits are lifelines' ``confidence_interval_`` (the same formula as R's
    ``conf.type = "log-log"``), the other transforms R's from the Greenwood sum. Where the
    curve is 1 the limits are (1, 1) (lifelines: NaN after censorings before the first event);
    where it is 0 the limits and ``std_err`` are NaN, as in R (lifelines: 0).
    """
    from lifelines import KaplanMeierFitter

    kmf = KaplanMeierFitter().fit(time, event, alpha=1 - conf_level)
    events = kmf.event_table
    rows = events["removed"].to_numpy() > 0
    times = events.index.to_numpy(dtype=float)[rows]
    n_risk = events["at_risk"].to_numpy(dtype=np.int64)[rows]
    n_event = events["observed"].to_numpy(dtype=np.int64)[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        # the product itself, as R: lifelines' survival_function_ is exp(sum of logs), which
        # can put 0.75 at 0.7500000000000001 and flip a rounding in the text
        surv = np.cumprod(np.where(n_event > 0, 1.0 - n_event / np.maximum(n_risk, 1), 1.0))
        term = np.where(n_event > 0, n_event / (n_risk * (n_risk - n_event).astype(float)), 0.0)
        greenwood = np.cumsum(term)
        std_err = surv * np.sqrt(greenwood)
    std_err[surv <= 0.0] = np.nan
    if conf_type == "log-log":
        limits = kmf.confidence_interval_.to_numpy(dtype=float)[rows]
        low, high = limits[:, 0].copy(), limits[:, 1].copy()
        low[surv >= 1.0], high[surv >= 1.0] = 1.0, 1.0
        low[surv <= 0.0], high[surv <= 0.0] = np.nan, np.nan
    else:
        low, high = confidence_bands(surv, greenwood, conf_type, conf_level)
    return pd.DataFrame({
        "time": times, "n_risk": n_risk, "n_event": n_event,
        "n_censor": events["censored"].to_numpy(dtype=np.int64)[rows],
        "survival": surv, "std_err": std_err, "ci_low": low, "ci_high": high,
    })


# ---------------------------------------------------------------------------------------------
# SurvivalCurve
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SurvivalCurve(StepCurve):
    """A Kaplan-Meier (product-limit) survival curve with pointwise confidence limits.

    Attributes
    ----------
    label : str or None
        Name of the curve (e.g. a group), for tables and legends.
    n : int
        Number of patients.
    n_events : int
        Number of events.
    table : pandas.DataFrame
        One row per distinct time (event and censoring times; for counting-process curves also
        entry times, with an extra ``n_enter`` column). Columns ``time, n_risk, n_event,
        n_censor, survival, std_err, ci_low, ci_high``; ``survival`` is the value just after
        ``time``, ``std_err = survival * sqrt(Greenwood sum)`` as in R ``summary.survfit``.
    conf_type : str
        Transform of the pointwise intervals: ``"log-log"``, ``"log"`` or ``"plain"``.
    conf_level : float
        Confidence level of the intervals.
    """

    label: str | None
    n: int
    n_events: int
    table: pd.DataFrame
    conf_type: str
    conf_level: float

    value_column = "survival"
    start_value = 1.0

    def __post_init__(self):
        _coerce_fields(self)

    @property
    def holds_after_last_time(self) -> bool:
        """True when the curve ends at 0 (everybody at risk at the last time had an event)."""
        return bool(self.table["survival"].iloc[-1] <= 0.0)

    @property
    def median(self) -> Median:
        """Median survival with its confidence interval, by R's rule.

        The median is the first time the curve is at or below 0.5; when the curve is exactly
        0.5 (within ``sqrt(.Machine$double.eps)``, so that S = 0.5000000000000002 counts as 0.5)
        and drops below 0.5 later, the midpoint between that time and the time of the drop
        (R ``print.survfit``). The confidence limits apply the same rule to the lower and upper
        bands of ``conf_type``. ``inf`` when not reached (R prints NA).

        R itself has two rules: ``print.survfit`` (used here, what papers report) and
        ``quantile.survfit``, which differ only when the curve ends on an exact 0.5 plateau
        (deaths at 1, 2, 3, 5, 7, 9, 12, 15, 19, 22 and 10 censorings at 25..34: print 22,
        quantile 28, the midpoint to the last follow-up time).
        """
        tab = self.table
        times = tab["time"].to_numpy()
        return Median(
            _median_r(times, tab["survival"].to_numpy()),
            _median_r(times, tab["ci_low"].to_numpy()),
            _median_r(times, tab["ci_high"].to_numpy()),
        )

    @property
    def summary(self) -> pd.DataFrame:
        med = self.median
        return pd.DataFrame([{
            "label": self.label, "n": self.n, "n_events": self.n_events,
            "median": med.time, "median_ci_low": med.ci_low, "median_ci_high": med.ci_high,
            "conf_type": self.conf_type, "conf_level": self.conf_level,
        }])


# ---------------------------------------------------------------------------------------------
# Public estimators
# ---------------------------------------------------------------------------------------------


def kaplan_meier(
    time: Any,
    event: Any,
    *,
    conf_level: float = 0.95,
    conf_type: str = "log-log",
    label: str | None = None,
) -> SurvivalCurve:
    """Kaplan-Meier estimate of the survival function with Greenwood confidence limits.

    Parameters
    ----------
    time : array-like of float, shape = (n_samples,)
        Days from the origin to the event or censoring.
    event : array-like of {0, 1}, shape = (n_samples,)
        1 = event, 0 = censored. Competing events (code 2) are refused: use
        :func:`~blina_analysis.stats.cumulative_incidence`, never 1 - KM.
    conf_level : float, optional, default: 0.95
        Confidence level of the pointwise intervals.
    conf_type : {"log-log", "log", "plain"}, optional, default: "log-log"
        Transform of the pointwise intervals (see Notes).
    label : str, optional
        Name of the curve.

    Returns
    -------
    SurvivalCurve
        The curve, its life table, ``.at(t)``, ``.median`` and plotting steps.

    Raises
    ------
    StatsInputError
        If the data fail :func:`check_tte`, or ``conf_level``/``conf_type`` are invalid.

    Notes
    -----
    At each distinct time :math:`t_j` with :math:`n_j` patients at risk (follow-up
    :math:`\\ge t_j`) and :math:`d_j` events, :math:`\\hat S(t) = \\prod_{t_j \\le t}(1 - d_j/n_j)`
    [1]_. Greenwood's variance of :math:`\\log \\hat S` is
    :math:`G(t) = \\sum_{t_j \\le t} d_j / (n_j (n_j - d_j))`. Intervals, with :math:`z` the
    normal quantile:

    - ``"log-log"`` (default; lifelines, SAS LIFETEST, Stata):
      :math:`\\hat S^{\\exp(\\pm z \\sqrt{G} / \\log \\hat S)}`, always inside (0, 1);
    - ``"log"`` (R ``survfit`` default): :math:`\\hat S \\exp(\\pm z\\sqrt G)`, upper limit
      truncated at 1;
    - ``"plain"``: :math:`\\hat S (1 \\pm z \\sqrt G)`, truncated to [0, 1].

    Differences from R ``survfit``: the default transform is log-log (R: log; pass
    ``conf_type="log"`` to reproduce R); where :math:`\\hat S = 1` the interval is (1, 1) for
    every transform (R gives NA for log-log); where :math:`\\hat S = 0` limits and ``std_err``
    are NaN, as in R (lifelines gives 0). Computed by lifelines ``KaplanMeierFitter``: its
    event table (risk sets, events, censorings), its ``confidence_interval_`` for
    ``"log-log"``; the product and the Greenwood sum are formed from the event table as R does
    (lifelines' ``survival_function_`` is an exponentiated sum of logs, equal to ~1e-16).

    References
    ----------
    .. [1] Kaplan, E. L. and Meier, P. (1958). Nonparametric estimation from incomplete
       observations. JASA 53(282), 457-481.
    .. [2] Greenwood, M. (1926). The natural duration of cancer. Reports on Public Health and
       Medical Subjects 33, 1-26.

    Examples
    --------
    >>> km = kaplan_meier([9, 13, 13, 18, 23], [1, 1, 0, 1, 1])
    >>> round(km.at(13).estimate, 6)
    0.6
    """
    t, e = check_tte(time, event)
    conf_level = _check_conf_level(conf_level)
    conf_type = _check_conf_type(conf_type)
    table = _km_life_table(t, e, conf_type, conf_level)
    return SurvivalCurve(label, t.size, int(e.sum()), table, conf_type, conf_level)


def reverse_km_followup(
    time: Any, event: Any, *, conf_level: float = 0.95, conf_type: str = "log-log"
) -> Median:
    """Median follow-up by the reverse Kaplan-Meier method.

    Parameters
    ----------
    time : array-like of float, shape = (n_samples,)
        Days from the origin to the event or censoring.
    event : array-like of {0, 1}, shape = (n_samples,)
        1 = event (e.g. death), 0 = censored.
    conf_level : float, optional, default: 0.95
        Confidence level.
    conf_type : {"log-log", "log", "plain"}, optional, default: "log-log"
        Transform of the bands the confidence limits are read from.

    Returns
    -------
    Median
        ``median_followup_days`` as ``time`` with its confidence limits; ``inf`` if the
        reverse curve never reaches 0.5.

    Raises
    ------
    StatsInputError
        As :func:`kaplan_meier`.

    Notes
    -----
    The Kaplan-Meier estimate of the censoring distribution [1]_: censorings are the events,
    events are censorings (``event`` flipped). Ties: a death at the same time as a censoring
    is treated as a censoring of the reverse curve at that time, so the tied deaths stay in
    the risk set, exactly as R ``survfit(Surv(time, 1 - status) ~ 1)`` and lifelines
    ``KaplanMeierFitter().fit(time, 1 - event)`` (prodlim ``reverse=TRUE`` may differ).
    Convention for ``median_followup_days``: the smallest time at which the reverse curve is
    at or below 0.5 (no midpoint rule on a 0.5 plateau); the limits are the smallest times at
    which the lower and upper bands are at or below 0.5.

    References
    ----------
    .. [1] Schemper, M. and Smith, T. L. (1996). A note on quantifying follow-up in studies of
       failure time. Controlled Clinical Trials 17(4), 343-346.

    Examples
    --------
    >>> reverse_km_followup([1, 2, 3, 4], [1, 0, 1, 0]).time
    4.0
    """
    t, e = check_tte(time, event)
    conf_level = _check_conf_level(conf_level)
    conf_type = _check_conf_type(conf_type)
    table = _km_life_table(t, 1 - e, conf_type, conf_level)
    times = table["time"].to_numpy()
    return Median(
        _first_at_or_below_half(times, table["survival"].to_numpy()),
        _first_at_or_below_half(times, table["ci_low"].to_numpy()),
        _first_at_or_below_half(times, table["ci_high"].to_numpy()),
    )


def followup_summary(
    time: Any, event: Any, *, conf_level: float = 0.95, conf_type: str = "log-log"
) -> FollowUp:
    """Median follow-up (reverse Kaplan-Meier) with the range of observed follow-up.

    Parameters
    ----------
    time, event, conf_level, conf_type
        As :func:`reverse_km_followup`.

    Returns
    -------
    FollowUp
        The reverse Kaplan-Meier median (:func:`reverse_km_followup`) and the shortest and
        longest follow-up of the censored patients (alive at last contact), the follow-up
        actually observed. A report gives the median with that range: the upper confidence
        limit of the median is often not estimable.

    Raises
    ------
    StatsInputError
        As :func:`kaplan_meier`.

    Examples
    --------
    >>> fu = followup_summary([1, 2, 3, 4], [1, 0, 1, 0])
    >>> fu.median.time, fu.min_censored, fu.max_censored
    (4.0, 2.0, 4.0)
    """
    median = reverse_km_followup(time, event, conf_level=conf_level, conf_type=conf_type)
    t, e = check_tte(time, event)
    censored = t[e == 0]
    if censored.size == 0:
        return FollowUp(median, 0, math.nan, math.nan)
    return FollowUp(median, int(censored.size), float(censored.min()), float(censored.max()))


def followup_completeness(observed: Any, potential: Any) -> float:
    """Completeness of follow-up, Clark's C: observed person-time over potential person-time.

    Parameters
    ----------
    observed : array-like of float
        Each patient's follow-up actually observed: from the origin to death or last contact.
    potential : array-like of float
        Each patient's potential follow-up: from the origin to the data cut-off, or to death
        when the patient died (death ends follow-up completely).

    Returns
    -------
    float
        ``sum(observed) / sum(potential)``, 1 when every survivor was seen at the cut-off; NaN
        when the potential person-time is 0 (every patient started on the cut-off day).

    Raises
    ------
    StatsInputError
        If the arrays are empty, of different lengths, negative or not finite, or an observed
        time exceeds its potential time.

    References
    ----------
    Clark TG, Altman DG, De Stavola BL. Quantification of the completeness of follow-up.
    Lancet 2002;359:1309-10.

    Examples
    --------
    >>> followup_completeness([10, 5, 8], [10, 10, 8])  # 23 / 28
    0.8214285714285714
    """
    t, _ = check_tte(observed, np.zeros(len(np.atleast_1d(observed)), dtype=int))
    pot, _ = check_tte(potential, np.zeros(len(np.atleast_1d(potential)), dtype=int))
    if t.size != pot.size:
        raise StatsInputError(f"observed and potential must have the same length, got "
                              f"{t.size} and {pot.size}")
    if (t > pot + 1e-9).any():
        raise StatsInputError("an observed follow-up exceeds its potential follow-up")
    total = float(pot.sum())
    return math.nan if total == 0 else float(t.sum()) / total


def logrank_test(time: Any, event: Any, group: Any) -> TestResult:
    """Log-rank test of equal survival in k groups.

    Parameters
    ----------
    time : array-like of float, shape = (n_samples,)
        Days from the origin to the event or censoring.
    event : array-like of {0, 1}, shape = (n_samples,)
        1 = event, 0 = censored.
    group : array-like, shape = (n_samples,)
        Group label of each patient (at least two distinct labels, no missing values).

    Returns
    -------
    TestResult
        Chi-square statistic on ``k - 1`` degrees of freedom and its p-value.

    Raises
    ------
    StatsInputError
        If the data fail :func:`check_tte`, ``group`` has missing values, a different length,
        or a single level.

    Notes
    -----
    Mantel-Haenszel form [1]_: at each distinct event time the observed minus expected events
    per group, with the hypergeometric variance
    :math:`V_{gh} = \\sum_j \\frac{d_j (n_j - d_j)}{n_j^2 (n_j - 1)}
    n_{gj} (n_j \\delta_{gh} - n_{hj})`;
    the statistic is :math:`U^\\top V^{-1} U` over the first ``k - 1`` groups, computed by
    lifelines ``multivariate_logrank_test``; identical to R
    ``survdiff(Surv(time, status) ~ group)`` (``rho = 0``). When :math:`V = 0` (no event time
    with two groups at risk and a survivor) the test has no information: NaN on 0 degrees of
    freedom (lifelines: statistic 0, p = 1). Otherwise ``k - 1`` degrees of freedom, as
    lifelines, even with three or more groups of which one never shares an informative risk
    set (then the rank of :math:`V` is smaller; the book compares two groups).

    References
    ----------
    .. [1] Mantel, N. (1966). Evaluation of survival data and two new rank order statistics
       arising in its consideration. Cancer Chemotherapy Reports 50(3), 163-170.

    Examples
    --------
    >>> r = logrank_test([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 0, 1], ["a", "b", "a", "b", "a", "b"])
    >>> r.df
    1
    """
    from lifelines.statistics import multivariate_logrank_test

    t, e = check_tte(time, event)
    g = _check_group(group, t.size)
    codes, levels = group_codes(g)
    if len(levels) < 2:
        raise StatsInputError(f"group must have at least two levels, got {levels!r}")
    name = "log-rank (Mantel-Haenszel)"
    if not _logrank_has_information(t, e, codes, len(levels)):
        return TestResult(name, float("nan"), 0, float("nan"), t.size)
    res = multivariate_logrank_test(t, codes, e)
    return TestResult(name, res.test_statistic, res.degrees_of_freedom, res.p_value, t.size)


def _logrank_has_information(t: np.ndarray, e: np.ndarray, codes: np.ndarray, k: int) -> bool:
    """Whether the log-rank variance is non-zero: some event time has at least two groups at
    risk and not everybody at risk failing there. Without one, lifelines returns a statistic
    of 0 (p = 1); R ``survdiff`` and this module report the test as not computable (NaN)."""
    ev_times = np.unique(t[e == 1])
    at_risk = np.column_stack([n_at_risk(None, t[codes == g], ev_times) for g in range(k)])
    deaths = np.bincount(np.searchsorted(ev_times, t[e == 1]), minlength=ev_times.size)
    informative = ((at_risk > 0).sum(axis=1) >= 2) & (deaths < at_risk.sum(axis=1))
    return bool(informative.any())
