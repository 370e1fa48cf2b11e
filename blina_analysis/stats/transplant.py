"""Analyses of an exposure that starts after time zero (allo-HSCT after blinatumomab).

Comparing patients who were ever transplanted with those who were not, from time zero, credits
the transplanted group with the time they had to survive to reach transplant (immortal-time
bias). The functions here avoid it: a landmark analysis, the Mantel-Byar test, a Cox model with
transplant as a time-dependent covariate and Simon-Makuch curves.

Common conventions (all functions):

- ``time`` is days from the origin (chosen by the caller, e.g. response) to the event or
  censoring, ``event`` is 0/1, ``exposure_time`` is days from the same origin to transplant,
  NaN when the patient was never transplanted.
- A transplant at or after ``time`` (e.g. on the day of death) counts as no exposure during
  follow-up; a transplant at time 0 makes the patient exposed from the origin.
- Intervals are (start, stop]: a patient transplanted on day ``e`` contributes to the
  non-transplanted group up to and including day ``e`` and to the transplanted group after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from blina_analysis.stats._checks import (
    StatsInputError,
    _check_conf_level,
    _check_conf_type,
    _check_exposure,
    _check_group,
    check_tte,
)
from blina_analysis.stats.cox import CoxResult, _check_covariates, cox_ph, fit_cox_rows, ph_test
from blina_analysis.stats.product_limit import life_table, logrank_chisq
from blina_analysis.stats.results import TestResult, _coerce_fields, _ResultMixin
from blina_analysis.stats.survival import SurvivalCurve, kaplan_meier, logrank_test

__all__ = [
    "LandmarkResult",
    "split_at_exposure",
    "landmark",
    "landmark_sensitivity",
    "LANDMARK_SENSITIVITY_COLUMNS",
    "mantel_byar",
    "time_varying_cox",
    "time_varying_rows",
    "time_varying_ph_test",
    "simon_makuch",
    "GROUP_LABELS",
]

#: Curve labels by exposure status, shared by :func:`landmark` and :func:`simon_makuch`.
GROUP_LABELS = {0: "not transplanted", 1: "transplanted"}


def _check_inputs(time, event, exposure_time):
    t, e = check_tte(time, event)
    x = _check_exposure(exposure_time, t.size)
    return t, e, x


def _split(t: np.ndarray, e: np.ndarray, x: np.ndarray) -> dict[str, np.ndarray]:
    """Counting-process rows as arrays (sorted by id, then start)."""
    exposed_during = ~np.isnan(x) & (x < t)
    two_rows = exposed_during & (x > 0)  # an unexposed (0, x] row, then an exposed (x, t] row
    n_rows = 1 + two_rows.astype(np.int64)
    ids = np.repeat(np.arange(t.size), n_rows)
    first = np.r_[0, np.cumsum(n_rows)[:-1]]  # row index of each patient's first row
    start = np.zeros(ids.size)
    stop = np.repeat(t, n_rows)
    event = np.repeat(e, n_rows)
    exposed = np.repeat(exposed_during.astype(np.int64), n_rows)
    unexposed_part = first[two_rows]
    stop[unexposed_part] = x[two_rows]
    event[unexposed_part] = 0
    exposed[unexposed_part] = 0
    start[unexposed_part + 1] = x[two_rows]
    return {"id": ids, "start": start, "stop": stop, "event": event, "exposed": exposed}


def split_at_exposure(time: Any, event: Any, exposure_time: Any) -> pd.DataFrame:
    """Split each patient's follow-up at the exposure into counting-process rows.

    Parameters
    ----------
    time : array-like of float, shape = (n_samples,)
        Days from the origin to the event or censoring.
    event : array-like of {0, 1}, shape = (n_samples,)
        1 = event, 0 = censored.
    exposure_time : array-like of float, shape = (n_samples,)
        Days from the origin to the exposure (transplant); NaN = never exposed.

    Returns
    -------
    pandas.DataFrame
        Columns ``id`` (position of the patient in the input, 0-based), ``start``, ``stop``,
        ``event``, ``exposed``; one row per patient and interval (start, stop], sorted by id
        then start. A patient exposed at ``0 < e < time`` has two rows, (0, e] unexposed
        without event and (e, time] exposed carrying the event; everyone else has one row.

    Raises
    ------
    StatsInputError
        If the data fail :func:`check_tte` or ``exposure_time`` is negative, infinite or of a
        different length.

    Notes
    -----
    Same rows as R ``survival::tmerge(..., exposed = tdc(exposure_time))``, which also ignores
    an exposure at or after the end of follow-up. A patient with ``time == 0`` keeps a
    zero-length row (0, 0]; R refuses those, and :func:`time_varying_cox` drops them.
    """
    t, e, x = _check_inputs(time, event, exposure_time)
    return pd.DataFrame(_split(t, e, x))


# ---------------------------------------------------------------------------------------------
# Landmark
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class LandmarkResult(_ResultMixin):
    """A landmark comparison of exposed and unexposed patients.

    Attributes
    ----------
    landmark : float
        The landmark, in days from the origin.
    n_at_risk : int
        Patients still in follow-up after the landmark (``time > landmark``), analysed.
    n_excluded : int
        Patients with an event or censoring at or before the landmark, excluded.
    n_exposed : int
        Analysed patients exposed at or before the landmark.
    curves : dict of str to SurvivalCurve
        Kaplan-Meier curves from the landmark (time re-based: days since the landmark), keyed
        by group name, unexposed first (default ``"not transplanted"`` and ``"transplanted"``;
        only groups with patients).
    test : TestResult
        Log-rank test between the groups (NaN statistic, df 0, when a group is empty).
    """

    landmark: float
    n_at_risk: int
    n_excluded: int
    n_exposed: int
    curves: dict
    test: TestResult

    def __post_init__(self):
        _coerce_fields(self)

    @property
    def summary(self) -> pd.DataFrame:
        rows = []
        for name, curve in self.curves.items():
            med = curve.median
            rows.append({"landmark": self.landmark, "group": name, "n": curve.n,
                         "n_events": curve.n_events, "median": med.time,
                         "median_ci_low": med.ci_low, "median_ci_high": med.ci_high,
                         "p_value": self.test.p_value})
        return pd.DataFrame(rows)


def _check_landmark(value: Any) -> float:
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if not ok or not np.isfinite(value) or value < 0:
        raise StatsInputError(
            f"landmark must be a finite non-negative number of days, got {value!r}"
        )
    return float(value)


def landmark(
    time: Any,
    event: Any,
    exposure_time: Any,
    *,
    landmark: float,
    conf_level: float = 0.95,
    conf_type: str = "log-log",
    labels: dict[int, str] | None = None,
) -> LandmarkResult:
    """Landmark analysis of an exposure that happens after time zero.

    Parameters
    ----------
    time, event, exposure_time : array-like, shape = (n_samples,)
        See the module conventions.
    landmark : float
        Landmark in days from the origin (the caller chooses it, e.g. 90 days from response).
    conf_level : float, optional, default: 0.95
        Confidence level of the curves.
    conf_type : {"log-log", "log", "plain"}, optional, default: "log-log"
        CI transform of the curves, see :func:`~blina_analysis.stats.kaplan_meier`.
    labels : dict of {0, 1} to str, optional
        Names of the unexposed (0) and exposed (1) groups, default :data:`GROUP_LABELS`
        (e.g. ``{0: "no response yet", 1: "responders"}`` for a response landmark).

    Returns
    -------
    LandmarkResult
        Numbers analysed and excluded, curves from the landmark and the log-rank test.

    Raises
    ------
    StatsInputError
        If the inputs are invalid or no patient is in follow-up after the landmark.

    Notes
    -----
    Patients with ``time > landmark`` are analysed; they are classified by their exposure
    status at the landmark (exposed if ``exposure_time <= landmark``) whatever happens later,
    and followed from the landmark (``time - landmark``) [1]_. Equivalent R:
    ``d <- subset(data, time > lm); survdiff(Surv(time - lm, event) ~ (exposure_time <= lm))``.
    The estimate depends on the landmark: report the choice and, ideally, several landmarks.

    References
    ----------
    .. [1] Anderson, J. R., Cain, K. C. and Gelber, R. D. (1983). Analysis of survival by tumor
       response. J. Clin. Oncol. 1(11), 710-719.
    """
    t, e, x = _check_inputs(time, event, exposure_time)
    lm = _check_landmark(landmark)
    conf_level = _check_conf_level(conf_level)
    conf_type = _check_conf_type(conf_type)
    keep = t > lm
    if not keep.any():
        raise StatsInputError(
            f"landmark leaves no patient in follow-up: every time is <= {lm!r}"
        )
    t_lm, e_lm = t[keep] - lm, e[keep]
    exposed = (~np.isnan(x[keep]) & (x[keep] <= lm)).astype(np.int64)
    curves = {}
    for code, name in (labels or GROUP_LABELS).items():
        m = exposed == code
        if m.any():
            curves[name] = kaplan_meier(t_lm[m], e_lm[m], conf_level=conf_level,
                                        conf_type=conf_type, label=name)
    if len(curves) == 2:
        test = logrank_test(t_lm, e_lm, exposed)
    else:
        test = TestResult("log-rank (Mantel-Haenszel)", float("nan"), 0, float("nan"), t_lm.size)
    return LandmarkResult(lm, int(keep.sum()), int((~keep).sum()), int(exposed.sum()),
                          curves, test)


#: Columns of :func:`landmark_sensitivity`.
LANDMARK_SENSITIVITY_COLUMNS = (
    "landmark", "n_at_risk", "n_excluded", "n_exposed", "n_unexposed", "events_exposed",
    "events_unexposed", "chisq", "p_value", "hr", "hr_ci_low", "hr_ci_high", "hr_p_value",
)


def landmark_sensitivity(
    time: Any,
    event: Any,
    exposure_time: Any,
    *,
    landmarks: Any,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """The landmark analysis repeated at several landmarks: how much the result depends on it.

    Parameters
    ----------
    time, event, exposure_time : array-like, shape = (n_samples,)
        See the module conventions.
    landmarks : array-like of float
        Landmarks in days from the origin, e.g. ``(60, 90, 120, 180)``.
    conf_level : float, optional, default: 0.95
        Confidence level of the hazard-ratio intervals.

    Returns
    -------
    pandas.DataFrame
        One row per landmark, columns :data:`LANDMARK_SENSITIVITY_COLUMNS`: patients analysed
        (in follow-up after the landmark) and excluded, exposed and unexposed at the landmark
        with their events after it, the log-rank chi-square and p-value, and the hazard ratio
        exposed vs unexposed from a Cox model on the same patients (Wald interval and p).
        Where a landmark leaves nobody, or one group empty or without events, the statistics
        that cannot be computed are NaN (not estimable); counts are always given.

    Raises
    ------
    StatsInputError
        If the inputs are invalid or a landmark is not a finite non-negative number.

    Notes
    -----
    Each row is :func:`landmark` at that landmark, and the Cox model R
    ``coxph(Surv(time - lm, event) ~ exposed_at_lm, subset = time > lm)`` (Efron ties).
    """
    t, e, x = _check_inputs(time, event, exposure_time)
    conf_level = _check_conf_level(conf_level)
    lms = [_check_landmark(v) for v in np.atleast_1d(np.asarray(landmarks, dtype=object))]
    nan = float("nan")
    rows = []
    for lm in lms:
        keep = t > lm
        exposed = (~np.isnan(x[keep]) & (x[keep] <= lm)).astype(np.int64)
        t_lm, e_lm = t[keep] - lm, e[keep]
        row = {"landmark": lm, "n_at_risk": int(keep.sum()), "n_excluded": int((~keep).sum()),
               "n_exposed": int(exposed.sum()), "n_unexposed": int((exposed == 0).sum()),
               "events_exposed": int(e_lm[exposed == 1].sum()),
               "events_unexposed": int(e_lm[exposed == 0].sum()),
               "chisq": nan, "p_value": nan, "hr": nan, "hr_ci_low": nan, "hr_ci_high": nan,
               "hr_p_value": nan}
        if 0 < row["n_exposed"] < row["n_at_risk"]:
            test = logrank_test(t_lm, e_lm, exposed)
            row["chisq"], row["p_value"] = test.statistic, test.p_value
            cox = cox_ph(t_lm, e_lm, pd.DataFrame({"exposed": exposed}), conf_level=conf_level)
            hr = cox.table.loc["exposed"]
            row.update(hr=float(hr["hr"]), hr_ci_low=float(hr["hr_ci_low"]),
                       hr_ci_high=float(hr["hr_ci_high"]), hr_p_value=float(hr["p_value"]))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(LANDMARK_SENSITIVITY_COLUMNS))


# ---------------------------------------------------------------------------------------------
# Time-dependent analyses
# ---------------------------------------------------------------------------------------------


def mantel_byar(time: Any, event: Any, exposure_time: Any) -> TestResult:
    """Mantel-Byar test: log-rank test with exposure as a time-dependent group.

    Parameters
    ----------
    time, event, exposure_time : array-like, shape = (n_samples,)
        See the module conventions.

    Returns
    -------
    TestResult
        Chi-square on 1 degree of freedom; NaN (df 0) when nobody is exposed during follow-up.

    Raises
    ------
    StatsInputError
        If the inputs are invalid.

    Notes
    -----
    At each event time every patient at risk is counted in the group of his exposure status
    at that time (unexposed up to and including the exposure day, exposed after), and the
    Mantel-Haenszel log-rank statistic is formed from these time-dependent risk sets [1]_. It
    is the score test of a Cox model with a time-dependent exposure under the exact (discrete)
    partial likelihood, i.e. R
    ``coxph(Surv(start, stop, event) ~ exposed, ties = "exact")$score``; with no tied event
    times it equals the score test under Efron or Breslow ties too. Without any exposure it
    reduces to :func:`logrank_test`. Rows starting at 0 are at risk at time 0. Own code:
    lifelines has no Mantel-Byar test, and its log-rank tests take no entry times.

    References
    ----------
    .. [1] Mantel, N. and Byar, D. P. (1974). Evaluation of response-time data involving
       transient states: an illustration using heart-transplant data. JASA 69(345), 81-86.
    """
    from scipy import stats

    t, e, x = _check_inputs(time, event, exposure_time)
    rows = _split(t, e, x)
    if not rows["exposed"].any():
        return TestResult("Mantel-Byar", float("nan"), 0, float("nan"), t.size)
    stat, df = logrank_chisq(rows["start"], rows["stop"], rows["event"], rows["exposed"], 2)
    p = stats.chi2.sf(stat, df) if df > 0 else float("nan")
    return TestResult("Mantel-Byar", stat, df, p, t.size)


def time_varying_cox(
    time: Any,
    event: Any,
    exposure_time: Any,
    *,
    covariates: pd.DataFrame | None = None,
    interaction: Any = None,
    strata: Any = None,
    conf_level: float = 0.95,
) -> CoxResult:
    """Cox model with the exposure as a time-dependent covariate, optionally adjusted and
    stratified.

    Parameters
    ----------
    time, event, exposure_time : array-like, shape = (n_samples,)
        See the module conventions. For a cause-specific model of one cause among competing
        ones, ``event`` is 1 for that cause and 0 otherwise (competing events censor).
    strata : array-like, shape = (n_samples,), optional
        Stratum of each patient (e.g. the cohort): one baseline hazard per stratum and a
        common hazard ratio (R ``+ strata(s)``). Default: one baseline hazard (pooled).
    covariates : pandas.DataFrame, optional
        Fixed numeric covariates, one row per patient (factors coded 0/1), adjusted for.
    interaction : array-like of {0, 1}, optional
        A patient-level indicator ``z``: adds the term ``exposed_x`` = exposed × z (R
        ``exposed:z``), whose hazard ratio is the ratio of the exposure's hazard ratios at
        z = 1 and z = 0.
    conf_level : float, optional, default: 0.95
        Confidence level of the hazard-ratio interval.

    Returns
    -------
    CoxResult
        First row, covariate ``"exposed"``: hazard ratio exposed vs not yet exposed, Wald CI and
        p-value, and the likelihood-ratio test; ``n`` counts patients, ``concordance`` is NaN,
        ``strata`` is ``"stratum"`` when stratified. NaN (not estimable, see
        :class:`~blina_analysis.stats.CoxResult`) when, for example, no exposed patient has an
        event.

    Raises
    ------
    StatsInputError
        If the inputs are invalid, ``strata`` has missing values, or nobody is exposed during
        follow-up.

    Notes
    -----
    The rows of :func:`split_at_exposure` are fitted by
    :func:`~blina_analysis.stats.cox.fit_cox_rows` (Newton-Raphson on Efron's partial
    likelihood): a row is in the risk sets of ``(start, stop]``, the partial likelihood of R
    ``coxph(Surv(start, stop, event) ~ exposed [+ strata(s)], ties = "efron")`` and of
    lifelines ``CoxTimeVaryingFitter`` (equal to R to 1e-9 on the Stanford heart data and on a
    competing-risks cohort; 0.3 s at 100,000 patients, where ``CoxTimeVaryingFitter`` takes
    minutes). Zero-length rows (time 0) are dropped, as R refuses them.

    References
    ----------
    .. [1] Crowley, J. and Hu, M. (1977). Covariance analysis of heart transplant survival data.
       JASA 72(357), 27-36.
    """
    rows, names, stratum, n = time_varying_rows(time, event, exposure_time,
                                                covariates=covariates, interaction=interaction,
                                                strata=strata)
    conf_level = _check_conf_level(conf_level)
    return fit_cox_rows(rows, names, n=n, conf_level=conf_level, start="start",
                        strata=stratum, concordance=False)


def time_varying_rows(time: Any, event: Any, exposure_time: Any, *,
                      covariates: pd.DataFrame | None = None, interaction: Any = None,
                      strata: Any = None) -> tuple[pd.DataFrame, list[str], str | None, int]:
    """The counting-process rows :func:`time_varying_cox` fits (parameters as there).

    Returns
    -------
    tuple
        ``(rows, covariate names, stratum column or None, number of patients)``; zero-length
        rows dropped.

    Raises
    ------
    StatsInputError
        If the inputs are invalid or nobody is exposed during follow-up.
    """
    t, e, x = _check_inputs(time, event, exposure_time)
    rows = pd.DataFrame(_split(t, e, x))
    ids = rows["id"].to_numpy()
    names = ["exposed"]
    if interaction is not None:
        z = _check_group(interaction, t.size, "interaction").astype(float)
        rows["exposed_x"] = rows["exposed"] * z[ids]
        names.append("exposed_x")
    if covariates is not None:
        cov = _check_covariates(covariates, t.size)
        for c in cov.columns:
            rows[str(c)] = cov[c].to_numpy(dtype=float)[ids]
            names.append(str(c))
    stratum = None
    if strata is not None:
        codes = pd.factorize(_check_group(strata, t.size, "strata"))[0]
        stratum = "stratum"
        rows[stratum] = codes[ids]
    rows = rows[rows["stop"] > rows["start"]]
    if not rows["exposed"].any():
        raise StatsInputError(
            "exposure_time: nobody is exposed during follow-up, the model has no information"
        )
    return rows, names, stratum, t.size


def time_varying_ph_test(time: Any, event: Any, exposure_time: Any, fit: CoxResult, *,
                         covariates: pd.DataFrame | None = None, strata: Any = None
                         ) -> pd.DataFrame:
    """Proportional-hazards test of a :func:`time_varying_cox` fit (R ``cox.zph``).

    Parameters
    ----------
    time, event, exposure_time, covariates, strata
        As given to :func:`time_varying_cox` for ``fit``.
    fit : CoxResult
        The fitted model (estimable).

    Returns
    -------
    pandas.DataFrame
        :func:`~blina_analysis.stats.cox.ph_test`: one row per covariate and ``"GLOBAL"``.
    """
    rows, names, stratum, _ = time_varying_rows(time, event, exposure_time,
                                                covariates=covariates, strata=strata)
    beta = fit.table.loc[names, "coef"].to_numpy(dtype=float)
    return ph_test(rows, names, beta, start="start", strata=stratum)


def simon_makuch(
    time: Any,
    event: Any,
    exposure_time: Any,
    *,
    conf_level: float = 0.95,
    conf_type: str = "log-log",
) -> dict[str, SurvivalCurve]:
    """Simon-Makuch survival curves by time-dependent exposure status.

    Parameters
    ----------
    time, event, exposure_time : array-like, shape = (n_samples,)
        See the module conventions.
    conf_level : float, optional, default: 0.95
        Confidence level of the pointwise intervals.
    conf_type : {"log-log", "log", "plain"}, optional, default: "log-log"
        CI transform, see :func:`~blina_analysis.stats.kaplan_meier`.

    Returns
    -------
    dict of str to SurvivalCurve
        ``"not transplanted"`` and ``"transplanted"`` (a key only when that group has
        patients). ``n`` counts the patients who ever contribute to the group; the tables have
        an ``n_enter`` column (patients entering the exposed group after their exposure).

    Raises
    ------
    StatsInputError
        If the inputs are invalid.

    Notes
    -----
    The product-limit estimator with time-dependent risk sets [1]_: a patient is in the
    unexposed risk set until exposure, then in the exposed one (left truncation at the
    exposure time). Same as R ``survfit(Surv(start, stop, event) ~ exposed)`` on the rows of
    :func:`split_at_exposure`, Greenwood variance. Own life table, not lifelines
    ``KaplanMeierFitter(entry=...)``: lifelines counts a patient transplanted on day ``e`` in
    the risk set of a death on day ``e``, R and the module conventions do not (tested in
    tests/stats/test_stats_lifelines_gaps.py). The exposed curve estimates survival for a
    patient exposed from the start of its time axis; it is descriptive, to be read with
    :func:`mantel_byar` or :func:`time_varying_cox`. Early on the exposed risk set is small,
    so its curve can be unstable.

    References
    ----------
    .. [1] Simon, R. and Makuch, R. W. (1984). A non-parametric graphical representation of the
       relationship between survival and the occurrence of an event: application to responder
       versus non-responder bias. Statistics in Medicine 3(1), 35-44.
    """
    t, e, x = _check_inputs(time, event, exposure_time)
    conf_level = _check_conf_level(conf_level)
    conf_type = _check_conf_type(conf_type)
    rows = _split(t, e, x)
    curves = {}
    for code, name in GROUP_LABELS.items():
        m = rows["exposed"] == code
        if not m.any():
            continue
        table = life_table(rows["stop"][m], rows["event"][m], rows["start"][m],
                               conf_type, conf_level)
        n = int(np.unique(rows["id"][m]).size)
        curves[name] = SurvivalCurve(name, n, int(rows["event"][m].sum()), table,
                                     conf_type, conf_level)
    return curves
