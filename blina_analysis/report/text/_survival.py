"""Survival phrases shared by several pages: estimates at a time, tests, the response landmark."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.analyses.core import RESPONSE_LANDMARK_LABELS
from blina_analysis.definitions import RESPONSE_LANDMARK_DAYS
from blina_analysis.report import fmt
from blina_analysis.stats import StatsInputError

__all__ = ["at", "at_short", "chisq_test", "response_landmark",
           "response_landmark_days"]


def at(an: Analysis, pop: str, endpoint: str, days: int) -> str:
    """``"53% (95% CI 36–68%)"``: the Kaplan–Meier estimate of ``endpoint`` in ``pop`` at ``days``."""
    if an.n(pop) == 0:
        return fmt.NOT_AVAILABLE
    return fmt.estimate_ci(an.km(pop, endpoint).at(days), an.conf_level)


def at_short(an: Analysis, pop: str, endpoint: str, days: int) -> str:
    """``"53%"``: the estimate alone."""
    if an.n(pop) == 0:
        return fmt.NOT_AVAILABLE
    return fmt.estimate(an.km(pop, endpoint).at(days))


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
    except StatsInputError:  # nobody in follow-up at the landmark
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
