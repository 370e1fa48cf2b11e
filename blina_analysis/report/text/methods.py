"""The methods chapter: the definitions in force and the median follow-up."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import (
    DAYS_PER_MONTH,
    LANDMARK_DAYS,
    LANDMARK_SENSITIVITY_DAYS,
    ONE_YEAR_DAYS,
    RESPONSE_LANDMARK_DAYS,
    TWO_YEARS_DAYS,
)
from blina_analysis.report import fmt
from blina_analysis.report.text.transplant import _days_list

__all__ = ["values", "median_followup"]


def median_followup(an: Analysis) -> str:
    """Median follow-up (reverse Kaplan–Meier) in months, with the range of follow-up of the
    patients alive at last contact."""
    return fmt.followup(an.followup_summary())


def values(an: Analysis) -> dict[str, str]:
    # the definitions are glued so that the methods text cannot drift from the code
    return {
        "conf_level": fmt.pct(an.conf_level),
        "days_per_month": fmt.number(DAYS_PER_MONTH, 4),
        "default_landmark_days": str(LANDMARK_DAYS),
        "landmark_sensitivity_days": _days_list(LANDMARK_SENSITIVITY_DAYS),
        "median_followup": median_followup(an),
        "one_year_days": str(ONE_YEAR_DAYS),
        "response_landmark_days": str(RESPONSE_LANDMARK_DAYS),
        "two_years_days": str(TWO_YEARS_DAYS),
    }
