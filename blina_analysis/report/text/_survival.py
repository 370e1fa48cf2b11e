"""Survival phrases shared by several pages: estimates at a time, tests, the response landmark."""

from __future__ import annotations

import math

from blina_analysis.analyses import Analysis
from blina_analysis.analyses.summaries import (
    GroupReading,
    ResponseLandmarkSummary,
    response_landmark_summary,
)
from blina_analysis.definitions import RESPONSE_LANDMARK_DAYS
from blina_analysis.i18n import _
from blina_analysis.report import fmt
from blina_analysis.report.text._no_test import no_test

__all__ = ["at", "at_short", "chisq_test", "response_landmark", "group_reading", "by_group",
           "log_rank", "landmark_note",
           "response_landmark_days", "not_estimable", "estimate", "os_and_dfs", "endpoints_at",
           "incidences_at"]


def not_estimable(days: float) -> str:
    """Why a curve cannot be read at ``days``: it ends, censored, before that time."""
    return _("not estimable (no patient followed to {months} months)").format(
        months=fmt.months(days, 0))


def estimate(e, days: float, conf_level: float, short: bool = False) -> str:
    """An :class:`~blina_analysis.stats.Estimate` as text, or :func:`not_estimable`."""
    if math.isnan(e.estimate):
        return fmt.term(fmt.NOT_ESTIMABLE) if short else not_estimable(days)
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
        return fmt.term(fmt.NOT_ESTIMABLE)
    return f"χ² = {fmt.number(test.statistic, 2)}, {fmt.p_value(test.p_value)}"


def response_landmark_days() -> str:
    """The landmark of the comparisons by response, in days from the start."""
    return fmt.number(RESPONSE_LANDMARK_DAYS)


def response_landmark(an: Analysis, pop: str, endpoint: str, days: int | None = None
                      ) -> ResponseLandmarkSummary:
    """The landmark comparison by response at the response assessment, as values (see
    :func:`~blina_analysis.analyses.summaries.response_landmark_summary`).

    Raises :class:`~blina_analysis.errors.NoInformation` when ``pop`` is empty or nobody is in
    follow-up at the landmark.
    """
    return response_landmark_summary(an, pop, endpoint, days)


def group_reading(reading: GroupReading | None, conf_level: float) -> str:
    """One group of a landmark comparison: its median (``"14.2 months (95% CI 8.1–NE)"``) or
    its estimate, or "not estimable" when the group is empty."""
    if reading is None:
        return fmt.term(fmt.NOT_ESTIMABLE)
    if reading.estimate is not None:
        return fmt.estimate_ci(reading.estimate, conf_level)
    return fmt.median_ci(reading.median, conf_level)


def by_group(lm: ResponseLandmarkSummary, what: str, conf_level: float) -> str:
    """``"median OS was X in responders and Y in the others (p = …, log-rank)"``; when one group
    is empty, only the other's reading (``"their median OS was X"``): nothing is compared.

    ``what`` is ``"median OS"`` or ``"DFS"``, the reading compared (each a clause of its own in
    the catalogs)."""
    resp = group_reading(lm.responders, conf_level)
    others = group_reading(lm.others, conf_level)
    median_os = what == "median OS"
    if what not in ("median OS", "DFS"):
        raise ValueError(f"no words for comparing {what!r} by response; 'median OS' or 'DFS'")
    if lm.responders is None or lm.others is None:
        value = others if lm.responders is None else resp
        return (_("their median OS was {value}") if median_os else
                _("their DFS was {value}")).format(value=value)
    if lm.not_tested is not None:
        return (_("median OS was {responders} in responders and {others} in the others "
                  "({no_test})") if median_os else
                _("DFS was {responders} in responders and {others} in the others "
                  "({no_test})")).format(responders=resp, others=others,
                                         no_test=no_test(lm.not_tested, _EVENTS))
    return (_("median OS was {responders} in responders and {others} in the others"
              "{log_rank}") if median_os else
            _("DFS was {responders} in responders and {others} in the others{log_rank}")
            ).format(responders=resp, others=others, log_rank=log_rank(lm.p_value))


#: The events of a survival comparison, as :func:`~._no_test.no_test` names them.
_EVENTS = "event"


def landmark_note(an: Analysis, pop: str, endpoint: str) -> str | None:
    """The note of a landmark figure: ``"p = 0.199 (log-rank)"``, or the reason for no test, or
    None when one group is empty."""
    lm = response_landmark_summary(an, pop, endpoint)
    if lm.not_tested is not None:
        return no_test(lm.not_tested, _EVENTS)
    return None if lm.p_value is None else _("{p} (log-rank)").format(p=fmt.p_value(lm.p_value))


def log_rank(p_value: float | None) -> str:
    """`` (p = 0.012, log-rank)`` to follow a comparison, or nothing when there is no test."""
    return "" if p_value is None else " " + _("({p}, log-rank)").format(p=fmt.p_value(p_value))


def endpoints_at(an: Analysis, pop: str, endpoints: tuple[str, ...], days: float, each: str,
                 none: str, short: bool = False) -> str:
    """``each`` filled with the Kaplan–Meier estimates of ``endpoints`` in ``pop`` at ``days``
    (by name, ``{os}``, ``{efs}``, ``{rfs_hsct}``: each endpoint's code in lower case, and in
    order, ``{0}``, ``{1}``, …; each as its own endpoint's origin counts), or ``none`` filled
    with ``{na}`` ("not estimable (…)") when no curve reaches ``days``.

    Raises :class:`~blina_analysis.errors.NoInformation` when ``pop`` is empty.
    """
    estimates = [an.km(pop, endpoint).at(days) for endpoint in endpoints]
    if all(math.isnan(e.estimate) for e in estimates):
        return none.format(na=not_estimable(days))
    texts = [estimate(e, days, an.conf_level, short=short) for e in estimates]
    return each.format(*texts, **{endpoint.lower(): text
                                  for endpoint, text in zip(endpoints, texts)})


def incidences_at(an: Analysis, pop: str, days: float, short: bool = False) -> tuple[str, str]:
    """The cumulative incidences of relapse and of non-relapse mortality in ``pop`` (from
    response) at ``days``, as text (each "not estimable (…)" beyond follow-up)."""
    cif = an.cumulative_incidence(pop)
    return tuple(estimate(cif[cause].at(days), days, an.conf_level, short=short)
                 for cause in ("relapse", "non-relapse mortality"))


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
