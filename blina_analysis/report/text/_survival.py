"""Survival phrases shared by several pages: estimates at a time, tests, the response landmark."""

from __future__ import annotations

import math

from blina_analysis.analyses import Analysis
from blina_analysis.analyses.core import RESPONSE_LANDMARK_LABELS
from blina_analysis.definitions import RESPONSE_LANDMARK_DAYS
from blina_analysis.errors import NoInformation
from blina_analysis.report import fmt
from blina_analysis.stats import StatsInputError

__all__ = ["at", "at_short", "chisq_test", "response_landmark",
           "response_landmark_days", "not_estimable", "estimate", "os_and_dfs"]


def not_estimable(days: float) -> str:
    """Why a curve cannot be read at ``days``: it ends, censored, before that time."""
    return f"not estimable (no patient followed to {fmt.months(days, 0)} months)"


def estimate(e, days: float, conf_level: float, short: bool = False) -> str:
    """An :class:`~blina_analysis.stats.Estimate` as text, or :func:`not_estimable`."""
    if math.isnan(e.estimate):
        return fmt.NOT_ESTIMABLE if short else not_estimable(days)
    if short:
        return fmt.estimate(e)
    return fmt.estimate_ci(e, conf_level)


def at(an: Analysis, pop: str, endpoint: str, days: int) -> str:
    """``"53% (95% CI 36–68%)"``: the Kaplan–Meier estimate of ``endpoint`` in ``pop`` at ``days``.

    Raises :class:`~blina_analysis.errors.NoInformation` when ``pop`` is empty.
    """
    return estimate(an.km(pop, endpoint).at(days), days, an.conf_level)


def at_short(an: Analysis, pop: str, endpoint: str, days: int) -> str:
    """``"53%"``: the estimate alone."""
    return estimate(an.km(pop, endpoint).at(days), days, an.conf_level, short=True)


def chisq_test(test) -> str:
    """``"χ² = 4.61, p = 0.032"``, or ``"not estimable"`` (e.g. nobody in one group)."""
    if test.df == 0 or test.statistic != test.statistic:
        return fmt.NOT_ESTIMABLE
    return f"χ² = {fmt.number(test.statistic, 2)}, {fmt.p_value(test.p_value)}"


def response_landmark_days() -> str:
    """The landmark of the comparisons by response, in days from the start."""
    return fmt.number(RESPONSE_LANDMARK_DAYS)


def response_landmark(an: Analysis, pop: str, endpoint: str, days: int | None = None
                      ) -> dict[str, str]:
    """Phrases of the landmark comparison by response at the response assessment.

    Keys ``n`` (patients in follow-up at the landmark), ``responders`` (of them, responders by
    then), ``p`` (log-rank), and per group (``resp``, ``nonresp``) the median from the landmark
    or, with ``days``, the estimate ``days`` after the landmark; "not estimable" where a group
    is empty or nobody is in follow-up at the landmark.
    """
    none = {"n": "0", "responders": "0", "p": fmt.NOT_ESTIMABLE,
            "resp": fmt.NOT_ESTIMABLE, "nonresp": fmt.NOT_ESTIMABLE}
    if an.n(pop) == 0:
        return none
    try:
        lm = an.response_landmark(pop, endpoint)
    except (StatsInputError, NoInformation):  # empty, or nobody in follow-up at the landmark
        return none
    out = {"n": str(lm.n_at_risk), "responders": str(lm.n_exposed),
           "p": fmt.p_value(lm.test.p_value) if lm.test.df else fmt.NOT_ESTIMABLE}
    for key, code in (("nonresp", 0), ("resp", 1)):
        curve = lm.curves.get(RESPONSE_LANDMARK_LABELS[code])
        if curve is None:
            out[key] = fmt.NOT_ESTIMABLE
        elif days is None:
            out[key] = fmt.median_ci(curve.median, an.conf_level)
        else:
            out[key] = fmt.estimate_ci(curve.at(days), an.conf_level)
    return out


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
