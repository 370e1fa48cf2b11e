"""The product-limit engine: risk sets, life tables, Greenwood bands and the log-rank statistic.

Used for counting-process rows ``(start, stop]``, where a patient enters a risk set after time
zero (:mod:`~blina_analysis.stats.transplant`: Simon-Makuch curves, the Mantel-Byar test), which
lifelines does not handle as R does; right-censored curves and tests are lifelines'
(:mod:`~blina_analysis.stats.survival`), which borrows the risk-set count and the ``"log"`` and
``"plain"`` bands from here. Inputs are already-checked numpy arrays; the public estimators
check their arguments first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["n_at_risk", "confidence_bands", "life_table", "group_codes", "logrank_chisq"]


def n_at_risk(start: np.ndarray | None, stop: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Number of rows at risk at each time in ``t``.

    A row is at risk at ``t`` when ``start < t <= stop``; rows starting at 0 are at risk from
    0 inclusive (so an event at time 0 has a risk set, as in ``Surv(time, status)``).
    ``start`` is None for right-censored data (every row starts at 0).
    """
    stop_sorted = np.sort(stop)
    n = stop.size - np.searchsorted(stop_sorted, t, side="left")
    if start is not None:
        late = np.sort(start[start > 0])
        n = n - (late.size - np.searchsorted(late, t, side="left"))
    return n.astype(np.int64)


def confidence_bands(surv: np.ndarray, greenwood: np.ndarray, conf_type: str,
                     conf_level: float) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise limits from the Greenwood variance of log S (R ``survfit_confint``).

    (1, 1) where S = 1, NaN where S = 0 (as R), for every transform.
    """
    from scipy import stats

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


def life_table(
    stop: np.ndarray,
    event: np.ndarray,
    start: np.ndarray | None,
    conf_type: str,
    conf_level: float,
) -> pd.DataFrame:
    """Life table of the product-limit estimate, one row per distinct time.

    ``start`` is None for right-censored data, or the entry time of each (start, stop] row
    for counting-process data; entry times then get rows of their own (column ``n_enter``).
    Columns ``time, n_risk, n_event, n_censor[, n_enter], survival, std_err, ci_low,
    ci_high``; ``std_err = survival * sqrt(Greenwood sum)`` as R ``summary.survfit``.
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
    n_risk = n_at_risk(start, stop, times)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n_event > 0, 1.0 - n_event / np.maximum(n_risk, 1), 1.0)
        surv = np.cumprod(factor)
        term = np.where(
            n_event > 0, n_event / (n_risk * (n_risk - n_event).astype(float)), 0.0
        )
        greenwood = np.cumsum(term)
        std_err = surv * np.sqrt(greenwood)
    std_err[surv <= 0.0] = np.nan
    low, high = confidence_bands(surv, greenwood, conf_type, conf_level)
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


def group_codes(group: np.ndarray) -> tuple[np.ndarray, list]:
    """Integer codes 0..k-1 of the group labels, levels sorted when sortable."""
    try:
        codes, levels = pd.factorize(group, sort=True)
    except TypeError:
        codes, levels = pd.factorize(group, sort=False)
    return codes.astype(np.int64), pd.Index(levels).tolist()


def logrank_chisq(
    start: np.ndarray | None, stop: np.ndarray, event: np.ndarray, codes: np.ndarray, k: int
) -> tuple[float, int]:
    """Mantel-Haenszel log-rank chi-square and its degrees of freedom for k groups.

    ``(start, stop]`` rows allowed (risk sets as :func:`n_at_risk`), so a row's group may be
    a time-dependent state. NaN with 0 degrees of freedom when the variance is 0.
    """
    ev_times = np.unique(stop[event == 1])
    n = np.empty((ev_times.size, k))
    d = np.zeros((ev_times.size, k))
    for g in range(k):
        m = codes == g
        n[:, g] = n_at_risk(None if start is None else start[m], stop[m], ev_times)
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
