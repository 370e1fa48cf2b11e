"""Kaplan-Meier curves, median survival and follow-up, the log-rank test and the Cox model."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from blina_analysis.stats._checks import (
    StatsInputError,
    _check_conf_level,
    _check_conf_type,
    _check_group,
    _check_time_point,
    check_tte,
)
from blina_analysis.stats.results import Estimate, Median, TestResult, _coerce_fields, _ResultMixin

__all__ = [
    "SurvivalCurve",
    "CoxResult",
    "kaplan_meier",
    "reverse_km_followup",
    "logrank_test",
    "cox_ph",
]

#: R's tolerance for "the curve is exactly 0.5" in ``print.survfit``: ``sqrt(.Machine$double.eps)``.
_MEDIAN_TOL = math.sqrt(np.finfo(float).eps)


# ---------------------------------------------------------------------------------------------
# Product-limit machinery (shared with transplant.py for counting-process data)
# ---------------------------------------------------------------------------------------------


def _n_at_risk(start: np.ndarray | None, stop: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Number of rows at risk at each time in ``t``.

    A row is at risk at ``t`` when ``start < t <= stop``; rows starting at 0 are at risk from
    0 inclusive (so an event at time 0 has a risk set, as in ``Surv(time, status)``).
    """
    stop_sorted = np.sort(stop)
    n = stop.size - np.searchsorted(stop_sorted, t, side="left")
    if start is not None:
        late = np.sort(start[start > 0])
        n = n - (late.size - np.searchsorted(late, t, side="left"))
    return n.astype(np.int64)


def _ci_bands(surv: np.ndarray, greenwood: np.ndarray, conf_type: str, conf_level: float):
    """Pointwise confidence limits from the Greenwood variance of log S (R ``survfit_confint``)."""
    z = stats.norm.ppf(1 - (1 - conf_level) / 2)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        se = np.sqrt(greenwood)  # standard error of log S
        if conf_type == "plain":
            half = z * se * surv
            low, high = np.maximum(surv - half, 0.0), np.minimum(surv + half, 1.0)
        elif conf_type == "log":
            low = np.exp(np.log(surv) - z * se)
            high = np.minimum(np.exp(np.log(surv) + z * se), 1.0)
        else:  # log-log, R's formula verbatim: exp(-exp(log(-log S) -/+ z se / log S))
            se2 = z * se / np.log(surv)
            low = np.exp(-np.exp(np.log(-np.log(surv)) - se2))
            high = np.exp(-np.exp(np.log(-np.log(surv)) + se2))
    at_one = surv >= 1.0
    low[at_one], high[at_one] = 1.0, 1.0
    at_zero = surv <= 0.0
    low[at_zero], high[at_zero] = np.nan, np.nan
    return low, high


def _product_limit(
    stop: np.ndarray,
    event: np.ndarray,
    start: np.ndarray | None,
    conf_type: str,
    conf_level: float,
) -> pd.DataFrame:
    """Life table of the product-limit estimate, one row per distinct time.

    ``start`` is None for right-censored data, or the entry time of each (start, stop] row
    for counting-process data; entry times then get rows of their own (column ``n_enter``).
    """
    times, inv = np.unique(stop, return_inverse=True)
    n_event = np.bincount(inv, weights=event, minlength=times.size)
    n_censor = np.bincount(inv, minlength=times.size) - n_event
    n_enter = None
    if start is not None:
        entry = start[start > 0]
        all_times = np.union1d(times, entry)
        pos = np.searchsorted(all_times, times)
        d, c = np.zeros(all_times.size), np.zeros(all_times.size)
        d[pos], c[pos] = n_event, n_censor
        n_enter = np.bincount(np.searchsorted(all_times, entry), minlength=all_times.size)
        times, n_event, n_censor = all_times, d, c
    n_risk = _n_at_risk(start, stop, times)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n_event > 0, 1.0 - n_event / np.maximum(n_risk, 1), 1.0)
        surv = np.cumprod(factor)
        term = np.where(
            n_event > 0, n_event / (n_risk * (n_risk - n_event).astype(float)), 0.0
        )
        greenwood = np.cumsum(term)
        std_err = surv * np.sqrt(greenwood)
    std_err[surv <= 0.0] = np.nan
    low, high = _ci_bands(surv, greenwood, conf_type, conf_level)
    cols = {
        "time": times.astype(float),
        "n_risk": n_risk,
        "n_event": n_event.astype(np.int64),
        "n_censor": n_censor.astype(np.int64),
    }
    if n_enter is not None:
        cols["n_enter"] = n_enter.astype(np.int64)
    cols.update(survival=surv, std_err=std_err, ci_low=low, ci_high=high)
    return pd.DataFrame(cols)


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


def _step_lookup(times: np.ndarray, ts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row index of the right-continuous step function at ``ts``.

    Returns ``(idx, before, beyond)``: ``idx`` clipped to valid rows, ``before`` where ``ts``
    precedes the first time, ``beyond`` where it follows the last one.
    """
    idx = np.searchsorted(times, ts, side="right") - 1
    before = idx < 0
    beyond = ts > times[-1]
    return np.clip(idx, 0, times.size - 1), before, beyond


# ---------------------------------------------------------------------------------------------
# SurvivalCurve
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SurvivalCurve(_ResultMixin):
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

    def __post_init__(self):
        _coerce_fields(self)

    # -- reading the curve -------------------------------------------------------------------

    def at_times(self, ts: Any) -> pd.DataFrame:
        """The curve read at several times.

        Parameters
        ----------
        ts : float or array-like of float
            Times in days (finite, non-negative).

        Returns
        -------
        pandas.DataFrame
            Columns ``time, n_risk, estimate, std_err, ci_low, ci_high``, one row per time in
            the order given. Before the first observed time the estimate is 1 with interval
            (1, 1); beyond the last observed time (the largest event or censoring time) every
            column but ``time`` and ``n_risk`` is NaN, as R ``summary(fit, times=)`` without
            ``extend=TRUE``.
        """
        t = _check_time_point(ts, "ts")
        tab = self.table
        idx, before, beyond = _step_lookup(tab["time"].to_numpy(), t)
        cols = {}
        for name, start_value in (("survival", 1.0), ("std_err", 0.0), ("ci_low", 1.0),
                                  ("ci_high", 1.0)):
            v = tab[name].to_numpy(dtype=float)[idx]
            v[before] = start_value
            v[beyond] = np.nan
            cols["estimate" if name == "survival" else name] = v
        return pd.DataFrame({"time": t, "n_risk": self.number_at_risk(t), **cols})

    def at(self, t: float) -> Estimate:
        """The curve read at one time (right-continuous), see :meth:`at_times`."""
        row = self.at_times([t]).iloc[0]
        return Estimate(row["time"], row["estimate"], row["ci_low"], row["ci_high"])

    def number_at_risk(self, ts: Any) -> np.ndarray:
        """Number of patients at risk at each time in ``ts`` (the at-risk row under a KM plot).

        For right-censored data this is the number with follow-up ``>= t``; for
        counting-process curves, the number whose interval contains ``t``.
        """
        t = _check_time_point(ts, "ts")
        times = self.table["time"].to_numpy()
        n_risk = self.table["n_risk"].to_numpy()
        pos = np.searchsorted(times, t, side="left")
        out = np.zeros(t.size, dtype=np.int64)
        inside = pos < times.size
        out[inside] = n_risk[pos[inside]]
        return out

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

    def step(self) -> tuple[np.ndarray, np.ndarray]:
        """``(x, y)`` of the curve for ``ax.step(x, y, where="post")``, starting at (0, 1)."""
        tab = self.table
        return (np.r_[0.0, tab["time"].to_numpy(dtype=float)],
                np.r_[1.0, tab["survival"].to_numpy(dtype=float)])

    def step_ci(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(x, lower, upper)`` of the confidence band, in the layout of :meth:`step`."""
        tab = self.table
        return (np.r_[0.0, tab["time"].to_numpy(dtype=float)],
                np.r_[1.0, tab["ci_low"].to_numpy(dtype=float)],
                np.r_[1.0, tab["ci_high"].to_numpy(dtype=float)])

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
    are NaN, as in R (lifelines gives 0). Point estimates equal lifelines
    ``KaplanMeierFitter`` to 1e-12; ``conf_type="log-log"`` limits equal its
    ``confidence_interval_``.

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
    table = _product_limit(t, e, None, conf_type, conf_level)
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
    table = _product_limit(t, 1 - e, None, conf_type, conf_level)
    times = table["time"].to_numpy()
    return Median(
        _first_at_or_below_half(times, table["survival"].to_numpy()),
        _first_at_or_below_half(times, table["ci_low"].to_numpy()),
        _first_at_or_below_half(times, table["ci_high"].to_numpy()),
    )


def _group_codes(group: np.ndarray) -> tuple[np.ndarray, list]:
    """Integer codes 0..k-1 of the group labels, levels sorted when sortable."""
    try:
        codes, levels = pd.factorize(group, sort=True)
    except TypeError:
        codes, levels = pd.factorize(group, sort=False)
    return codes.astype(np.int64), pd.Index(levels).tolist()


def _logrank_counts(
    start: np.ndarray | None, stop: np.ndarray, event: np.ndarray, codes: np.ndarray, k: int
) -> tuple[float, int]:
    """Mantel-Haenszel log-rank chi-square for k groups, (start, stop] rows allowed."""
    ev_times = np.unique(stop[event == 1])
    n = np.empty((ev_times.size, k))
    d = np.zeros((ev_times.size, k))
    for g in range(k):
        m = codes == g
        n[:, g] = _n_at_risk(None if start is None else start[m], stop[m], ev_times)
        hit = np.searchsorted(ev_times, stop[m & (event == 1)])
        d[:, g] = np.bincount(hit, minlength=ev_times.size)
    n_tot, d_tot = n.sum(axis=1), d.sum(axis=1)
    u = (d - d_tot[:, None] * n / n_tot[:, None]).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(n_tot > 1, d_tot * (n_tot - d_tot) / (n_tot**2 * (n_tot - 1)), 0.0)
    v = np.diag((f * n_tot) @ n) - np.einsum("t,tg,th->gh", f, n, n)
    u1, v1 = u[: k - 1], v[: k - 1, : k - 1]
    rank = int(np.linalg.matrix_rank(v1))
    if rank == 0:
        return float("nan"), 0
    stat = float(u1 @ np.linalg.pinv(v1) @ u1)
    return stat, rank


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
    the statistic is :math:`U^\\top V^{-1} U` over the first ``k - 1`` groups. Identical to
    R ``survdiff(Surv(time, status) ~ group)`` (``rho = 0``) and lifelines
    ``multivariate_logrank_test``.

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
    t, e = check_tte(time, event)
    g = _check_group(group, t.size)
    codes, levels = _group_codes(g)
    if len(levels) < 2:
        raise StatsInputError(f"group must have at least two levels, got {levels!r}")
    stat, df = _logrank_counts(None, t, e, codes, len(levels))
    p = stats.chi2.sf(stat, df) if df > 0 else float("nan")
    return TestResult("log-rank (Mantel-Haenszel)", stat, df, p, t.size)


# ---------------------------------------------------------------------------------------------
# Cox model
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CoxResult(_ResultMixin):
    """A fitted Cox proportional-hazards model.

    Attributes
    ----------
    n : int
        Number of patients.
    n_events : int
        Number of events.
    table : pandas.DataFrame
        One row per covariate (index ``covariate``), columns ``coef, hr, se, z, p_value,
        hr_ci_low, hr_ci_high`` (Wald statistics; ``hr = exp(coef)``).
    lr_test : TestResult
        Likelihood-ratio test of all coefficients = 0.
    log_likelihood : float
        Maximised log partial likelihood.
    concordance : float
        Harrell's concordance index (NaN for time-varying models).
    conf_level : float
        Confidence level of the hazard-ratio intervals.
    ties : str
        Tie handling (``"efron"``).
    """

    n: int
    n_events: int
    table: pd.DataFrame
    lr_test: TestResult
    log_likelihood: float
    concordance: float
    conf_level: float
    ties: str = "efron"

    def __post_init__(self):
        _coerce_fields(self)

    @property
    def summary(self) -> pd.DataFrame:
        """The coefficient table with the covariate as a column."""
        return self.table.reset_index()

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def _coef_table(params: pd.Series, se: pd.Series, conf_level: float) -> pd.DataFrame:
    z_crit = stats.norm.ppf(1 - (1 - conf_level) / 2)
    coef = params.to_numpy(dtype=float)
    s = se.to_numpy(dtype=float)
    z = coef / s
    table = pd.DataFrame(
        {
            "coef": coef,
            "hr": np.exp(coef),
            "se": s,
            "z": z,
            "p_value": 2 * stats.norm.sf(np.abs(z)),
            "hr_ci_low": np.exp(coef - z_crit * s),
            "hr_ci_high": np.exp(coef + z_crit * s),
        },
        index=pd.Index([str(c) for c in params.index], name="covariate"),
    )
    return table


def _check_covariates(covariates: Any, n: int) -> pd.DataFrame:
    if not isinstance(covariates, pd.DataFrame):
        raise StatsInputError(
            f"covariates must be a pandas DataFrame, got {type(covariates).__name__}"
        )
    if len(covariates) != n:
        raise StatsInputError(
            f"covariates must have one row per patient ({n}), got {len(covariates)}"
        )
    if covariates.shape[1] == 0:
        raise StatsInputError("covariates must have at least one column, got none")
    bad = [c for c in covariates.columns if not pd.api.types.is_numeric_dtype(covariates[c])]
    if bad:
        raise StatsInputError(f"covariates must be numeric (code factors as 0/1), got {bad!r}")
    na = [c for c in covariates.columns if covariates[c].isna().any()]
    if na:
        raise StatsInputError(f"covariates must not contain missing values, got NaN in {na!r}")
    return covariates.reset_index(drop=True).astype(float)


def cox_ph(
    time: Any, event: Any, covariates: pd.DataFrame, *, conf_level: float = 0.95
) -> CoxResult:
    """Cox proportional-hazards regression (Efron ties).

    Parameters
    ----------
    time : array-like of float, shape = (n_samples,)
        Days from the origin to the event or censoring.
    event : array-like of {0, 1}, shape = (n_samples,)
        1 = event, 0 = censored.
    covariates : pandas.DataFrame, shape = (n_samples, n_covariates)
        Numeric covariates, one row per patient in the order of ``time``; factors coded 0/1.
    conf_level : float, optional, default: 0.95
        Confidence level of the hazard-ratio intervals.

    Returns
    -------
    CoxResult
        Coefficients, hazard ratios, Wald CIs and p-values, and the likelihood-ratio test.

    Raises
    ------
    StatsInputError
        If the data fail :func:`check_tte` or ``covariates`` is not a numeric DataFrame without
        missing values, with one row per patient.

    Notes
    -----
    Fitted with lifelines ``CoxPHFitter`` (Newton-Raphson on Efron's approximation of the
    partial likelihood for tied times) [1]_ [2]_; equal to R
    ``coxph(Surv(time, status) ~ ., ties = "efron")`` (R's default) to about 1e-6. R's
    ``ties = "breslow"`` and ``"exact"`` are not available. Wald intervals
    :math:`\\exp(\\hat\\beta \\pm z\\, \\mathrm{se})`; the likelihood-ratio statistic is
    :math:`2(\\ell(\\hat\\beta) - \\ell(0))` on as many degrees of freedom as covariates.

    References
    ----------
    .. [1] Cox, D. R. (1972). Regression models and life-tables. JRSS B 34(2), 187-220.
    .. [2] Efron, B. (1977). The efficiency of Cox's likelihood function for censored data.
       JASA 72(359), 557-565.
    """
    from lifelines import CoxPHFitter

    t, e = check_tte(time, event)
    conf_level = _check_conf_level(conf_level)
    x = _check_covariates(covariates, t.size)
    data = x.copy()
    data["__time__"], data["__event__"] = t, e
    cph = CoxPHFitter(alpha=1 - conf_level).fit(data, "__time__", "__event__")
    table = _coef_table(cph.params_, cph.standard_errors_, conf_level)
    lr = cph.log_likelihood_ratio_test()
    lr_df = int(lr.degrees_freedom)
    lr_test = TestResult("Cox likelihood ratio", lr.test_statistic, lr_df,
                         stats.chi2.sf(lr.test_statistic, lr_df), t.size)
    return CoxResult(t.size, int(e.sum()), table, lr_test, cph.log_likelihood_,
                     cph.concordance_index_, conf_level)
