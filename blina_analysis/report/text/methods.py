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
from blina_analysis.i18n import N_, _, ngettext, pgettext
from blina_analysis.report import fmt
from blina_analysis.report.text import course, edition, reasons
from blina_analysis.report.text._say import or_reason as _or_reason
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
    # TRANSLATORS: the numbers are the book's definitions: {month_days} 30.4375, {one_months} 12,
    # {one_days} 365.25, {two_months} 24, {two_days} 730.5, {last_day} 730, {min_days} 366
    return _("A time named in months is that many months of {month_days} days, in the text, the "
             "tables and the figures alike: a \u201c1-year\u201d rate is the estimate at "
             "{one_months} months ({one_days} days), a \u201c2-year\u201d rate the estimate at "
             "{two_months} months ({two_days} days), and the number at risk at a time, in a table "
             "or under a figure, is the number of patients whose time to the event or to "
             "censoring is at least that time. Times being whole days, the estimate at "
             "{two_months} months is the curve at the end of day {last_day}, and the number at "
             "risk at {one_months} months counts the patients with at least {min_days} "
             "days.").format(
        month_days=_days(DAYS_PER_MONTH), one_months=fmt.months(one, 0), one_days=_days(one),
        two_months=fmt.months(two, 0), two_days=_days(two),
        last_day=fmt.number(math.floor(two)), min_days=fmt.number(math.ceil(one)))


def rounding_sentence(n: int = 21, total: int = 40, small: int = 1, of: int = 33) -> str:
    """How numbers are rounded, with worked examples computed by :mod:`~blina_analysis.report.fmt`:
    ``n/total``, a percentage ending in a half, and ``small/of``, a percentage below 10% that
    keeps one decimal (:func:`~blina_analysis.report.fmt.pct_decimals`)."""
    rate = n / total
    half_to_even = round(100 * rate)  # Python's round, like R's round() and formatC()
    return _("Numbers are computed unrounded and rounded only where they are shown, halves up "
             "(away from zero): {n_of} = {exact} is shown as {rounded}, where rounding a half to "
             "the even digit, as R\u2019s round() and formatC() do, would give {even}%. "
             "Percentages are whole from {limit}% up and have one decimal below it, and so has "
             "each confidence limit below {limit}%: {small_of} is {small_pct}. A p-value too "
             "small to show reads \u201c{smallest_p}\u201d.").format(
        n_of=fmt.n_of(n, total), exact=fmt.pct(rate, 1), rounded=fmt.pct(rate),
        even=fmt.number(half_to_even), limit=fmt.ONE_DECIMAL_BELOW_PERCENT,
        small_of=fmt.n_of(small, of), small_pct=fmt.pct(small / of), smallest_p=fmt.p_value(0.0))


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

    ``lead`` names the median follow-up (translated by the caller). The reverse Kaplan–Meier
    median is read off the follow-up of the patients alive at last contact only, so the sentence
    says how many they are and how long each was followed.
    """
    try:
        fu = an.followup_summary()
        median = an.followup()
    except NoInformation as exc:
        return reasons.explain(exc)
    alive = fu.n_censored
    values = dict(lead=lead, median=fmt.months(median.time), n=fmt.number(alive),
                  low=fmt.months(fu.min_censored), high=fmt.months(fu.max_censored))
    # TRANSLATORS: {lead} is "Median follow-up (reverse Kaplan–Meier)" or "Median follow-up, by
    # the reverse Kaplan–Meier method,"; {median}, {low} and {high} are months
    if alive == 1:
        return _("{lead} was {median} months; it rests on the 1 patient alive at last contact, "
                 "followed for {low} months.").format(**values)
    if fu.min_censored == fu.max_censored:
        return ngettext("{lead} was {median} months; it rests on the {n} patient alive at last "
                        "contact, followed for {low} months.",
                        "{lead} was {median} months; it rests on the {n} patients alive at last "
                        "contact, followed for {low} months.", alive).format(**values)
    return ngettext("{lead} was {median} months; it rests on the {n} patient alive at last "
                    "contact, followed for {low} to {high} months.",
                    "{lead} was {median} months; it rests on the {n} patients alive at last "
                    "contact, followed for {low} to {high} months.", alive).format(**values)


#: Month names, for the accrual period (a month and a year: never a day, an individual date).
MONTH_NAMES = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
               N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
               N_("December"))


def month_year(year_month: tuple[int, int]) -> str:
    """``(2016, 3)`` as ``"March 2016"``."""
    year, month = year_month
    return _("{month} {year}").format(month=_(MONTH_NAMES[month - 1]), year=year)


def _month_from(month: int) -> str:
    """The month after "from" (a language may decline it: «с октября»)."""
    return (pgettext("from month", "January"), pgettext("from month", "February"),
            pgettext("from month", "March"), pgettext("from month", "April"),
            pgettext("from month", "May"), pgettext("from month", "June"),
            pgettext("from month", "July"), pgettext("from month", "August"),
            pgettext("from month", "September"), pgettext("from month", "October"),
            pgettext("from month", "November"), pgettext("from month", "December"))[month - 1]


def _month_in(month: int) -> str:
    """The month after "in" (a language may decline it: «в апреле»)."""
    return (pgettext("in month", "January"), pgettext("in month", "February"),
            pgettext("in month", "March"), pgettext("in month", "April"),
            pgettext("in month", "May"), pgettext("in month", "June"),
            pgettext("in month", "July"), pgettext("in month", "August"),
            pgettext("in month", "September"), pgettext("in month", "October"),
            pgettext("in month", "November"), pgettext("in month", "December"))[month - 1]


def accrual(an: Analysis) -> str:
    """``"from March 2016 to June 2017"``: the months of the first and the last start."""
    fc = an.followup_completeness()
    (first_year, first), (last_year, last) = fc.first_start, fc.last_start
    if (first_year, first) == (last_year, last):
        return _("in {month} {year}").format(month=_month_in(first), year=first_year)
    # TRANSLATORS: {first_month} follows "from", {last_month} "to"
    return _("from {first_month} {first_year} to {last_month} {last_year}").format(
        first_month=_month_from(first), first_year=first_year, last_month=_(MONTH_NAMES[last - 1]),
        last_year=last_year)


def completeness_sentence(an: Analysis) -> str:
    """Accrual, completeness of follow-up (Clark's C) and the patients lost to follow-up."""
    fc = an.followup_completeness()  # NoInformation: nobody treated
    if fc.n == 1:
        started = _("The patient started blinatumomab {accrual}.").format(accrual=accrual(an))
    else:
        started = ngettext("The {n} patient started blinatumomab {accrual}.",
                           "The {n} patients started blinatumomab {accrual}.", fc.n).format(
            n=fmt.number(fc.n), accrual=accrual(an))
    if math.isnan(fc.completeness):
        complete = reasons.explain(NoInformation("no_potential_followup"))
    else:
        complete = _("Follow-up to the data cut-off ({cutoff}) was {pct} complete (Clark's C: the "
                     "person-time observed over the person-time that could have been observed up "
                     "to the cut-off, a death ending both).").format(
            cutoff=fmt.date(an.dataset.meta.cutoff_date), pct=fmt.pct(fc.completeness))
    months = fmt.number(LOST_TO_FOLLOWUP_MONTHS)
    if fc.n_alive == 0:
        lost = _("No patient was alive at last contact, so none was lost to follow-up.")
    elif fc.n_lost == 0:
        lost = _("No patient alive at last contact was lost to follow-up (last seen more than "
                 "{months} months before the cut-off).").format(months=months)
    elif fc.n_alive == 1:
        lost = _("The 1 patient alive at last contact was lost to follow-up: last seen more than "
                 "{months} months before the cut-off.").format(months=months)
    else:
        alive = ngettext("the {n} patient alive at last contact",
                         "the {n} patients alive at last contact", fc.n_alive).format(
            n=fmt.number(fc.n_alive))
        # TRANSLATORS: {alive} is "the 12 patients alive at last contact"
        lost = ngettext("{lost} of {alive} was lost to follow-up: last seen more than {months} "
                        "months before the cut-off.",
                        "{lost} of {alive} were lost to follow-up: last seen more than {months} "
                        "months before the cut-off.", fc.n_lost).format(
            lost=fmt.number(fc.n_lost), alive=alive, months=months)
    return f"{started} {complete} {lost}"


def assumptions(an: Analysis) -> list[str]:
    """The reconstruction's assumptions when the data are the shipped reconstruction, else none."""
    if edition.source_kind(an) != edition.SHIPPED:
        return []
    return [_(text) for text in synthetic.assumptions()]


def dataset_identity(an: Analysis) -> str:
    """Name, version, cut-off, counts and fingerprint of the dataset of this build."""
    meta = an.dataset.meta
    n_mrd = int((an.adsl["group"] == "MRD").sum())
    n_rr = int((an.adsl["group"] == "RR").sum())
    n_all, n_ae = an.n("all"), len(an.dataset.adverse_events)
    patients = ngettext("{n} treated patient", "{n} treated patients", n_all).format(
        n=fmt.number(n_all))
    events = (_("no adverse event") if n_ae == 0 else
              ngettext("{n} adverse event", "{n} adverse events", n_ae).format(
                  n=fmt.number(n_ae)))
    # TRANSLATORS: {patients} is "66 treated patients", {events} "152 adverse events" or "no
    # adverse event"; {fingerprint} the first 16 hexadecimal digits of the SHA-256
    return _("This build reads the dataset \u201c{name}\u201d, version {version}, with data "
             "cut-off {cutoff}. It holds {patients} ({n_mrd} MRD+, {n_rr} R/R) and {events}. "
             "Its fingerprint, the SHA-256 of its three files, begins {fingerprint}; every page "
             "names it in its footer.").format(
        name=meta.name, version=meta.version, cutoff=fmt.date(meta.cutoff_date),
        patients=patients, n_mrd=fmt.number(n_mrd), n_rr=fmt.number(n_rr), events=events,
        fingerprint=an.dataset.fingerprint[:16])


def dataset_description(an: Analysis) -> str:
    """The dataset's own description (``dataset.yaml``), quoted."""
    text = " ".join(an.dataset.meta.description.split())
    return _("Its description reads: \u201c{text}\u201d").format(text=text)


def reading_report(an: Analysis) -> list[str]:
    """How each table file was read (delimiter, encoding, decimal comma, date forms or Excel
    workbook), as ``blina validate`` prints it."""
    return [form.describe() for form in an.dataset.forms]


def flow_note(an: Analysis) -> str:
    """What the flow diagram can show of the patients before treatment."""
    sc = an.screening()
    parts = []
    if sc.screened is None:
        parts.append(_("Screening and exclusions before enrolment are not recorded in this "
                       "dataset."))
    else:
        excluded = sum(n for _reason, n in sc.excluded)
        screened = ngettext("{n} patient screened", "{n} patients screened",
                            sc.screened).format(n=fmt.number(sc.screened))
        if excluded == 0:
            parts.append(_("Of {screened}, none were excluded before enrolment.").format(
                screened=screened))
        else:
            parts.append(ngettext("Of {screened}, {excluded} was excluded before enrolment.",
                                  "Of {screened}, {excluded} were excluded before enrolment.",
                                  excluded).format(screened=screened,
                                                   excluded=fmt.number(excluded)))
    if sc.not_treated:
        n = sc.enrolled - sc.treated
        if n == 0:
            parts.append(_("All {enrolled} enrolled started blinatumomab.").format(
                enrolled=fmt.number(sc.enrolled)))
        else:
            parts.append(_("Of {enrolled} enrolled, {n} never started blinatumomab.").format(
                enrolled=fmt.number(sc.enrolled), n=fmt.number(n)))
    else:
        parts.append(_("Patients enrolled but never treated are not recorded, so the flow "
                       "diagram counts the treated patients as enrolled."))
    return " ".join(parts)


def ph_status_note(an: Analysis) -> str:
    """Whether Table 1 can show Ph status (it shows it only when the data record it)."""
    known = int(an.adsl["ph_status"].notna().sum())
    if known == 0:
        return _("Ph status (BCR::ABL1) is not recorded in this dataset, so Table 1 has no row "
                 "for it.")
    n = an.n("all")
    if known == n:
        return _("Ph status (BCR::ABL1) is recorded for every patient.")
    # TRANSLATORS: {n_of} is "12/66"
    return _("Ph status (BCR::ABL1) is recorded for {n_of} patients; the others are counted as "
             "missing in Table 1.").format(n_of=fmt.n_of(known, n))


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
        "transplant_exposure": _("The transplant exposure is {exposure}.").format(
            exposure=_(TRANSPLANT_EXPOSURE)),
        "followup_sentence": followup_sentence(
            an, _("Median follow-up, by the reverse Kaplan–Meier method,")),
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
    # TRANSLATORS: the numbers are the book's definitions: {patients} 5, {events} 5, {per_term} 10
    return _("No comparison is tested on a handful: a group of fewer than {patients} patients, "
             "or a comparison with fewer than {events} events (for response rates, patients in "
             "the rarer outcome, response or none), is described without a p-value, and the "
             "text says why. A multivariable model may have one term per {per_term} events of "
             "its rarer outcome.").format(patients=fmt.number(MIN_PATIENTS_FOR_TEST),
                                          events=fmt.number(MIN_EVENTS_FOR_TEST),
                                          per_term=fmt.number(EVENTS_PER_VARIABLE))
