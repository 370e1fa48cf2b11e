"""The relapsed/refractory chapter: response, MRD negativity, subgroups, survival."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.analyses.summaries import NO_TEST_FEW_PATIENTS, curve_comparison
from blina_analysis.definitions import (
    EVENTS_PER_VARIABLE,
    MIN_EVENTS_FOR_TEST,
    MIN_PATIENTS_FOR_TEST,
    TWO_YEARS_DAYS,
    subgroup,
)
from blina_analysis.errors import NoInformation
from blina_analysis.i18n import _, ngettext
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival, course
from blina_analysis.report.text.reasons import (
    _subgroup_words,
    chapter_without_results,
    empty_population,
    explain,
    in_sentence,
)
from blina_analysis.report.text._no_test import no_test, why_no_test
from blina_analysis.report.text._say import and_join, or_reason, sentences
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values", "response", "response_short", "mrd_negativity", "subgroup_rate",
           "subgroup_rate_n", "subgroup_p", "blasts_cutoff", "category", "pending_sentence",
           "mrd_breakdown", "not_yet_assessed", "subgroup_clauses", "subgroups_text",
           "response_text", "survival_text", "by_response_text", "REPORTED_SUBGROUPS",
           "subgroup_difference", "subgroup_test", "mrd_negativity_all_treated", "timing_text",
           "response_state_sentence", "hazard_ratio_clause",
           "prior_hsct_survival_text", "hsct_censored_text", "comparison_text"]

#: The subgroups the paper reports, in its order: (code, first level, second level).
REPORTED_SUBGROUPS = (("cytogenetic", "standard", "high"),
                      ("blasts", "low", "high"),
                      ("prior_hsct", "yes", "no"))
#: A confidence interval at least this wide (a fraction) is called wide.
_WIDE_CI = 0.2


def blasts_cutoff() -> str:
    """``"50%"``: the marrow-blast cut-off of the subgroup analysis."""
    cutoff = float(subgroup("blasts").cutoff)
    return f"{fmt.number(cutoff, 0 if cutoff.is_integer() else 1)}%"


def not_yet_assessed(an: Analysis, pop: str, column: str) -> str:
    """``"; 3 not yet assessed"`` to close a rate's parenthesis, or nothing when there are none
    (so that wherever a rate is quoted, its denominator's exclusions are too)."""
    n = an.n_pending(pop, column)
    return "; " + _("{n} not yet assessed").format(n=n) if n else ""


def response(an: Analysis) -> str:
    """``"29/43 (67%; 95% CI 51–81%)"``: CR/CRh in the R/R group."""
    _require_assessed(an, "rr", "hematologic_response")
    rr = an.rr_response
    return (f"{fmt.n_of(rr.n, rr.N)} ({fmt.rate_ci(rr, an.conf_level)}"
            f"{not_yet_assessed(an, 'rr', 'hematologic_response')})")


def response_short(an: Analysis) -> str:
    _require_assessed(an, "rr", "hematologic_response")
    rr = an.rr_response
    return (f"{fmt.n_of(rr.n, rr.N)} ({fmt.pct(rr.rate)}"
            f"{not_yet_assessed(an, 'rr', 'hematologic_response')})")


def mrd_negativity(an: Analysis) -> str:
    """MRD negativity among the R/R responders, with its interval."""
    _require_assessed(an, "rr_responders", "mrd_response")
    p = an.rr_mrd_negativity
    return f"{fmt.n_of(p.n, p.N)} ({fmt.rate_ci(p, an.conf_level)})"


def mrd_negativity_all_treated(an: Analysis) -> str:
    """MRD-negative responders among all R/R patients treated: ``"24/43 (56%; 95% CI …)"``."""
    p = an.rr_mrd_negativity_all_treated
    return f"{fmt.n_of(p.n, p.N)} ({fmt.rate_ci(p, an.conf_level)})"


def timing_text(an: Analysis) -> str:
    """Time to response, CR/CRh by the two-cycle assessment, and duration of response."""
    an.require("rr")
    t = an.response_timing("rr")  # NoInformation: no responder
    by = t.by_landmark
    assessed = dict(day=fmt.number(t.landmark_days), n_of=fmt.n_of(by.n, by.N),
                    rate=fmt.rate_ci(by, an.conf_level))
    if t.n_responders == 1:  # a median and a range of one time say nothing more than the time
        head = _("The only responder reached CR/CRh {months} months after the start of "
                 "blinatumomab. CR/CRh recorded within two cycles (by day {day}, the response "
                 "assessment) was reached by {n_of} ({rate}) of the R/R patients assessed.").format(
            months=fmt.months(t.median_days), **assessed)
    else:
        head = _("Responders reached CR/CRh a median of {median} months (range {low}–{high}) "
                 "after the start of blinatumomab. CR/CRh recorded within two cycles (by day "
                 "{day}, the response assessment) was reached by {n_of} ({rate}) of the R/R "
                 "patients assessed.").format(
            median=fmt.months(t.median_days), low=fmt.months(t.min_days),
            high=fmt.months(t.max_days), **assessed)
    dor = t.duration
    median = fmt.median_ci(dor.median, an.conf_level)
    if dor.n_events == 0:
        duration = ngettext(
            "Duration of response (DOR), from the date of CR/CRh to relapse or death, censored "
            "at last contact: median {median}, with no relapse or death among {n} responder.",
            "Duration of response (DOR), from the date of CR/CRh to relapse or death, censored "
            "at last contact: median {median}, with no relapse or death among {n} responders.",
            dor.n).format(median=median, n=fmt.number(dor.n))
    else:
        # TRANSLATORS: {events} is a whole clause: "3 relapses or deaths"
        events = ngettext("{n} relapse or death", "{n} relapses or deaths",
                          dor.n_events).format(n=fmt.number(dor.n_events))
        duration = ngettext(
            "Duration of response (DOR), from the date of CR/CRh to relapse or death, censored "
            "at last contact: median {median}, with {events} among {n} responder.",
            "Duration of response (DOR), from the date of CR/CRh to relapse or death, censored "
            "at last contact: median {median}, with {events} among {n} responders.",
            dor.n).format(median=median, events=events, n=fmt.number(dor.n))
    return sentences(head, duration)


def _require_assessed(an: Analysis, pop: str, column: str) -> None:
    """NoInformation when ``pop`` is empty or none of it has ``column`` assessed yet."""
    an.require(pop)
    if an.n_pending(pop, column) == an.n(pop):
        raise NoInformation("none_assessed", pop=pop)


def category(an: Analysis, pop: str, column: str, code: str) -> str:
    """``"26/43 (60%; 95% CI 44–75%)"``: one response category among the patients assessed."""
    p = an.response_rate(pop, column, code)
    return f"{fmt.n_of(p.n, p.N)} ({fmt.rate_ci(p, an.conf_level)})"


def mrd_breakdown(an: Analysis, pop: str) -> str:
    """``"MRD positive in 5, not assessed in 0"``: the MRD results other than negativity."""
    t = an.response_table(pop, "mrd_response").set_index("code")["n"]
    return _("MRD positive in {positive}, not assessed in {not_assessed}").format(
        positive=int(t['positive']), not_assessed=int(t['not assessed']))


def pending_sentence(an: Analysis, pop: str, column: str, who: str) -> str:
    """How many of ``pop`` have ``column`` not yet assessed (``pending``), as a sentence that is
    also true when there are none.

    ``who`` says whose result is pending: ``"rr"`` (an R/R patient's response), ``"mrd"`` (an
    MRD+ patient's response) or ``"rr_responders"`` (an R/R responder's MRD status).
    """
    n = an.n_pending(pop, column)
    if who == "rr":
        if n == 0:
            return _("No R/R patient's response is still pending.")
        text = ngettext(
            "{n} R/R patient whose response is not yet assessed (still on treatment) is left "
            "out of the denominators and kept in the survival analyses.",
            "{n} R/R patients whose response is not yet assessed (still on treatment) are left "
            "out of the denominators and kept in the survival analyses.", n)
    elif who == "mrd":
        if n == 0:
            return _("No MRD+ patient's response is still pending.")
        text = ngettext(
            "{n} MRD+ patient whose response is not yet assessed (still on treatment) is left "
            "out of the denominators and kept in the survival analyses.",
            "{n} MRD+ patients whose response is not yet assessed (still on treatment) are left "
            "out of the denominators and kept in the survival analyses.", n)
    elif who == "rr_responders":
        if n == 0:
            return _("No R/R responder's MRD status is still pending.")
        text = ngettext(
            "{n} R/R responder whose MRD status is not yet assessed (still on treatment) is left "
            "out of the denominators and kept in the survival analyses.",
            "{n} R/R responders whose MRD status is not yet assessed (still on treatment) are "
            "left out of the denominators and kept in the survival analyses.", n)
    else:
        raise ValueError(f"no words for the pending results of {who!r}")
    return text.format(n=n)


def subgroup_rate(an: Analysis, code: str, level: str) -> str:
    """``"74%"``: CR/CRh in one level of a subgroup (codes of ``definitions.subgroups``)."""
    return fmt.pct(an.subgroup_rate(code, level).rate)


def subgroup_rate_n(an: Analysis, code: str, level: str) -> str:
    """``"19/26, 73%"``."""
    p = an.subgroup_rate(code, level)
    return f"{fmt.n_of(p.n, p.N)}, {fmt.pct(p.rate)}"  # no words


def subgroup_p(an: Analysis, code: str) -> str:
    """The Holm-adjusted p-value of one subgroup variable (Fisher's exact test), or why it has
    none (``"no test: the smallest group has 3 patients, …"``)."""
    row = _subgroup_head(an, code)
    if row["not_tested"] is not None:
        return no_test(row["not_tested"], _OUTCOMES)
    return fmt.p_value(row["p_holm"])


def subgroup_difference(an: Analysis, code: str) -> str:
    """``"difference +14 percentage points, 95% CI −13 to +41"``: first level minus second."""
    row = _subgroup_head(an, code)
    return _("difference {difference} percentage points, {level} {low} to {high}").format(
        difference=fmt.signed(100 * row['difference']), level=fmt._level(an.conf_level),
        low=fmt.signed(100 * row['diff_ci_low']), high=fmt.signed(100 * row['diff_ci_high']))


def subgroup_test(an: Analysis, code: str, first: bool = True) -> str:
    """The difference and its test for one subgroup variable, for a parenthesis:
    ``"difference +14 percentage points, 95% CI −13 to +41; p = 1.000, Fisher's exact test,
    Holm-adjusted"`` (``first``: name the test)."""
    row = _subgroup_head(an, code)
    test = subgroup_p(an, code)
    if first and row["not_tested"] is None:
        test = _("{p}, Fisher's exact test, Holm-adjusted").format(p=test)
    return f"{subgroup_difference(an, code)}; {test}"


#: The outcomes of a comparison of response rates, as :func:`~._no_test.no_test` names them.
_OUTCOMES = "outcome"


def _subgroup_head(an: Analysis, code: str):
    """The first row of subgroup ``code`` in :meth:`Analysis.subgroup_response` (it carries the
    difference and the test); NoInformation when the subgroup is not compared."""
    reason = an.subgroup_reason(code)
    if reason:
        raise reason
    sub = an.subgroup_response()
    return sub[sub["code"] == code].iloc[0]


def _blasts_unknown(an: Analysis) -> str:
    sub = an.subgroup_response()
    missing = sub.loc[sub["code"] == "blasts", "n_missing"] if len(sub) else []
    return str(int(missing.iloc[0])) if len(missing) else "0"


def subgroup_clauses(an: Analysis, rate=subgroup_rate_n) -> tuple[list[str], list[str]]:
    """The reported subgroups that can be compared, as clauses (``"19/26, 73% with standard and
    10/17, 59% with high cytogenetic risk"``), and the reasons for those that cannot."""
    shapes = {
        "cytogenetic": _("{first} with standard and {second} with high cytogenetic risk"),
        "blasts": _("{first} with fewer than {cutoff} marrow blasts and {second} with more"),
        "prior_hsct": _("{first} after a prior allo-HSCT and {second} without"),
    }
    clauses, unknown, single = [], [], []
    for code, first, second in REPORTED_SUBGROUPS:
        state = an.subgroup_state(code)
        if state == "empty":
            return [], [explain(an.subgroup_reason(code))]
        if state == "compared":
            clauses.append(shapes[code].format(first=rate(an, code, first),
                                               second=rate(an, code, second),
                                               cutoff=blasts_cutoff()))
        heading, _level = _subgroup_words(code, None)
        (unknown if state == "unknown" else single if state == "single" else []).append(
            in_sentence(heading))
    reasons = []
    if unknown:
        reasons.append(ngettext(
            "{variables} is unknown for every R/R patient of this dataset.",
            "{variables} are unknown for every R/R patient of this dataset.",
            len(unknown)).format(variables=_capital(and_join(unknown))))
    if single:
        reasons.append(ngettext(
            "{variables} takes a single value among the R/R patients of this dataset, so "
            "response cannot be compared by it.",
            "{variables} each take a single value among the R/R patients of this dataset, so "
            "response cannot be compared by them.",
            len(single)).format(variables=_capital(and_join(single))))
    return clauses, reasons


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def subgroups_text(an: Analysis) -> str:
    """The subgroup paragraph: rates, differences with their intervals, Holm-adjusted p-values
    where a test is allowed, what cannot be compared, and why there is no multivariable model."""
    an.require("rr")
    clauses, reasons = subgroup_clauses(an)
    tests = []
    for code, *_levels in REPORTED_SUBGROUPS:
        if an.subgroup_reason(code) is None:
            test = subgroup_test(an, code, first=not tests)
            if code == "blasts":
                test += "; " + _("blasts unknown in {n}").format(n=_blasts_unknown(an))
            tests.append(test)
    body = "; ".join(f"{c} ({t})" for c, t in zip(clauses, tests))
    rows = an.subgroup_response()
    return sentences(_("The CR/CRh rate was {subgroups}.").format(subgroups=body) if body
                     else None, *reasons,
                     _method_sentence(an) if len(rows) else None,
                     _model_sentence(an) if len(rows) else None)


def _method_sentence(an: Analysis) -> str:
    """How the differences and p-values of the subgroup table are made, and what is
    exploratory."""
    rows = an.subgroup_response()
    heads = rows.drop_duplicates("code")
    n_tested = int(heads["p_holm"].notna().sum())
    exploratory = [in_sentence(_subgroup_words(code, None)[0]) for code in
                   heads.loc[heads["exploratory"].astype(bool), "code"]]
    parts = [_("Differences are the first level's rate minus the second's, with Newcombe's "
               "hybrid score interval")]
    if n_tested:
        parts.append(ngettext(
            "p-values are from Fisher's exact test, Holm-adjusted over the {n} subgroup variable "
            "tested",
            "p-values are from Fisher's exact test, Holm-adjusted over the {n} subgroup "
            "variables tested", n_tested).format(n=n_tested))
    untested = len(heads) - n_tested
    if untested:
        parts.append(ngettext(
            "{n} variable has no test (fewer than {min} patients in a group or in the rarer "
            "outcome)",
            "{n} variables have no test (fewer than {min} patients in a group or in the rarer "
            "outcome)", untested).format(n=untested, min=fmt.number(MIN_PATIENTS_FOR_TEST)))
    text = "; ".join(parts) + "."
    if exploratory:
        text += " " + ngettext(
            "{variables} is exploratory: the paper did not analyse it.",
            "{variables} are exploratory: the paper did not analyse them.",
            len(exploratory)).format(variables=_capital(and_join(exploratory)))
    return text


def _model_sentence(an: Analysis) -> str | None:
    """Why there is no multivariable model of response (events per variable)."""
    room = an.subgroup_model_room()
    if room.candidates < 2:
        return None
    epv = fmt.number(EVENTS_PER_VARIABLE)
    # TRANSLATORS: a whole clause, "12 patients in the rarer outcome"
    rarer = ngettext("{n} patient in the rarer outcome", "{n} patients in the rarer outcome",
                     room.events).format(n=room.events)
    if room.terms_allowed < room.candidates:
        return ngettext(
            "No multivariable model was fitted: with {rarer} (response or none), {epv} events "
            "per term allow {terms} term, fewer than the {candidates} variables the paper "
            "analysed.",
            "No multivariable model was fitted: with {rarer} (response or none), {epv} events "
            "per term allow {terms} terms, fewer than the {candidates} variables the paper "
            "analysed.", room.terms_allowed).format(
            rarer=rarer, epv=epv, terms=room.terms_allowed,
            candidates=fmt.number(room.candidates))
    return _("A multivariable model of the {candidates} variables the paper analysed would stay "
             "within {epv} events per term ({rarer}); it is not part of this book's analysis "
             "plan, so the differences above are unadjusted.").format(
        candidates=fmt.number(room.candidates), epv=epv, rarer=rarer)


def response_text(an: Analysis) -> str:
    """CR/CRh in the R/R group by category, those pending, and MRD negativity of responders."""
    an.require("rr")
    hem = "hematologic_response"
    pending = pending_sentence(an, "rr", hem, "rr")
    rr = or_reason(lambda: _(
        "Complete remission (CR or CRh) was achieved in {response} patients: CR in {cr} and CRh "
        "in {crh}. There was no response (NR) in {nr}, and the response was not evaluable (NE) "
        "in {ne}; NE counts as no response.").format(
        response=response(an), cr=category(an, 'rr', hem, 'CR'),
        crh=category(an, 'rr', hem, 'CRh'), nr=category(an, 'rr', hem, 'NR'),
        ne=category(an, 'rr', hem, 'NE')))
    if an.n("rr_responders") == 0:
        return sentences(rr, pending)
    mrd = or_reason(lambda: _(
        "MRD negativity was reached by {negative} of the responders ({breakdown}; MRD not "
        "assessed is its own category and counts as not negative), that is by {of_all} of all "
        "R/R patients treated.").format(
        negative=mrd_negativity(an), breakdown=mrd_breakdown(an, 'rr_responders'),
        of_all=mrd_negativity_all_treated(an)))
    return sentences(rr, pending, mrd, pending_sentence(
        an, "rr_responders", "mrd_response", "rr_responders"))


def survival_text(an: Analysis) -> str:
    """2-year OS and EFS of the R/R group from day 1, and RFS of its responders from response."""
    an.require("rr")
    cohort = _survival.endpoints_at(
        an, "rr", ("OS", "EFS"), TWO_YEARS_DAYS,
        _("In the R/R group, counted from day 1 of blinatumomab, 2-year OS was {os} and 2-year "
          "EFS {efs} (no CR/CRh counts as an event on day 1)."),
        _("In the R/R group, 2-year OS and EFS, counted from day 1 of blinatumomab, were {na}."))
    if an.n("rr_responders") == 0:
        return sentences(cohort, empty_population("rr_responders"))
    n = an.n("rr_responders")
    responders = _survival.endpoints_at(
        an, "rr_responders", ("RFS",), TWO_YEARS_DAYS,
        ngettext("Counted from the response, the 2-year relapse-free survival (RFS) of the {n} "
                 "R/R responder was {rfs}.",
                 "Counted from the response, the 2-year relapse-free survival (RFS) of the {n} "
                 "R/R responders was {rfs}.", n).format(n=n, rfs="{rfs}"),
        ngettext("Counted from the response, the 2-year relapse-free survival (RFS) of the {n} "
                 "R/R responder was {na}.",
                 "Counted from the response, the 2-year relapse-free survival (RFS) of the {n} "
                 "R/R responders was {na}.", n).format(n=n, na="{na}"))
    return sentences(cohort, responders)


def comparison_text(cmp, what: str, first: str, second: str, conf_level: float,
                    days: float) -> str:
    """``"By prior allo-HSCT, 2-year OS from day 1 was X in the 15 patients treated after one
    and Y in the 28 without (p = …, log-rank)"`` of a
    :class:`~blina_analysis.analyses.summaries.CurveComparison` of two populations, with the
    reason when there is no test.

    ``what``, ``first`` and ``second`` name the comparison: only ``"prior_hsct"``, ``"after"``,
    ``"without"`` have words (R/R patients by prior allo-HSCT, 2-year OS).
    """
    if (what, first, second) != ("prior_hsct", "after", "without"):
        raise ValueError(f"no words for the comparison {(what, first, second)!r}")
    one, other = cmp.groups
    if cmp.p_value is not None:
        test = _survival.log_rank(cmp.p_value)
    elif cmp.no_test == NO_TEST_FEW_PATIENTS:
        test = " " + _("(no test: fewer than {min} patients in a group)").format(
            min=MIN_PATIENTS_FOR_TEST)
    else:
        test = " " + _("(no test: fewer than {min} events in all)").format(
            min=MIN_EVENTS_FOR_TEST)
    # TRANSLATORS: {first} and {second} are the two groups' readings, each a whole clause
    first_reading = ngettext("{estimate} in the {n} patient treated after one",
                             "{estimate} in the {n} patients treated after one", one.n).format(
        estimate=_survival.estimate(one.estimate, days, conf_level), n=one.n)
    second_reading = ngettext("{estimate} in the {n} patient without",
                              "{estimate} in the {n} patients without", other.n).format(
        estimate=_survival.estimate(other.estimate, days, conf_level), n=other.n)
    return _("By prior allo-HSCT, 2-year OS from day 1 was {first} and {second}{test}").format(
        first=first_reading, second=second_reading, test=test)


def prior_hsct_survival_text(an: Analysis) -> str:
    """2-year OS of the R/R group by prior allo-HSCT, from day 1, with a log-rank test when the
    groups are large enough."""
    an.require("rr")
    cmp = curve_comparison(an, ("rr_prior_hsct", "rr_no_prior_hsct"), "OS", TWO_YEARS_DAYS)
    if len(cmp.groups) == 1:
        if cmp.groups[0].pop == "rr_prior_hsct":
            return _("Every R/R patient was treated after a prior allo-HSCT, so overall survival "
                     "cannot be compared by prior allo-HSCT.")
        return _("Every R/R patient was treated without a prior allo-HSCT, so overall survival "
                 "cannot be compared by prior allo-HSCT.")
    body = comparison_text(cmp, "prior_hsct", "after", "without", an.conf_level,
                           TWO_YEARS_DAYS)
    return f"{body}."


def hsct_censored_text(an: Analysis) -> str:
    """Sensitivity: RFS of the R/R responders from response, an allo-HSCT after blinatumomab
    censoring."""
    an.require("rr_responders")
    n = int(an.patients("rr_responders")["hsct_after_bc"].sum())
    if n == 0:
        return _("No R/R responder was transplanted after blinatumomab, so censoring at "
                 "transplant changes nothing.")
    return _survival.endpoints_at(
        an, "rr_responders", ("RFS_HSCT", "RFS"), TWO_YEARS_DAYS,
        ngettext("As a sensitivity analysis, with an allo-HSCT after blinatumomab censoring the "
                 "time ({n} R/R responder transplanted), 2-year RFS from response was "
                 "{rfs_hsct}, against {rfs} without censoring.",
                 "As a sensitivity analysis, with an allo-HSCT after blinatumomab censoring the "
                 "time ({n} R/R responders transplanted), 2-year RFS from response was "
                 "{rfs_hsct}, against {rfs} without censoring.", n).format(
            n=n, rfs_hsct="{rfs_hsct}", rfs="{rfs}"),
        _("As a sensitivity analysis, with an allo-HSCT after blinatumomab censoring the time, "
          "2-year RFS from response was {na}."))


def by_response_text(an: Analysis) -> str:
    """Overall survival by response without guarantee-time bias: time-dependent Cox hazard
    ratio with the Mantel–Byar test, and the landmark."""
    an.require("rr")
    state = or_reason(lambda: response_state_sentence(an))
    return sentences(state, or_reason(lambda: _landmark_sentence(an)))


def response_state_sentence(an: Analysis, pop: str = "rr", endpoint: str = "OS",
                            event: str = "death", who: str = "R/R patients",
                            state: str = "response") -> str:
    """The comparison by response as a time-dependent state: ``"With response as a
    time-dependent state …, the hazard of death after response was HR 0.43 (95% CI 0.19–0.95)
    times the hazard before or without it (time-dependent Cox model; Mantel–Byar test
    p = 0.032)."``, or the counts and why there is no test.

    Only overall survival of the R/R group by response has words (``pop`` ``"rr"``, ``endpoint``
    ``"OS"``, ``event`` ``"death"``, ``who`` ``"R/R patients"``, ``state`` ``"response"``)."""
    if (pop, endpoint, event, who, state) != ("rr", "OS", "death", "R/R patients", "response"):
        raise ValueError(f"no words for the comparison by response of {pop!r}, {endpoint!r}")
    s = an.response_state(pop, endpoint)  # NoInformation: nothing to compare
    if s.not_tested is not None:
        # TRANSLATORS: a whole clause, "of 3 deaths"
        deaths = ngettext("of {n} death", "of {n} deaths", s.events).format(n=s.events)
        counts = dict(n=s.n_responded, never=fmt.number(s.n_never), of_deaths=deaths,
                      after=fmt.number(s.events_after_response),
                      reason=why_no_test(s.not_tested, "death"))
        if s.n_never == 0:
            return _("With response as a time-dependent state (each patient counted as not yet "
                     "responding until the day of response), every R/R patient ({n}) responded; "
                     "{of_deaths}, {after} came after response. The comparison is described "
                     "without a test: {reason}.").format(**counts)
        return ngettext(
            "With response as a time-dependent state (each patient counted as not yet "
            "responding until the day of response), {n} of the R/R patients responded and "
            "{never} did not; {of_deaths}, {after} came after response. The comparison is "
            "described without a test: {reason}.",
            "With response as a time-dependent state (each patient counted as not yet "
            "responding until the day of response), {n} of the R/R patients responded and "
            "{never} did not; {of_deaths}, {after} came after response. The comparison is "
            "described without a test: {reason}.", s.n_responded).format(**counts)
    test = fmt.p_value(s.mantel_byar.p_value)
    if not s.cox.estimable:
        return _("With response as a time-dependent state (each patient counted as not yet "
                 "responding until the day of response), the hazard ratio of the time-dependent "
                 "Cox model was not estimable (every event fell in one state; Mantel–Byar test "
                 "{p}).").format(p=test)
    row = s.cox.table.iloc[0]
    return _("With response as a time-dependent state (each patient counted as not yet "
             "responding until the day of response), the hazard of death after response was HR "
             "{hr} ({level} {interval}) times the hazard before or without it (time-dependent "
             "Cox model; Mantel–Byar test {p}).").format(
        hr=fmt.number(row['hr'], 2), level=fmt._level(an.conf_level),
        interval=fmt.ci(row['hr_ci_low'], row['hr_ci_high'], 2, percent=False), p=test)


def hazard_ratio_clause(an: Analysis, pop: str, endpoint: str, events: str) -> str:
    """``"HR 0.60 (95% CI 0.18–2.07; Mantel–Byar test p = 0.418)"`` for the responded state
    against not (yet) responded, or ``"not tested: …"``; NoInformation when nothing can be
    compared. ``events`` is a kind of :data:`~._no_test.EVENT_KINDS`."""
    s = an.response_state(pop, endpoint)
    if s.not_tested is not None:
        return _("not tested ({reason})").format(reason=why_no_test(s.not_tested, events))
    test = _("Mantel–Byar test {p}").format(p=fmt.p_value(s.mantel_byar.p_value))
    if not s.cox.estimable:
        return _("not estimable ({test})").format(test=test)
    row = s.cox.table.iloc[0]
    return _("HR {hr} ({level} {interval}; {test})").format(
        hr=fmt.number(row['hr'], 2), level=fmt._level(an.conf_level),
        interval=fmt.ci(row['hr_ci_low'], row['hr_ci_high'], 2, percent=False), test=test)


def of_them_responders(n: int) -> str:
    """``"24 of them responders"``, ``"1 of them a responder"``, ``"none of them a
    responder"``."""
    if n == 0:
        return _("none of them a responder")
    return ngettext("{n} of them a responder", "{n} of them responders", n).format(n=n)


def _landmark_sentence(an: Analysis) -> str:
    lm = _survival.response_landmark(an, "rr", "OS")  # NoInformation: nobody in follow-up
    alive = ngettext("{n} R/R patient was alive and in follow-up",
                     "{n} R/R patients were alive and in follow-up", lm.n_at_risk).format(
        n=lm.n_at_risk)
    return _("At a landmark on day {day}, the response assessment, {alive}, {of_them} by then; "
             "counted from the landmark, {comparison}.").format(
        day=_survival.response_landmark_days(), alive=alive,
        of_them=of_them_responders(lm.n_responders),
        comparison=_survival.by_group(lm, "median OS", an.conf_level))


def overview(an: Analysis) -> str:
    n = an.n("rr")
    if n == 0:
        return chapter_without_results("rr")
    return ngettext("Response, MRD negativity, response by subgroup and survival of the {n} "
                    "patient with relapsed or refractory disease.",
                    "Response, MRD negativity, response by subgroup and survival of the {n} "
                    "patients with relapsed or refractory disease.", n).format(n=fmt.number(n))


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    return {
        "course_text": course.course_text(an),
        "rr_by_response_text": or_reason(lambda: by_response_text(an)),
        "rr_overview": overview(an),
        "rr_response_text": or_reason(lambda: response_text(an)),
        "rr_response_timing_text": or_reason(lambda: timing_text(an)),
        "rr_subgroups_text": or_reason(lambda: subgroups_text(an)),
        "rr_survival_text": or_reason(lambda: survival_text(an)),
        "rr_prior_hsct_os_text": or_reason(lambda: prior_hsct_survival_text(an)),
        "rr_hsct_censored_text": or_reason(lambda: hsct_censored_text(an)),
    }
