"""Words of the course-of-each-patient figure and of the drawing rules of every curve.

The figure (:func:`~blina_analysis.report.figures.swimmer_plot`) draws one lane per patient up to
:data:`~blina_analysis.report.figures.swimmer.MAX_LANES` patients and the Aalen–Johansen state
occupation above; these sentences say which one this build shows and why, and the methods say
once how curves are cut and where their numbers at risk are.
"""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.i18n import _, ngettext
from blina_analysis.definitions import AT_RISK_EVERY_MONTHS, MIN_AT_RISK_SHOWN, RESPONSE_LANDMARK_DAYS
from blina_analysis.report import fmt
from blina_analysis.report.figures.swimmer import MAX_LANES

__all__ = ["course_text", "curve_rule"]


def course_text(an: Analysis) -> str:
    """Which view of the course of each patient this build shows (lanes or state occupation)."""
    n = an.n("all")
    day = fmt.number(RESPONSE_LANDMARK_DAYS)
    if n <= MAX_LANES:
        return _("Each patient has a lane, sorted by follow-up, longest first, marked with "
                 "response, MRD negativity, no response at the assessment on day {day}, "
                 "allo-HSCT, relapse and death. The lanes carry times from the start of "
                 "blinatumomab only, no identifier and no date. A build of more than {max} "
                 "patients shows instead the Aalen\u2013Johansen probability of each state "
                 "over time.").format(day=day, max=fmt.number(MAX_LANES))
    return ngettext(
        "With {n} patient, more than {max}, one lane per patient would not be readable: the "
        "figure shows, for each cohort, the Aalen\u2013Johansen probability of being in each "
        "state over time (response not yet assessed, in response, no response at the "
        "assessment on day {day}, allo-HSCT, relapse and death), which, unlike the share of the "
        "patients still followed, is not distorted by censoring.",
        "With {n} patients, more than {max}, one lane per patient would not be readable: the "
        "figure shows, for each cohort, the Aalen\u2013Johansen probability of being in each "
        "state over time (response not yet assessed, in response, no response at the "
        "assessment on day {day}, allo-HSCT, relapse and death), which, unlike the share of the "
        "patients still followed, is not distorted by censoring.", n).format(
        n=fmt.number(n), max=fmt.number(MAX_LANES), day=day)


def curve_rule() -> str:
    """How every survival and incidence curve is drawn: cut, axis, numbers at risk."""
    # TRANSLATORS: {n} and {months} are the book's constants (5 patients, every 6 months)
    return _("Curves are drawn solid, with their confidence band, while at least {n} patients "
             "are at risk, and thin and dotted while fewer are; a curve whose patients enter "
             "late (Simon\u2013Makuch) starts with its first patient. The axis ends at the "
             "longest follow-up, and the numbers at risk are given every {months} "
             "months.").format(n=fmt.number(MIN_AT_RISK_SHOWN),
                               months=fmt.number(AT_RISK_EVERY_MONTHS))
