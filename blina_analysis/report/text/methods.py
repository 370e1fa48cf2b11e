"""The methods chapter: the definitions in force, the data of this build and the follow-up."""

from __future__ import annotations

import math
from statistics import NormalDist

from blina_analysis.analyses import Analysis
from blina_analysis.data import synthetic
from blina_analysis.definitions import (
    EVENTS_PER_VARIABLE,
    MIN_EVENTS_FOR_TEST,
    MIN_PATIENTS_FOR_TEST,
    DAYS_PER_MONTH,
    EVENTS_PER_TERM,
    LANDMARK_DAYS,
    LANDMARK_SENSITIVITY_DAYS,
    LOST_TO_FOLLOWUP_MONTHS,
    ONE_YEAR_DAYS,
    RESPONSE_LANDMARK_DAYS,
    TRANSPLANT_EXPOSURE,
    TWO_YEARS_DAYS,
)
from blina_analysis.errors import NoInformation
from blina_analysis.report import fmt
from blina_analysis.report.text import course, edition, reasons
from blina_analysis.report.text._say import or_reason as _or_reason
from blina_analysis.report.text._say import plural
from blina_analysis.report.text.transplant import _days_list
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values", "median_followup", "followup_sentence", "assumptions", "accrual",
           "completeness_sentence", "month_year", "MONTH_NAMES",
           "time_points_sentence", "rounding_sentence", "normal_quantile", "dataset_identity",
           "dataset_description", "reading_report", "ph_status_note"]


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
    """``f"{lead} was 14.2 months; it rests on the 19 patients alive at last contact, followed
    for 1.4 to 53.9 months."``, or why the median follow-up cannot be estimated.

    The reverse Kaplan–Meier median is read off the follow-up of the patients alive at last
    contact only, so the sentence says how many they are and how long each was followed.
    """
    try:
        fu = an.followup_summary()
        median = an.followup()
    except NoInformation as exc:
        return reasons.explain(exc)
    alive = fu.n_censored
    who = ("the 1 patient alive at last contact, followed for" if alive == 1 else
           f"the {fmt.number(alive)} patients alive at last contact, followed for")
    span = (fmt.months(fu.min_censored) if alive == 1 or fu.min_censored == fu.max_censored
            else f"{fmt.months(fu.min_censored)} to {fmt.months(fu.max_censored)}")
    return f"{lead} was {fmt.months(median.time)} months; it rests on {who} {span} months."


#: Month names, for the accrual period (a month and a year: never a day, an individual date).
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def month_year(year_month: tuple[int, int]) -> str:
    """``(2016, 3)`` as ``"March 2016"``."""
    year, month = year_month
    return f"{MONTH_NAMES[month - 1]} {year}"


def accrual(an: Analysis) -> str:
    """``"from March 2016 to June 2017"``: the months of the first and the last start."""
    fc = an.followup_completeness()
    first, last = month_year(fc.first_start), month_year(fc.last_start)
    return f"in {first}" if first == last else f"from {first} to {last}"


def completeness_sentence(an: Analysis) -> str:
    """Accrual, completeness of follow-up (Clark's C) and the patients lost to follow-up."""
    fc = an.followup_completeness()  # NoInformation: nobody treated
    cutoff = f"{an.dataset.meta.cutoff_date:%Y-%m-%d}"
    started = (f"The {fmt.number(fc.n)} patients started blinatumomab {accrual(an)}"
               if fc.n != 1 else f"The patient started blinatumomab {accrual(an)}")
    if math.isnan(fc.completeness):
        complete = reasons.explain(NoInformation("no_potential_followup"))
    else:
        complete = (f"Follow-up to the data cut-off ({cutoff}) was {fmt.pct(fc.completeness)} "
                    "complete (Clark's C: the person-time observed over the person-time that "
                    "could have been observed up to the cut-off, a death ending both).")
    months = fmt.number(LOST_TO_FOLLOWUP_MONTHS)
    if fc.n_alive == 0:
        lost = "No patient was alive at last contact, so none was lost to follow-up."
    elif fc.n_lost == 0:
        lost = (f"No patient alive at last contact was lost to follow-up (last seen more than "
                f"{months} months before the cut-off).")
    else:
        who = ("The 1 patient alive at last contact was" if fc.n_alive == 1 else
               f"{fmt.number(fc.n_lost)} of the {fmt.number(fc.n_alive)} patients alive at last "
               f"contact {'was' if fc.n_lost == 1 else 'were'}")
        lost = (f"{who} lost to follow-up: last seen more than {months} months before the "
                "cut-off.")
    return f"{started}. {complete} {lost}"


def assumptions(an: Analysis) -> list[str]:
    """The reconstruction's assumptions when the data are the shipped reconstruction, else none."""
    return synthetic.assumptions() if edition.source_kind(an) == edition.SHIPPED else []


def dataset_identity(an: Analysis) -> str:
    """Name, version, cut-off, counts and fingerprint of the dataset of this build."""
    meta = an.dataset.meta
    n_mrd = int((an.adsl["group"] == "MRD").sum())
    n_rr = int((an.adsl["group"] == "RR").sum())
    n_ae = len(an.dataset.adverse_events)
    return (f"This build reads the dataset \u201c{meta.name}\u201d, version {meta.version}, "
            f"with data cut-off {meta.cutoff_date:%Y-%m-%d}. It holds {fmt.number(an.n('all'))} "
            f"treated {plural(an.n('all'), 'patient', 'patients')} ({fmt.number(n_mrd)} MRD+, "
            f"{fmt.number(n_rr)} R/R) and {fmt.number(n_ae)} adverse "
            f"{plural(n_ae, 'event', 'events')}. Its fingerprint, the SHA-256 of its three files, "
            f"begins {an.dataset.fingerprint[:16]}; every page names it in its footer.")


def dataset_description(an: Analysis) -> str:
    """The dataset's own description (``dataset.yaml``), quoted."""
    text = " ".join(an.dataset.meta.description.split())
    return f"Its description reads: \u201c{text}\u201d"


def reading_report(an: Analysis) -> list[str]:
    """How each table file was read (delimiter, encoding, decimal comma, date forms or Excel
    workbook), as ``blina validate`` prints it."""
    return [form.describe() for form in an.dataset.forms]


def flow_note(an: Analysis) -> str:
    """What the flow diagram can show of the patients before treatment."""
    sc = an.screening()
    parts = []
    if sc.screened is None:
        parts.append("Screening and exclusions before enrolment are not recorded in this "
                     "dataset.")
    else:
        excluded = sum(n for _, n in sc.excluded)
        parts.append(f"Of {fmt.number(sc.screened)} {plural(sc.screened, 'patient', 'patients')} "
                     f"screened, {fmt.number(excluded) if excluded else 'none'} "
                     f"{plural(excluded, 'was', 'were')} excluded before enrolment.")
    if sc.not_treated:
        n = sc.enrolled - sc.treated
        parts.append(f"Of {fmt.number(sc.enrolled)} enrolled, {fmt.number(n)} never started "
                     f"blinatumomab.")
    else:
        parts.append("Patients enrolled but never treated are not recorded, so the flow diagram "
                     "counts the treated patients as enrolled.")
    return " ".join(parts)


def ph_status_note(an: Analysis) -> str:
    """Whether Table 1 can show Ph status (it shows it only when the data record it)."""
    known = int(an.adsl["ph_status"].notna().sum())
    if known == 0:
        return ("Ph status (BCR::ABL1) is not recorded in this dataset, so Table 1 has no row "
                "for it.")
    n = an.n("all")
    if known == n:
        return "Ph status (BCR::ABL1) is recorded for every patient."
    return (f"Ph status (BCR::ABL1) is recorded for {fmt.n_of(known, n)} patients; the others "
            f"are counted as missing in Table 1.")


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    # the definitions are glued so that the methods text cannot drift from the code
    return {
        "conf_level": fmt.pct(an.conf_level),
        "curve_rule": course.curve_rule(),
        "data_description": edition.data_description(an),
        "dataset_description": dataset_description(an),
        "dataset_identity": dataset_identity(an),
        "ph_status_note": ph_status_note(an),
        "flow_note": flow_note(an),
        "days_per_month": fmt.number(DAYS_PER_MONTH, 4),
        "default_landmark_days": str(LANDMARK_DAYS),
        "events_per_term": str(EVENTS_PER_TERM),
        "transplant_exposure": f"The transplant exposure is {TRANSPLANT_EXPOSURE}.",
        "followup_sentence": followup_sentence(
            an, "Median follow-up, by the reverse Kaplan–Meier method,"),
        "followup_completeness": _or_reason(lambda: completeness_sentence(an)),
        "lost_to_followup_months": fmt.number(LOST_TO_FOLLOWUP_MONTHS),
        "landmark_sensitivity_days": _days_list(LANDMARK_SENSITIVITY_DAYS),
        "conf_z": fmt.number(normal_quantile(an.conf_level), 2),
        "response_landmark_days": str(RESPONSE_LANDMARK_DAYS),
        "rounding": rounding_sentence(),
        "time_points": time_points_sentence(),
        "test_rule": test_rule_sentence(),
    }


def test_rule_sentence() -> str:
    """The rule of a test and the events-per-variable limit, from the definitions."""
    return (f"No comparison is tested on a handful: a group of fewer than "
            f"{fmt.number(MIN_PATIENTS_FOR_TEST)} patients, or a comparison with fewer than "
            f"{fmt.number(MIN_EVENTS_FOR_TEST)} events (for response rates, patients in the "
            "rarer outcome, response or none), is described without a p-value, and the text "
            "says why. A multivariable model may have one term per "
            f"{fmt.number(EVENTS_PER_VARIABLE)} events of its rarer outcome.")
