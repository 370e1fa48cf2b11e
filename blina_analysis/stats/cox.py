"""The Cox proportional-hazards model, for right-censored and counting-process data.

Fixed covariates (:func:`cox_ph`) are fitted by lifelines ``CoxPHFitter`` (Efron ties, as R),
with a tighter convergence tolerance than its default (which stops ~1e-5 short of R's
coefficients) and R's rule for a model that cannot be estimated. Counting-process rows
``(start, stop]`` (a time-dependent covariate, :func:`~blina_analysis.stats.time_varying_cox`)
are fitted by this module's own engine, :func:`fit_cox_rows`: Newton-Raphson on Efron's partial
likelihood, R's ``coxph`` (``agreg.fit``) written with sorted cumulative sums, so each iteration
costs O(rows) after one sort (the risk-set sums at every event time are sums over rows with
``stop >= t`` minus sums over rows with ``start >= t``). lifelines is not used there: its
``CoxTimeVaryingFitter``, and ``CoxPHFitter`` with ``entry_col`` (which calls the same gradient),
cost O(rows x event times) per iteration: 70-119 s per model on the 100,000-patient benchmark
cohort (``benchmarks/run.py``; measured 2026-11-30, branch ``stats``) against 0.3 s here, and the
100,000-patient analysis (eight such models) must stay under 45 s. Both are equal to R
``coxph(..., ties = "efron")`` to ~1e-9 (tests/fixtures/r).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import warnings

import numpy as np
import pandas as pd

from blina_analysis.stats._checks import (
    StatsInputError,
    _check_conf_level,
    _check_group,
    check_tte,
)
from blina_analysis.stats.results import TestResult, _coerce_fields, _ResultMixin

__all__ = ["CoxResult", "cox_ph", "fit_cox_rows", "ph_test"]

#: Newton-Raphson stops when the log-likelihood changes by less than this (relative) and the
#: step is below ``_STEP_TOL``; at most ``_MAX_ITER`` iterations.
_LOGLIK_TOL = 1e-13
_STEP_TOL = 1e-10
_MAX_ITER = 60
#: A final Newton step still this large (relative to 1 + |coef|) means the coefficient is running
#: off to infinity (monotone likelihood: e.g. one group without events); R's ``toler.inf`` test.
_INFINITE_STEP = 1e-4
#: A coefficient beyond this (hazard ratio above e^20 or below e^-20) is taken as infinite.
_INFINITE_COEF = 20.0


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
    strata : str or None
        What the baseline hazard is stratified by (None: one baseline hazard for everybody).

    Notes
    -----
    A model that cannot be estimated from the data (no event, a covariate without variation
    among the patients at risk, or a coefficient running off to infinity because one group has
    no event) has NaN in every column of ``table`` and in the tests: not estimable.
    """

    n: int
    n_events: int
    table: pd.DataFrame
    lr_test: TestResult
    log_likelihood: float
    concordance: float
    conf_level: float
    ties: str = "efron"
    strata: str | None = None

    def __post_init__(self):
        _coerce_fields(self)

    @property
    def summary(self) -> pd.DataFrame:
        """The coefficient table with the covariate as a column."""
        return self.table.reset_index()

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)

    @classmethod
    def not_estimable(cls, covariates: list[str], n: int, n_events: int, conf_level: float,
                      strata: str | None = None) -> "CoxResult":
        """A model that could not be estimated: NaN coefficients and tests."""
        nan = pd.Series(np.nan, index=covariates)
        lr = TestResult("Cox likelihood ratio", float("nan"), len(covariates), float("nan"), n)
        return cls(n, n_events, _coef_table(nan, nan, conf_level), lr, float("nan"),
                   float("nan"), conf_level, strata=strata)

    @property
    def estimable(self) -> bool:
        """Whether the coefficients could be estimated (see Notes)."""
        return bool(np.isfinite(self.table["coef"].to_numpy(dtype=float)).all())




def _coef_table(params: pd.Series, se: pd.Series, conf_level: float) -> pd.DataFrame:
    from scipy import stats

    z_crit = stats.norm.ppf(1 - (1 - conf_level) / 2)
    coef = params.to_numpy(dtype=float)
    s = se.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        z = coef / s
        return pd.DataFrame(
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


class _RiskSets:
    """One stratum's rows, sorted once: what every Newton-Raphson iteration needs."""

    def __init__(self, x: np.ndarray, start: np.ndarray, stop: np.ndarray, event: np.ndarray):
        self.x = x
        self.by_stop = np.argsort(stop, kind="stable")
        self.by_start = np.argsort(start, kind="stable")
        dead = event > 0
        self.event_times = np.unique(stop[dead])
        # risk set at t: start < t <= stop, i.e. (stop >= t) minus (start >= t)
        self.stop_pos = np.searchsorted(stop[self.by_stop], self.event_times, side="left")
        self.start_pos = np.searchsorted(start[self.by_start], self.event_times, side="left")
        self.dead_rows = np.flatnonzero(dead)
        self.dead_time = np.searchsorted(self.event_times, stop[dead])
        d = np.bincount(self.dead_time, minlength=self.event_times.size)
        # Efron: the j-th tied death set is shared l/d at a time, l = 0..d-1
        self.efron_time = np.repeat(np.arange(d.size), d)
        self.efron_frac = np.concatenate([np.arange(k) / k for k in d]) if d.size else np.zeros(0)
        self.x_dead_sum = x[self.dead_rows].sum(axis=0)

    def slot_sums(self, beta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Efron's weighted risk-set sums at ``beta``: one row per death (its tie slot).

        Returns ``s0`` (deaths,), ``s1`` (deaths, p) and ``s2`` (deaths, p, p); death ``k``
        happens at ``self.event_times[self.efron_time[k]]``.
        """
        x = self.x
        eta = x @ beta
        w = np.exp(eta)
        p = x.shape[1]
        wx = w[:, None] * x
        wxx = (wx[:, :, None] * x[:, None, :]).reshape(len(w), p * p)
        all_terms = np.column_stack([w, wx, wxx])

        def risk_sums(order, pos):
            suffix = np.vstack([np.cumsum(all_terms[order][::-1], axis=0)[::-1],
                                np.zeros((1, all_terms.shape[1]))])
            return suffix[pos]

        at_risk = risk_sums(self.by_stop, self.stop_pos) - risk_sums(self.by_start,
                                                                      self.start_pos)
        tied = np.zeros((self.event_times.size, all_terms.shape[1]))
        np.add.at(tied, self.dead_time, all_terms[self.dead_rows])
        sums = at_risk[self.efron_time] - self.efron_frac[:, None] * tied[self.efron_time]
        return sums[:, 0], sums[:, 1:1 + p], sums[:, 1 + p:].reshape(-1, p, p)

    def terms(self, beta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """Log partial likelihood, its gradient and Hessian at ``beta``."""
        eta = self.x @ beta
        s0, s1, s2 = self.slot_sums(beta)
        loglik = float(eta[self.dead_rows].sum() - np.log(s0).sum())
        mean = s1 / s0[:, None]
        grad = self.x_dead_sum - mean.sum(axis=0)
        hess = -(s2 / s0[:, None, None] - mean[:, :, None] * mean[:, None, :]).sum(axis=0)
        return loglik, grad, hess


def _newton_raphson(sets: list[_RiskSets], p: int):
    """Maximise the summed partial likelihood; ``(beta, loglik0, loglik, hessian, estimable)``."""

    def total(beta):
        parts = [s.terms(beta) for s in sets]
        return (sum(q[0] for q in parts), sum(q[1] for q in parts), sum(q[2] for q in parts))

    beta = np.zeros(p)
    loglik0, grad, hess = total(beta)
    loglik = loglik0
    for _ in range(_MAX_ITER):
        try:
            step = np.linalg.solve(-hess, grad)
        except np.linalg.LinAlgError:
            return beta, loglik0, loglik, hess, False
        new = beta + step
        new_loglik, new_grad, new_hess = total(new)
        while not new_loglik >= loglik - 1e-12 * abs(loglik) and np.abs(step).max() > _STEP_TOL:
            step = step / 2  # step halving, as R's agreg.fit when the likelihood falls
            new = beta + step
            new_loglik, new_grad, new_hess = total(new)
        done = (abs(new_loglik - loglik) <= _LOGLIK_TOL * abs(loglik)
                and np.abs(step).max() <= max(_STEP_TOL, 1e-6 * np.abs(new).max()))
        beta, loglik, grad, hess = new, new_loglik, new_grad, new_hess
        if done:
            break
    try:
        last_step = np.linalg.solve(-hess, grad)
    except np.linalg.LinAlgError:
        return beta, loglik0, loglik, hess, False
    finite = (np.abs(last_step) <= _INFINITE_STEP * (1 + np.abs(beta))).all() and (
        np.abs(beta) < _INFINITE_COEF).all()
    return beta, loglik0, loglik, hess, bool(finite)


def fit_cox_rows(
    rows: pd.DataFrame,
    covariates: list[str],
    *,
    n: int,
    conf_level: float,
    start: str | None = None,
    strata: str | None = None,
    concordance: bool = True,
) -> CoxResult:
    """Fit a Cox model (Efron ties) to already-checked rows: the engine of :func:`cox_ph` and
    :func:`~blina_analysis.stats.time_varying_cox`.

    Parameters
    ----------
    rows : pandas.DataFrame
        Columns ``stop`` (time, > ``start``), ``event`` (0/1), the ``covariates``, and
        optionally the entry time ``start`` (counting-process rows, at risk on
        ``(start, stop]``; default: every row at risk from time 0) and a stratum.
    covariates : list of str
        Numeric covariate columns.
    n : int
        Number of patients the rows describe (rows may be several per patient).
    conf_level : float
        Confidence level of the hazard-ratio intervals.
    start, strata : str, optional
        Column of entry times; column of strata.
    concordance : bool, default: True
        Whether to report Harrell's concordance (lifelines ``concordance_index``; not for
        counting-process rows).

    Returns
    -------
    CoxResult
        NaN coefficients when the model is not estimable (see :class:`CoxResult`).
    """
    from lifelines.utils import concordance_index
    from scipy import stats

    n_events = int(rows["event"].sum())
    if n_events == 0 or any(rows[c].nunique() < 2 for c in covariates):
        return CoxResult.not_estimable(covariates, n, n_events, conf_level, strata)
    x = rows[covariates].to_numpy(dtype=float)
    x = x - x.mean(axis=0)  # centred, as R, so exp() stays finite; the fit is unchanged
    stop = rows["stop"].to_numpy(dtype=float)
    begin = rows[start].to_numpy(dtype=float) if start else np.full(stop.size, -np.inf)
    event = rows["event"].to_numpy(dtype=np.int64)
    groups = rows[strata].to_numpy() if strata else np.zeros(stop.size)
    sets = [_RiskSets(x[m], begin[m], stop[m], event[m])
            for m in (groups == g for g in pd.unique(groups))]
    beta, loglik0, loglik, hess, estimable = _newton_raphson(sets, len(covariates))
    if not estimable:
        return CoxResult.not_estimable(covariates, n, n_events, conf_level, strata)
    se = np.sqrt(np.diag(np.linalg.inv(-hess)))
    table = _coef_table(pd.Series(beta, index=covariates), pd.Series(se, index=covariates),
                        conf_level)
    lr = 2 * (loglik - loglik0)
    lr_test = TestResult("Cox likelihood ratio", lr, len(covariates),
                         stats.chi2.sf(lr, len(covariates)), n)
    c_index = float("nan")
    if concordance:
        c_index = concordance_index(stop, -(x @ beta), event)
    return CoxResult(n, n_events, table, lr_test, loglik, c_index, conf_level, strata=strata)


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
    time: Any,
    event: Any,
    covariates: pd.DataFrame,
    *,
    strata: Any = None,
    conf_level: float = 0.95,
) -> CoxResult:
    """Cox proportional-hazards regression (Efron ties), optionally stratified.

    Parameters
    ----------
    time : array-like of float, shape = (n_samples,)
        Days from the origin to the event or censoring.
    event : array-like of {0, 1}, shape = (n_samples,)
        1 = event, 0 = censored.
    covariates : pandas.DataFrame, shape = (n_samples, n_covariates)
        Numeric covariates, one row per patient in the order of ``time``; factors coded 0/1.
    strata : array-like, shape = (n_samples,), optional
        Stratum of each patient: one baseline hazard per stratum, common coefficients
        (R ``+ strata(s)``). Default: one baseline hazard.
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
        missing values, with one row per patient, or ``strata`` has missing values.

    Notes
    -----
    lifelines ``CoxPHFitter`` (Newton-Raphson on Efron's approximation of the partial
    likelihood for tied times [1]_ [2]_, convergence tolerance tightened); equal to R
    ``coxph(Surv(time, status) ~ . [+ strata(s)], ties = "efron")`` (R's default) to about
    1e-9; the concordance is lifelines' ``concordance_index`` of the linear predictor (over
    all patients, strata ignored). R's ``ties = "breslow"`` and
    ``"exact"`` are not available. Wald intervals
    :math:`\\exp(\\hat\\beta \\pm z\\, \\mathrm{se})`; the likelihood-ratio statistic is
    :math:`2(\\ell(\\hat\\beta) - \\ell(0))` on as many degrees of freedom as covariates.
    A model that cannot be estimated has NaN coefficients (:attr:`CoxResult.estimable`).

    References
    ----------
    .. [1] Cox, D. R. (1972). Regression models and life-tables. JRSS B 34(2), 187-220.
    .. [2] Efron, B. (1977). The efficiency of Cox's likelihood function for censored data.
       JASA 72(359), 557-565.
    """
    t, e = check_tte(time, event)
    conf_level = _check_conf_level(conf_level)
    x = _check_covariates(covariates, t.size)
    names = [str(c) for c in x.columns]
    groups = None
    if strata is not None:
        groups = pd.factorize(_check_group(strata, t.size, "strata"))[0]
    return _fit_lifelines(t, e, x.to_numpy(dtype=float), names, groups, conf_level)


#: lifelines' Newton-Raphson stopping rules. Its defaults (1e-7 on the step and on the Newton
#: decrement, 1e-9 on the relative change of the log-likelihood) stop up to ~1e-5 short of R's
#: coefficients on the book's cohort, 1e-10 still ~5e-7 short (the decrement is quadratic in
#: the error); these reach R to ~1e-14. Full Newton steps (``step_size`` 1, as R's coxph; its
#: default 0.95 damps every step and costs a third more iterations, each a Python loop over the
#: event times: ~0.6 s at 100,000 patients). At most 100 iterations (then: not estimable).
_LIFELINES_FIT_OPTIONS = {"precision": 1e-20, "r_precision": 1e-16, "max_steps": 100,
                          "step_size": 1.0}


def _fit_lifelines(t: np.ndarray, e: np.ndarray, x: np.ndarray, names: list[str],
                   groups: np.ndarray | None, conf_level: float) -> CoxResult:
    """:func:`cox_ph` on checked arrays: lifelines ``CoxPHFitter`` in a :class:`CoxResult`.

    Not estimable (NaN, as :func:`fit_cox_rows`) when there is no event, a covariate does not
    vary, lifelines cannot invert the Hessian or warns that Newton-Raphson did not converge (a
    step still large at the end: the likelihood is monotone, e.g. one group without events), or
    a coefficient is beyond +-20 (a hazard ratio above e^20).
    """
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError, ConvergenceWarning
    from lifelines.utils import concordance_index

    n, n_events = t.size, int(e.sum())
    strata = None if groups is None else "stratum"
    if n_events == 0 or any(np.unique(x[:, j]).size < 2 for j in range(x.shape[1])):
        return CoxResult.not_estimable(names, n, n_events, conf_level, strata)
    cols = [f"x{j}" for j in range(x.shape[1])]  # lifelines wants plain string names
    data = pd.DataFrame(x, columns=cols)
    data["_time"], data["_event"] = t, e
    if groups is not None:
        data["_stratum"] = groups
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            cph = CoxPHFitter(alpha=1 - conf_level).fit(
                data, "_time", "_event", strata=None if groups is None else ["_stratum"],
                fit_options=_LIFELINES_FIT_OPTIONS)
        except (ConvergenceError, np.linalg.LinAlgError):
            return CoxResult.not_estimable(names, n, n_events, conf_level, strata)
    beta = cph.params_.reindex(cols).to_numpy(dtype=float)
    se = cph.standard_errors_.reindex(cols).to_numpy(dtype=float)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    if not (converged and np.isfinite(beta).all() and np.isfinite(se).all()
            and (np.abs(beta) < _INFINITE_COEF).all()):
        return CoxResult.not_estimable(names, n, n_events, conf_level, strata)
    table = _coef_table(pd.Series(beta, index=names), pd.Series(se, index=names), conf_level)
    lr = cph.log_likelihood_ratio_test()
    lr_test = TestResult("Cox likelihood ratio", lr.test_statistic, len(names), lr.p_value, n)
    centred = x - x.mean(axis=0)
    c_index = concordance_index(t, -(centred @ beta), e)
    return CoxResult(n, n_events, table, lr_test, cph.log_likelihood_, c_index, conf_level,
                     strata=strata)


def _km_left_limit(start: np.ndarray, stop: np.ndarray, event: np.ndarray,
                   times: np.ndarray) -> np.ndarray:
    """The Kaplan–Meier curve of all rows (at risk on ``(start, stop]``), just before ``times``."""
    dead = event > 0
    grid = np.unique(stop[dead])
    # at risk at t: start < t <= stop
    n_risk = (np.searchsorted(np.sort(start), grid, side="left")
              - np.searchsorted(np.sort(stop), grid, side="left"))
    deaths = np.bincount(np.searchsorted(grid, stop[dead]), minlength=grid.size)
    surv = np.cumprod(1 - deaths / n_risk)
    before = np.searchsorted(grid, times, side="left")  # event times strictly before
    return np.r_[1.0, surv][before]


def ph_test(
    rows: pd.DataFrame,
    covariates: list[str],
    beta: Any,
    *,
    start: str | None = None,
    strata: str | None = None,
) -> pd.DataFrame:
    """Test of proportional hazards from scaled Schoenfeld residuals (R ``cox.zph``).

    Parameters
    ----------
    rows : pandas.DataFrame
        The rows the model was fitted to (as :func:`fit_cox_rows`: ``stop``, ``event``, the
        covariates, optionally ``start`` and a stratum column).
    covariates : list of str
        The model's covariates, in the order of ``beta``.
    beta : array-like of float
        The fitted coefficients.
    start, strata : str, optional
        Column of entry times; column of strata.

    Returns
    -------
    pandas.DataFrame
        Index: the covariates, then ``"GLOBAL"``; columns ``chisq``, ``df``, ``p_value``.

    Notes
    -----
    The score test, at the fitted coefficients, of adding each covariate times g(t), with
    g = 1 − Kaplan–Meier(t−) of all rows (R's default ``transform = "km"``); the global test
    adds all of them at once. Equal to R ``cox.zph(coxph(...))`` (survival >= 3.0, Efron ties;
    tests/fixtures/r). A small p-value says that a hazard ratio changes with time.

    References
    ----------
    .. [1] Grambsch, P. M. and Therneau, T. M. (1994). Proportional hazards tests and
       diagnostics based on weighted residuals. Biometrika 81(3), 515-526.
    """
    from scipy import stats

    p = len(covariates)
    b = np.asarray(beta, dtype=float)
    x = rows[covariates].to_numpy(dtype=float)
    x = x - x.mean(axis=0)
    stop = rows["stop"].to_numpy(dtype=float)
    begin = rows[start].to_numpy(dtype=float) if start else np.full(stop.size, -np.inf)
    event = rows["event"].to_numpy(dtype=np.int64)
    groups = rows[strata].to_numpy() if strata else np.zeros(stop.size)
    g_all = 1 - _km_left_limit(np.where(np.isfinite(begin), begin, -1.0), stop, event, stop)
    g_all = g_all - g_all[event > 0].mean()
    u = np.zeros(p)
    info = np.zeros((2 * p, 2 * p))
    for m in (groups == g for g in pd.unique(groups)):
        sets = _RiskSets(x[m], begin[m], stop[m], event[m])
        if sets.dead_rows.size == 0:
            continue
        s0, s1, s2 = sets.slot_sums(b)
        mean = s1 / s0[:, None]
        var = s2 / s0[:, None, None] - mean[:, :, None] * mean[:, None, :]
        # deaths in slot order: efron_time repeats each event time once per death
        order = np.argsort(sets.dead_time, kind="stable")
        g = g_all[m][sets.dead_rows][order]
        x_dead = sets.x[sets.dead_rows][order]
        u += (g[:, None] * (x_dead - mean)).sum(axis=0)
        info[:p, :p] += var.sum(axis=0)
        info[:p, p:] += (g[:, None, None] * var).sum(axis=0)
        info[p:, :p] += (g[:, None, None] * var).sum(axis=0)
        info[p:, p:] += (g[:, None, None] ** 2 * var).sum(axis=0)
    score = np.r_[np.zeros(p), u]
    out = []
    for j in range(p):
        keep = np.r_[np.arange(p), p + j]
        sub = score[keep]
        out.append(float(sub @ np.linalg.solve(info[np.ix_(keep, keep)], sub)))
    out.append(float(score @ np.linalg.solve(info, score)))
    df = [1] * p + [p]
    return pd.DataFrame({"chisq": out, "df": df,
                         "p_value": [float(stats.chi2.sf(c, d)) for c, d in zip(out, df)]},
                        index=pd.Index([*covariates, "GLOBAL"], name="covariate"))
