"""The methods chapter: the definitions in force, the data of this build and the follow-up."""

from __future__ import annotations

import math
from statistics import NormalDist

from blina_analysis.analyses import Analysis
from blina_analysis.data import synthetic
from blina_analysis.definitions import (
    DAYS_PER_MONTH,
    LANDMARK_DAYS,
    LANDMARK_SENSITIVITY_DAYS,
    ONE_YEAR_DAYS,
    RESPONSE_LANDMARK_DAYS,
    TWO_YEARS_DAYS,
)
from blina_analysis.errors import NoInformation
from blina_analysis.report import fmt
from blina_analysis.report.text import course, edition, reasons
from blina_analysis.report.text.transplant import _days_list
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values", "median_followup", "followup_sentence", "assumptions",
           "time_points_sentence", "rounding_sentence", "normal_quantile"]


def _days(days: float) -> str:
    """A time point in days as exactly as it is defined: ``"365.25"``, ``"730.5"``."""
    return fmt.number(days, 4).rstrip("0").rstrip(".")


def time_points_sentence() -> str:
    """What a time named in months is, in the text, the tables and the figures alike, and what
    the number at risk at that time counts (:func:`~blina_analysis.definitions.months_to_days`)."""
    one, two = ONE_YEAR_DAYS, TWO_YEARS_DAYS
    one_m, two_m = fmt.months(one, 0), fmt.months(two, 0)
    return (f"A time named in months is that many months of {_days(DAYS_PER_MONTH)} days, in the "
            f"text, the tables and the figures alike: a \u201c1-year\u201d rate is the estimate at "
            f"{one_m} months ({_days(one)} days), a \u201c2-year\u201d rate the estimate at {two_m} "
            f"months ({_days(two)} days), and the number at risk at a time, in a table or under a "
            f"figure, is the number of patients whose time to the event or to censoring is at "
            f"least that time. Times being whole days, the estimate at {two_m} months is the "
            f"curve at the end of day {fmt.number(math.floor(two))}, and the number at risk at "
            f"{one_m} months counts the patients with at least {fmt.number(math.ceil(one))} days.")


def rounding_sentence(n: int = 21, total: int = 40, small: int = 1, of: int = 33) -> str:
    """How numbers are rounded, with worked examples computed by :mod:`~blina_analysis.report.fmt`:
    ``n/total``, a percentage ending in a half, and ``small/of``, a percentage below 10% that
    keeps one decimal (:func:`~blina_analysis.report.fmt.pct_decimals`)."""
    rate = n / total
    half_to_even = round(100 * rate)  # Python's round, like R's round() and formatC()
    return (f"Numbers are computed unrounded and rounded only where they are shown, halves up "
            f"(away from zero): {fmt.n_of(n, total)} = {fmt.pct(rate, 1)} is shown as "
            f"{fmt.pct(rate)}, where rounding a half to the even digit, as R\u2019s round() and "
            f"formatC() do, would give {fmt.number(half_to_even)}%. Percentages are whole from "
            f"{fmt.ONE_DECIMAL_BELOW_PERCENT}% up and have one decimal below it, and so has each "
            f"confidence limit below {fmt.ONE_DECIMAL_BELOW_PERCENT}%: {fmt.n_of(small, of)} is "
            f"{fmt.pct(small / of)}. A p-value too small to show reads "
            f"\u201c{fmt.p_value(0.0)}\u201d.")


def normal_quantile(conf_level: float) -> float:
    """The standard normal quantile of a two-sided interval: 1.96 for 95%."""
    return NormalDist().inv_cdf(1 - (1 - conf_level) / 2)


def median_followup(an: Analysis) -> str:
    """Median follow-up (reverse Kaplan–Meier) in months, with the range of follow-up of the
    patients alive at last contact.

    Raises :class:`~blina_analysis.errors.NoInformation` when the population is empty.
    """
    return fmt.followup(an.followup_summary())


def followup_sentence(an: Analysis, lead: str) -> str:
    """``f"{lead} was 14.2 months (…)."``, or why the median follow-up cannot be estimated."""
    try:
        return f"{lead} was {median_followup(an)}."
    except NoInformation as exc:
        return reasons.explain(exc)


def assumptions(an: Analysis) -> list[str]:
    """The reconstruction's assumptions when the data are the shipped reconstruction, else none."""
    return synthetic.assumptions() if edition.source_kind(an) == edition.SHIPPED else []


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    # the definitions are glued so that the methods text cannot drift from the code
    return {
        "conf_level": fmt.pct(an.conf_level),
        "curve_rule": course.curve_rule(),
        "data_description": edition.data_description(an),
        "days_per_month": fmt.number(DAYS_PER_MONTH, 4),
        "default_landmark_days": str(LANDMARK_DAYS),
        "followup_sentence": followup_sentence(
            an, "Median follow-up, by the reverse Kaplan–Meier method,"),
        "landmark_sensitivity_days": _days_list(LANDMARK_SENSITIVITY_DAYS),
        "conf_z": fmt.number(normal_quantile(an.conf_level), 2),
        "response_landmark_days": str(RESPONSE_LANDMARK_DAYS),
        "rounding": rounding_sentence(),
        "time_points": time_points_sentence(),
    }
