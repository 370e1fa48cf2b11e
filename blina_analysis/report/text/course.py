"""Words of the course-of-each-patient figure and of the drawing rules of every curve.

The figure (:func:`~blina_analysis.report.figures.swimmer_plot`) draws one lane per patient up to
:data:`~blina_analysis.report.figures.swimmer.MAX_LANES` patients and the Aalen–Johansen state
occupation above; these sentences say which one this build shows and why, and the methods say
once how curves are cut and where their numbers at risk are.
"""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import AT_RISK_EVERY_MONTHS, MIN_AT_RISK_SHOWN, RESPONSE_LANDMARK_DAYS
from blina_analysis.report import fmt
from blina_analysis.report.figures.swimmer import MAX_LANES

__all__ = ["course_text", "curve_rule"]


def course_text(an: Analysis) -> str:
    """Which view of the course of each patient this build shows (lanes or state occupation)."""
    n = an.n("all")
    states = (f"no response at the assessment on day {fmt.number(RESPONSE_LANDMARK_DAYS)}, "
              "allo-HSCT, relapse and death")
    if n <= MAX_LANES:
        return (f"Each patient has a lane, sorted by follow-up, longest first, marked with "
                f"response, MRD negativity, {states}. The lanes carry times from the start of "
                f"blinatumomab only, no identifier and no date. A build of more than "
                f"{fmt.number(MAX_LANES)} patients shows instead the Aalen\u2013Johansen "
                f"probability of each state over time.")
    return (f"With {fmt.number(n)} patients, more than {fmt.number(MAX_LANES)}, one lane per "
            f"patient would not be readable: the figure shows, for each cohort, the "
            f"Aalen\u2013Johansen probability of being in each state over time (response not "
            f"yet assessed, in response, {states}), which, unlike the share of the patients "
            f"still followed, is not distorted by censoring.")


def curve_rule() -> str:
    """How every survival and incidence curve is drawn: cut, axis, numbers at risk."""
    return (f"Curves are drawn solid, with their confidence band, while at least "
            f"{fmt.number(MIN_AT_RISK_SHOWN)} patients are at risk, and thin and dotted while "
            f"fewer are; a curve whose patients enter late (Simon\u2013Makuch) starts with its "
            f"first patient. The axis ends at the longest follow-up, and the numbers at risk "
            f"are given every {fmt.number(AT_RISK_EVERY_MONTHS)} months.")
