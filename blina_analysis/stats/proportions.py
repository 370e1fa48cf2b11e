"""Confidence intervals for proportions and their differences, exact tests of 2 x 2 tables, and
Holm's adjustment of a family of p-values."""

from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from blina_analysis.stats._checks import StatsInputError, _as_1d, _check_conf_level, _show
from blina_analysis.stats.results import Proportion, _coerce_fields, _ResultMixin

__all__ = ["FisherResult", "RateDifference", "exact_ci", "wilson_ci", "rate_difference",
           "holm", "fisher_2x2", "compare_proportions"]


@dataclass(frozen=True)
class FisherResult(_ResultMixin):
    """Fisher's exact test of a 2 x 2 table with the conditional maximum-likelihood odds ratio.

    Attributes
    ----------
    p_value : float
        Two-sided p-value (sum of the probabilities of all tables as likely or less likely than
        the observed one, given the margins).
    odds_ratio : float
        Conditional maximum-likelihood estimate of the odds ratio (R's ``fisher.test``
        ``estimate``), not the sample odds ratio ``a*d / (b*c)``.
    ci_low, ci_high : float
        Exact conditional confidence interval of the odds ratio.
    table : tuple of tuple of int
        The table as given, ``((a, b), (c, d))``.
    conf_level : float
        Confidence level of the interval.
    test_name : str
        ``"Fisher exact"``.
    """

    p_value: float
    odds_ratio: float
    ci_low: float
    ci_high: float
    table: tuple
    conf_level: float = 0.95
    test_name: str = "Fisher exact"

    def __post_init__(self):
        _coerce_fields(self)

    @property
    def summary(self) -> pd.DataFrame:
        row = dataclasses.asdict(self)
        row["table"] = str(self.table)
        return pd.DataFrame([row])


def _check_count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            value = int(value)
        else:
            raise StatsInputError(f"{name} must be a non-negative integer, got {value!r}")
    if value < 0:
        raise StatsInputError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def exact_ci(n: int, N: int, conf_level: float = 0.95) -> Proportion:
    """Proportion with its exact (Clopper-Pearson) confidence interval.

    Parameters
    ----------
    n : int
        Number of successes (e.g. patients in complete remission), ``0 <= n <= N``.
    N : int
        Number of patients.
    conf_level : float, optional, default: 0.95
        Confidence level.

    Returns
    -------
    Proportion
        ``rate = n / N`` and the interval; rate and limits are NaN when ``N == 0``.

    Raises
    ------
    StatsInputError
        If ``n`` or ``N`` is not a non-negative integer, if ``n > N``, or if ``conf_level`` is
        not in (0, 1).

    Notes
    -----
    The Clopper-Pearson interval [1]_ inverts two one-sided exact binomial tests, each at level
    ``alpha / 2`` with ``alpha = 1 - conf_level``:

    .. math:: p_L = B^{-1}(\\alpha/2;\\, n,\\, N-n+1), \\qquad
              p_U = B^{-1}(1-\\alpha/2;\\, n+1,\\, N-n),

    with :math:`B^{-1}` the beta quantile function, ``p_L = 0`` when ``n = 0`` and ``p_U = 1``
    when ``n = N``. Identical to R ``binom.test(n, N)$conf.int``, scipy
    ``binomtest(n, N).proportion_ci("exact")`` and statsmodels
    ``proportion_confint(method="beta")``. The interval is conservative (coverage at least
    ``conf_level``), which is what regulators expect for a single-arm response rate.

    References
    ----------
    .. [1] Clopper, C. J. and Pearson, E. S. (1934). The use of confidence or fiducial limits
       illustrated in the case of the binomial. Biometrika 26(4), 404-413.

    Examples
    --------
    >>> p = exact_ci(5, 25)
    >>> round(p.rate, 3), round(p.ci_low, 4), round(p.ci_high, 4)
    (0.2, 0.0683, 0.407)
    """
    from scipy import stats

    n = _check_count(n, "n")
    N = _check_count(N, "N")
    if n > N:
        raise StatsInputError(f"n must not exceed N, got n={n!r} and N={N!r}")
    conf_level = _check_conf_level(conf_level)
    if N == 0:
        nan = float("nan")
        return Proportion(n, N, nan, nan, nan, conf_level=conf_level)
    alpha = 1.0 - conf_level
    low = 0.0 if n == 0 else stats.beta.ppf(alpha / 2, n, N - n + 1)
    high = 1.0 if n == N else stats.beta.ppf(1 - alpha / 2, n + 1, N - n)
    return Proportion(n, N, n / N, low, high, conf_level=conf_level)


def wilson_ci(n: int, N: int, conf_level: float = 0.95) -> Proportion:
    """Proportion with its Wilson score interval (no continuity correction).

    Parameters
    ----------
    n, N : int
        Successes and patients, ``0 <= n <= N``.
    conf_level : float, optional, default: 0.95

    Returns
    -------
    Proportion
        NaN rate and limits when ``N == 0``.

    Notes
    -----
    The interval inverts the score test: the roots of
    :math:`(\\hat p - p)^2 = z^2 p (1 - p) / N` [1]_. Identical to R
    ``prop.test(n, N, correct = FALSE)$conf.int`` and scipy
    ``binomtest(n, N).proportion_ci("wilson")``. Used here only as the building block of
    :func:`rate_difference`; single rates keep the exact interval (:func:`exact_ci`).

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
       inference. JASA 22(158), 209-212.

    Examples
    --------
    >>> p = wilson_ci(5, 25)
    >>> round(p.ci_low, 4), round(p.ci_high, 4)
    (0.0886, 0.3913)
    """
    from scipy import stats

    n = _check_count(n, "n")
    N = _check_count(N, "N")
    if n > N:
        raise StatsInputError(f"n must not exceed N, got n={n!r} and N={N!r}")
    conf_level = _check_conf_level(conf_level)
    if N == 0:
        nan = float("nan")
        return Proportion(n, N, nan, nan, nan, conf_level=conf_level)
    z = stats.norm.ppf(1 - (1 - conf_level) / 2)
    rate = n / N
    centre = (rate + z * z / (2 * N)) / (1 + z * z / N)
    half = z * np.sqrt(rate * (1 - rate) / N + z * z / (4 * N * N)) / (1 + z * z / N)
    low = 0.0 if n == 0 else max(0.0, centre - half)
    high = 1.0 if n == N else min(1.0, centre + half)
    return Proportion(n, N, rate, low, high, conf_level=conf_level)


@dataclass(frozen=True)
class RateDifference(_ResultMixin):
    """The difference of two proportions, ``first.rate - second.rate``, with its interval.

    Attributes
    ----------
    first, second : Proportion
        The two proportions (Wilson intervals, from which the difference's interval is built).
    difference : float
        ``first.rate - second.rate`` (a fraction, -1 to 1); NaN when a group is empty.
    ci_low, ci_high : float
        Newcombe's hybrid score interval (method 10).
    conf_level : float
        Confidence level.
    method : str
        ``"Newcombe hybrid score"``.
    """

    first: Proportion
    second: Proportion
    difference: float
    ci_low: float
    ci_high: float
    conf_level: float = 0.95
    method: str = "Newcombe hybrid score"

    def __post_init__(self):
        _coerce_fields(self)

    @property
    def summary(self) -> pd.DataFrame:
        return pd.DataFrame([{"n1": self.first.n, "N1": self.first.N, "n2": self.second.n,
                              "N2": self.second.N, "difference": self.difference,
                              "ci_low": self.ci_low, "ci_high": self.ci_high,
                              "conf_level": self.conf_level, "method": self.method}])


def rate_difference(n1: int, N1: int, n2: int, N2: int,
                    conf_level: float = 0.95) -> RateDifference:
    """Difference of two independent proportions, ``n1/N1 - n2/N2``, with Newcombe's interval.

    Parameters
    ----------
    n1, N1 : int
        Successes and patients of the first group.
    n2, N2 : int
        Successes and patients of the second group.
    conf_level : float, optional, default: 0.95

    Returns
    -------
    RateDifference
        NaN difference and limits when either group is empty.

    Raises
    ------
    StatsInputError
        As :func:`exact_ci`.

    Notes
    -----
    Newcombe's hybrid score interval (his method 10) [1]_ combines the Wilson score intervals
    :math:`(l_i, u_i)` of the two proportions (:func:`wilson_ci`):

    .. math:: L = d - \\sqrt{(p_1 - l_1)^2 + (u_2 - p_2)^2}, \\qquad
              U = d + \\sqrt{(u_1 - p_1)^2 + (p_2 - l_2)^2},

    with :math:`d = p_1 - p_2`. It stays within [-1, 1], is defined when a proportion is 0 or 1,
    and keeps close to its nominal coverage in small samples, where the Wald interval does not.
    R has no function of its own for it: the same formula on R's
    ``prop.test(x, n, correct = FALSE)$conf.int`` (tests/fixtures/r/make_fixtures.R) agrees to
    1e-12. The interval is not the inversion of Fisher's exact test, so it can exclude 0 while
    Fisher's p is above 0.05 (or the reverse) near the boundary.

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Interval estimation for the difference between independent
       proportions: comparison of eleven methods. Statistics in Medicine 17(8), 873-890.

    Examples
    --------
    >>> d = rate_difference(56, 70, 48, 80)
    >>> round(d.difference, 4), round(d.ci_low, 4), round(d.ci_high, 4)
    (0.2, 0.0524, 0.3339)
    """
    first = wilson_ci(n1, N1, conf_level)
    second = wilson_ci(n2, N2, conf_level)
    conf_level = first.conf_level
    if not (first.N and second.N):
        nan = float("nan")
        return RateDifference(first, second, nan, nan, nan, conf_level)
    d = first.rate - second.rate
    low = d - np.sqrt((first.rate - first.ci_low) ** 2 + (second.ci_high - second.rate) ** 2)
    high = d + np.sqrt((first.ci_high - first.rate) ** 2 + (second.rate - second.ci_low) ** 2)
    return RateDifference(first, second, d, low, high, conf_level)


def holm(p_values: Any) -> np.ndarray:
    """Holm's step-down adjustment of a family of p-values (R ``p.adjust(p, "holm")``).

    Parameters
    ----------
    p_values : array-like of float
        The unadjusted p-values of the family, in any order; NaN values are left out of the
        family and stay NaN (as R with ``n = sum(!is.na(p))``).

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the order given: the k-th smallest of m is multiplied by
        ``m - k + 1``, made non-decreasing in that order, and capped at 1 [1]_. It controls the
        family-wise error rate under any dependence between the tests.

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       Scandinavian Journal of Statistics 6(2), 65-70.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=float).ravel()
    if ((p < 0) | (p > 1)).any():
        raise StatsInputError(f"p_values must lie in [0, 1], got {_show(p)}")
    out = np.full(p.shape, np.nan)
    known = np.flatnonzero(~np.isnan(p))
    m = known.size
    if m == 0:
        return out
    order = known[np.argsort(p[known], kind="stable")]
    scaled = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out[order] = scaled
    return out


def _check_table(table: Any) -> np.ndarray:
    try:
        arr = np.asarray(table)
    except (TypeError, ValueError):  # ragged input
        raise StatsInputError(
            f"table must be a 2 x 2 array of counts, got {_show(table)}"
        ) from None
    if arr.shape != (2, 2):
        raise StatsInputError(f"table must be a 2 x 2 array of counts, got shape {arr.shape}")
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise StatsInputError(f"table must hold non-negative integer counts, got {_show(arr)}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr != np.round(arr)):
        raise StatsInputError(f"table must hold non-negative integer counts, got {_show(arr)}")
    return arr.astype(np.int64)


def fisher_2x2(table: Any, *, conf_level: float = 0.95, odds_ratio: bool = True) -> FisherResult:
    """Fisher's exact test of a 2 x 2 table, with the conditional MLE odds ratio.

    Parameters
    ----------
    table : array-like of int, shape = (2, 2)
        Counts ``[[a, b], [c, d]]``; rows are groups, columns outcome (yes, no) or the reverse.
    conf_level : float, optional, default: 0.95
        Confidence level of the odds-ratio interval.
    odds_ratio : bool, optional, default: True
        Compute the conditional odds ratio and its interval (NaN when False). The interval is
        found by root search over the non-central hypergeometric distribution, which takes
        seconds for tables of tens of thousands of patients; skip it when only p is needed.

    Returns
    -------
    FisherResult
        Two-sided p-value, conditional MLE odds ratio and its exact confidence interval.

    Raises
    ------
    StatsInputError
        If ``table`` is not a 2 x 2 array of non-negative integer counts.

    Notes
    -----
    The p-value is scipy ``fisher_exact(table, alternative="two-sided")``: the sum of the
    hypergeometric probabilities of all tables with the observed margins that are not more
    likely than the observed table (with a small relative tolerance, as R). The odds ratio is
    the conditional maximum-likelihood estimate with the exact conditional interval of
    Cornfield, ``scipy.stats.contingency.odds_ratio(kind="conditional")``, which is what R
    ``fisher.test`` reports; scipy's ``fisher_exact`` statistic is the sample odds ratio and is
    not used. R finds the interval limits with ``uniroot`` at its default tolerance, so large
    upper limits differ from ours in the third significant digit (TeaTasting: R 621.93, exact
    626.24).

    References
    ----------
    .. [1] Fisher, R. A. (1935). The logic of inductive inference. JRSS 98(1), 39-82.
    .. [2] Cornfield, J. (1956). A statistical problem arising from retrospective studies.
       Proc. Third Berkeley Symp. 4, 135-148.

    Examples
    --------
    >>> r = fisher_2x2([[3, 1], [1, 3]])
    >>> round(r.p_value, 4), round(r.odds_ratio, 3)
    (0.4857, 6.408)
    """
    from scipy import stats
    from scipy.stats.contingency import odds_ratio as _odds_ratio

    arr = _check_table(table)
    conf_level = _check_conf_level(conf_level)
    p = stats.fisher_exact(arr, alternative="two-sided").pvalue
    estimate, low, high = float("nan"), float("nan"), float("nan")
    if odds_ratio:
        res = _odds_ratio(arr, kind="conditional")
        ci = res.confidence_interval(confidence_level=conf_level)
        estimate, low, high = res.statistic, ci.low, ci.high
    return FisherResult(
        p_value=min(float(p), 1.0),
        odds_ratio=estimate,
        ci_low=low,
        ci_high=high,
        table=tuple(tuple(int(v) for v in row) for row in arr),
        conf_level=conf_level,
    )


def compare_proportions(success: Any, group: Any, *, conf_level: float = 0.95) -> pd.DataFrame:
    """Proportions with exact CIs per group, and a test of equality.

    Parameters
    ----------
    success : array-like of {0, 1} or bool, shape = (n_samples,)
        Outcome of each patient (1 = success, e.g. complete remission). No missing values: an
        outcome that is not known must be resolved (e.g. counted as failure) before this call.
    group : array-like, shape = (n_samples,)
        Group label of each patient. Missing labels (None, NaN, pd.NA) are excluded.
    conf_level : float, optional, default: 0.95
        Confidence level of the Clopper-Pearson intervals.

    Returns
    -------
    pandas.DataFrame
        One row per group level, levels in sorted order (order of first appearance when the
        labels cannot be sorted), columns ``level, n, N, rate, ci_low, ci_high``.
        ``DataFrame.attrs`` holds ``test_name`` (str), ``statistic`` (float, NaN for Fisher),
        ``p_value`` (float) and ``n_missing`` (int, patients excluded for a missing group).

    Raises
    ------
    StatsInputError
        If ``success`` is not 0/1, lengths differ, or fewer than two groups remain.

    Notes
    -----
    With two groups the test is Fisher's exact test (:func:`fisher_2x2`). With more groups it is
    Pearson's chi-square test of the k x 2 table without continuity correction, labelled
    ``"Pearson chi-square"`` (scipy has no exact r x c test); with the small counts of a
    single-arm trial it is approximate and should be read as descriptive. Per-group intervals
    are from :func:`exact_ci`.

    Examples
    --------
    >>> df = compare_proportions([1, 1, 0, 1, 0, 0], ["a", "a", "a", "b", "b", None])
    >>> df[["level", "n", "N"]].to_dict("list")
    {'level': ['a', 'b'], 'n': [2, 1], 'N': [3, 2]}
    >>> df.attrs["n_missing"]
    1
    """
    from scipy import stats

    conf_level = _check_conf_level(conf_level)
    s = _as_1d(success, "success")
    g = _as_1d(group, "group")
    if s.size != g.size:
        raise StatsInputError(
            f"success and group must have the same length, got {s.size} and {g.size}"
        )
    if s.dtype == bool:
        s = s.astype(np.int64)
    if s.dtype == object or not np.issubdtype(s.dtype, np.number):
        raise StatsInputError(f"success must be 0/1 or bool, got {_show(s)}")
    bad = ~np.isin(s, (0, 1))
    if bad.any():
        raise StatsInputError(f"success must be 0/1 or bool, got {_show(s[bad])}")
    missing = np.asarray(pd.isna(g), dtype=bool)
    s, g = s[~missing].astype(np.int64), g[~missing]
    levels = pd.Index(pd.unique(g)).tolist()
    try:
        levels = sorted(levels)
    except TypeError:
        pass
    if len(levels) < 2:
        raise StatsInputError(
            f"group must have at least two non-missing levels, got {levels!r}"
        )
    rows = []
    for level in levels:
        k = g == level
        prop = exact_ci(int(s[k].sum()), int(k.sum()), conf_level)
        rows.append({"level": level, "n": prop.n, "N": prop.N, "rate": prop.rate,
                     "ci_low": prop.ci_low, "ci_high": prop.ci_high})
    out = pd.DataFrame(rows)
    table = np.column_stack([out["n"].to_numpy(), (out["N"] - out["n"]).to_numpy()])
    if len(levels) == 2:
        test_name, statistic = "Fisher exact", float("nan")
        p_value = fisher_2x2(table, odds_ratio=False).p_value
    else:
        test_name = "Pearson chi-square"
        if (table.sum(axis=0) == 0).any():
            statistic, p_value = float("nan"), float("nan")
        else:
            chi = stats.chi2_contingency(table, correction=False)
            statistic, p_value = float(chi.statistic), float(chi.pvalue)
    out.attrs.update(test_name=test_name, statistic=statistic, p_value=float(p_value),
                     n_missing=int(missing.sum()))
    return out
