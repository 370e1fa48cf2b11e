"""The methods chapter: the definitions in force, the data of this build and the follow-up."""

from __future__ import annotations

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
from blina_analysis.report.text import edition, reasons
from blina_analysis.report.text.transplant import _days_list
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values", "median_followup", "followup_sentence", "assumptions"]


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
        "data_description": edition.data_description(an),
        "days_per_month": fmt.number(DAYS_PER_MONTH, 4),
        "default_landmark_days": str(LANDMARK_DAYS),
        "followup_sentence": followup_sentence(
            an, "Median follow-up, by the reverse Kaplan–Meier method,"),
        "landmark_sensitivity_days": _days_list(LANDMARK_SENSITIVITY_DAYS),
        "one_year_days": str(ONE_YEAR_DAYS),
        "response_landmark_days": str(RESPONSE_LANDMARK_DAYS),
        "two_years_days": str(TWO_YEARS_DAYS),
    }
