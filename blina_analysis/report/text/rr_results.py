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
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival, course
from blina_analysis.report.text.reasons import chapter_without_results, empty_population, explain
from blina_analysis.report.text._no_test import no_test, why_no_test
from blina_analysis.report.text._say import and_join, counted, of_them, or_reason, sentences
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
    return f"; {n} not yet assessed" if n else ""


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
    head = (f"Responders reached CR/CRh a median of {fmt.months(t.median_days)} months "
            f"(range {fmt.months(t.min_days)}–{fmt.months(t.max_days)}) after the start of "
            "blinatumomab. CR/CRh recorded within two cycles (by day "
            f"{fmt.number(t.landmark_days)}, the response assessment) was reached by "
            f"{fmt.n_of(by.n, by.N)} ({fmt.rate_ci(by, an.conf_level)}) of the R/R patients "
            "assessed.")
    dor = t.duration
    events = counted(dor.n_events, "relapse or death", "relapses or deaths",
                     "no relapse or death")
    duration = (f"Duration of response (DOR), from the date of CR/CRh to relapse or death, "
                f"censored at last contact: median {fmt.median_ci(dor.median, an.conf_level)}, "
                f"with {events} among {counted(dor.n, 'responder', 'responders')}.")
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
    return f"MRD positive in {int(t['positive'])}, not assessed in {int(t['not assessed'])}"


def pending_sentence(an: Analysis, pop: str, column: str, noun: tuple[str, str],
                     what: str = "response") -> str:
    """How many of ``pop`` have ``column`` not yet assessed (``pending``), as a sentence that is
    also true when there are none.

    ``noun`` names one patient and several (``("R/R patient", "R/R patients")``); ``what`` is
    the result not yet known.
    """
    n = an.n_pending(pop, column)
    if n == 0:
        return f"No {noun[0]}'s {what} is still pending."
    who = f"{n} {noun[0] if n == 1 else noun[1]}"
    return (f"{who} whose {what} is not yet assessed (still on treatment) "
            f"{'is' if n == 1 else 'are'} left out of the denominators and kept in the survival "
            "analyses.")


def subgroup_rate(an: Analysis, code: str, level: str) -> str:
    """``"74%"``: CR/CRh in one level of a subgroup (codes of ``definitions.subgroups``)."""
    return fmt.pct(an.subgroup_rate(code, level).rate)


def subgroup_rate_n(an: Analysis, code: str, level: str) -> str:
    """``"19/26, 73%"``."""
    p = an.subgroup_rate(code, level)
    return f"{fmt.n_of(p.n, p.N)}, {fmt.pct(p.rate)}"


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
    level = fmt.number(100 * an.conf_level)
    return (f"difference {fmt.signed(100 * row['difference'])} percentage points, {level}% CI "
            f"{fmt.signed(100 * row['diff_ci_low'])} to {fmt.signed(100 * row['diff_ci_high'])}")


def subgroup_test(an: Analysis, code: str, first: bool = True) -> str:
    """The difference and its test for one subgroup variable, for a parenthesis:
    ``"difference +14 percentage points, 95% CI −13 to +41; p = 1.000, Fisher's exact test,
    Holm-adjusted"`` (``first``: name the test)."""
    row = _subgroup_head(an, code)
    test = subgroup_p(an, code)
    if first and row["not_tested"] is None:
        test += ", Fisher's exact test, Holm-adjusted"
    return f"{subgroup_difference(an, code)}; {test}"


#: The outcomes of a comparison of response rates, as :func:`~._no_test.no_test` names them.
_OUTCOMES = ("patient in the rarer outcome", "patients in the rarer outcome (response or none)",
             "no patient in the rarer outcome")


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
        "cytogenetic": "{0} with standard and {1} with high cytogenetic risk",
        "blasts": "{0} with fewer than " + blasts_cutoff() + " marrow blasts and {1} with more",
        "prior_hsct": "{0} after a prior allo-HSCT and {1} without",
    }
    clauses, unknown, single = [], [], []
    for code, first, second in REPORTED_SUBGROUPS:
        state = an.subgroup_state(code)
        if state == "empty":
            return [], [explain(an.subgroup_reason(code))]
        if state == "compared":
            clauses.append(shapes[code].format(rate(an, code, first), rate(an, code, second)))
        heading = subgroup(code).heading
        (unknown if state == "unknown" else single if state == "single" else []).append(
            heading[:1].lower() + heading[1:])
    reasons = []
    if unknown:
        reasons.append(f"{_capital(and_join(unknown))} {'is' if len(unknown) == 1 else 'are'} "
                       "unknown for every R/R patient of this dataset.")
    if single:
        one = len(single) == 1
        reasons.append(f"{_capital(and_join(single))} {'takes' if one else 'each take'} a single "
                       "value among the R/R patients of this dataset, so response cannot be "
                       f"compared by {'it' if one else 'them'}.")
    return clauses, reasons


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def subgroups_text(an: Analysis) -> str:
    """The subgroup paragraph: rates, differences with their intervals, Holm-adjusted p-values
    where a test is allowed, what cannot be compared, and why there is no multivariable model."""
    an.require("rr")
    clauses, reasons = subgroup_clauses(an)
    tests = []
    for code, *_ in REPORTED_SUBGROUPS:
        if an.subgroup_reason(code) is None:
            test = subgroup_test(an, code, first=not tests)
            if code == "blasts":
                test += f"; blasts unknown in {_blasts_unknown(an)}"
            tests.append(test)
    body = "; ".join(f"{c} ({t})" for c, t in zip(clauses, tests))
    rows = an.subgroup_response()
    return sentences(f"The CR/CRh rate was {body}." if body else None, *reasons,
                     _method_sentence(an) if len(rows) else None,
                     _model_sentence(an) if len(rows) else None)


def _method_sentence(an: Analysis) -> str:
    """How the differences and p-values of the subgroup table are made, and what is
    exploratory."""
    rows = an.subgroup_response()
    heads = rows.drop_duplicates("code")
    n_tested = int(heads["p_holm"].notna().sum())
    exploratory = [h[:1].lower() + h[1:] for h in heads.loc[heads["exploratory"].astype(bool),
                                                             "subgroup"]]
    parts = ["Differences are the first level's rate minus the second's, with Newcombe's hybrid "
             "score interval"]
    if n_tested:
        parts.append(f"p-values are from Fisher's exact test, Holm-adjusted over the "
                     f"{counted(n_tested, 'subgroup variable', 'subgroup variables')} tested")
    untested = len(heads) - n_tested
    if untested:
        parts.append(f"{counted(untested, 'variable has', 'variables have')} no test (fewer "
                     f"than {fmt.number(MIN_PATIENTS_FOR_TEST)} patients in a group or in the "
                     "rarer outcome)")
    text = "; ".join(parts) + "."
    if exploratory:
        text += (f" {_capital(and_join(exploratory))} {'is' if len(exploratory) == 1 else 'are'} "
                 "exploratory: the paper did not analyse "
                 f"{'it' if len(exploratory) == 1 else 'them'}.")
    return text


def _model_sentence(an: Analysis) -> str | None:
    """Why there is no multivariable model of response (events per variable)."""
    room = an.subgroup_model_room()
    if room.candidates < 2:
        return None
    epv = fmt.number(EVENTS_PER_VARIABLE)
    rarer = counted(room.events, "patient", "patients") + " in the rarer outcome"
    if room.terms_allowed < room.candidates:
        return (f"No multivariable model was fitted: with {rarer} (response or none), "
                f"{epv} events per term allow {counted(room.terms_allowed, 'term', 'terms')}, "
                f"fewer than the {fmt.number(room.candidates)} variables the paper analysed.")
    return (f"A multivariable model of the {fmt.number(room.candidates)} variables the paper "
            f"analysed would stay within {epv} events per term ({rarer}); it is not part of this "
            "book's analysis plan, so the differences above are unadjusted.")


def response_text(an: Analysis) -> str:
    """CR/CRh in the R/R group by category, those pending, and MRD negativity of responders."""
    an.require("rr")
    hem = "hematologic_response"
    pending = pending_sentence(an, "rr", hem, ("R/R patient", "R/R patients"))
    rr = or_reason(lambda: (
        f"Complete remission (CR or CRh) was achieved in {response(an)} patients: CR in "
        f"{category(an, 'rr', hem, 'CR')} and CRh in {category(an, 'rr', hem, 'CRh')}. There was "
        f"no response (NR) in {category(an, 'rr', hem, 'NR')}, and the response was not "
        f"evaluable (NE) in {category(an, 'rr', hem, 'NE')}; NE counts as no response."))
    if an.n("rr_responders") == 0:
        return sentences(rr, pending)
    mrd = or_reason(lambda: (
        f"MRD negativity was reached by {mrd_negativity(an)} of the responders "
        f"({mrd_breakdown(an, 'rr_responders')}; MRD not assessed is its own category and "
        "counts as not negative), that is by "
        f"{mrd_negativity_all_treated(an)} of all R/R patients treated."))
    return sentences(rr, pending, mrd, pending_sentence(
        an, "rr_responders", "mrd_response", ("R/R responder", "R/R responders"), "MRD status"))


def survival_text(an: Analysis) -> str:
    """2-year OS and EFS of the R/R group from day 1, and RFS of its responders from response."""
    an.require("rr")
    cohort = _survival.endpoints_at(
        an, "rr", ("OS", "EFS"), TWO_YEARS_DAYS,
        "In the R/R group, counted from day 1 of blinatumomab, 2-year OS was {0} and 2-year EFS "
        "{1} (no CR/CRh counts as an event on day 1).",
        "In the R/R group, 2-year OS and EFS, counted from day 1 of blinatumomab, were {na}.")
    if an.n("rr_responders") == 0:
        return sentences(cohort, empty_population("rr_responders"))
    n = an.n("rr_responders")
    responders = _survival.endpoints_at(
        an, "rr_responders", ("RFS",), TWO_YEARS_DAYS,
        f"Counted from the response, the 2-year relapse-free survival (RFS) of the "
        f"{counted(n, 'R/R responder', 'R/R responders')} was {{0}}.",
        "Counted from the response, the 2-year relapse-free survival (RFS) of the "
        f"{counted(n, 'R/R responder', 'R/R responders')} was {{na}}.")
    return sentences(cohort, responders)


def comparison_text(cmp, what: str, first: str, second: str, conf_level: float,
                    days: float) -> str:
    """``"{what} was X in the 15 patients {first} and Y in the 28 {second} (p = …, log-rank)"``
    of a :class:`~blina_analysis.analyses.summaries.CurveComparison` of two populations, with
    the reason when there is no test."""
    one, other = cmp.groups
    readings = [f"{_survival.estimate(g.estimate, days, conf_level)} in the "
                f"{counted(g.n, 'patient', 'patients')} {words}"
                for g, words in ((one, first), (other, second))]
    if cmp.p_value is not None:
        test = _survival.log_rank(cmp.p_value)
    elif cmp.no_test == NO_TEST_FEW_PATIENTS:
        test = f" (no test: fewer than {MIN_PATIENTS_FOR_TEST} patients in a group)"
    else:
        test = f" (no test: fewer than {MIN_EVENTS_FOR_TEST} events in all)"
    return f"{what} was {readings[0]} and {readings[1]}{test}"


def prior_hsct_survival_text(an: Analysis) -> str:
    """2-year OS of the R/R group by prior allo-HSCT, from day 1, with a log-rank test when the
    groups are large enough."""
    an.require("rr")
    cmp = curve_comparison(an, ("rr_prior_hsct", "rr_no_prior_hsct"), "OS", TWO_YEARS_DAYS)
    if len(cmp.groups) == 1:
        only = "after a prior allo-HSCT" if cmp.groups[0].pop == "rr_prior_hsct" else \
            "without a prior allo-HSCT"
        return (f"Every R/R patient was treated {only}, so overall survival cannot be compared "
                "by prior allo-HSCT.")
    body = comparison_text(cmp, "By prior allo-HSCT, 2-year OS from day 1",
                           "treated after one", "without", an.conf_level,
                           TWO_YEARS_DAYS)
    return f"{body}."


def hsct_censored_text(an: Analysis) -> str:
    """Sensitivity: RFS of the R/R responders from response, an allo-HSCT after blinatumomab
    censoring."""
    an.require("rr_responders")
    n = int(an.patients("rr_responders")["hsct_after_bc"].sum())
    if n == 0:
        return ("No R/R responder was transplanted after blinatumomab, so censoring at "
                "transplant changes nothing.")
    return _survival.endpoints_at(
        an, "rr_responders", ("RFS_HSCT", "RFS"), TWO_YEARS_DAYS,
        "As a sensitivity analysis, with an allo-HSCT after blinatumomab censoring the time ("
        f"{counted(n, 'R/R responder', 'R/R responders')} transplanted), 2-year RFS from "
        "response was {0}, against {1} without censoring.",
        "As a sensitivity analysis, with an allo-HSCT after blinatumomab censoring the time, "
        "2-year RFS from response was {na}.")


def by_response_text(an: Analysis) -> str:
    """Overall survival by response without guarantee-time bias: time-dependent Cox hazard
    ratio with the Mantel–Byar test, and the landmark."""
    an.require("rr")
    state = or_reason(lambda: response_state_sentence(an, "rr", "OS", "death", "R/R patients"))
    return sentences(state, or_reason(lambda: _landmark_sentence(an)))


def response_state_sentence(an: Analysis, pop: str, endpoint: str, event: str, who: str,
                            state: str = "response") -> str:
    """The comparison by response as a time-dependent state: ``"With response as a
    time-dependent state …, the hazard of death after response was HR 0.43 (95% CI 0.19–0.95)
    times the hazard before or without it (time-dependent Cox model; Mantel–Byar test
    p = 0.032)."``, or the counts and why there is no test."""
    s = an.response_state(pop, endpoint)  # NoInformation: nothing to compare
    intro = (f"With {state} as a time-dependent state (each patient counted as not yet "
             f"responding until the day of {state})")
    if s.not_tested is not None:
        events = counted(s.events, event, event + "s")
        return (f"{intro}, {counted(s.n_responded, 'patient', 'patients')} of the {who} "
                f"responded and {fmt.number(s.n_never)} did not; of {events}, "
                f"{fmt.number(s.events_after_response)} came after {state}. The comparison is "
                f"described without a test: "
                f"{why_no_test(s.not_tested, (event, event + 's', 'no ' + event))}.")
    row = s.cox.table.iloc[0]
    level = fmt.number(100 * an.conf_level)
    if s.cox.estimable:
        hr = (f"the hazard of {event} after {state} was HR {fmt.number(row['hr'], 2)} "
              f"({level}% CI {fmt.ci(row['hr_ci_low'], row['hr_ci_high'], 2, percent=False)}) "
              f"times the hazard before or without it (time-dependent Cox model")
    else:
        hr = ("the hazard ratio of the time-dependent Cox model was not estimable (every event "
              "fell in one state")
    return f"{intro}, {hr}; Mantel–Byar test {fmt.p_value(s.mantel_byar.p_value)})."


def hazard_ratio_clause(an: Analysis, pop: str, endpoint: str,
                        events: tuple[str, str, str]) -> str:
    """``"HR 0.60 (95% CI 0.18–2.07; Mantel–Byar test p = 0.418)"`` for the responded state
    against not (yet) responded, or ``"not tested: …"``; NoInformation when nothing can be
    compared."""
    s = an.response_state(pop, endpoint)
    if s.not_tested is not None:
        return f"not tested ({why_no_test(s.not_tested, events)})"
    test = f"Mantel–Byar test {fmt.p_value(s.mantel_byar.p_value)}"
    if not s.cox.estimable:
        return f"not estimable ({test})"
    row = s.cox.table.iloc[0]
    level = fmt.number(100 * an.conf_level)
    return (f"HR {fmt.number(row['hr'], 2)} ({level}% CI "
            f"{fmt.ci(row['hr_ci_low'], row['hr_ci_high'], 2, percent=False)}; {test})")


def _landmark_sentence(an: Analysis) -> str:
    lm = _survival.response_landmark(an, "rr", "OS")  # NoInformation: nobody in follow-up
    head = (f"At a landmark on day {_survival.response_landmark_days()}, the response "
            f"assessment, {counted(lm.n_at_risk, 'R/R patient was', 'R/R patients were')} alive "
            f"and in follow-up, {of_them(lm.n_responders, 'responder', 'responders')} by then")
    by_group = _survival.by_group(lm, "median OS", an.conf_level)
    return f"{head}; counted from the landmark, {by_group}."


def overview(an: Analysis) -> str:
    n = an.n("rr")
    if n == 0:
        return chapter_without_results("rr")
    noun = "patient" if n == 1 else "patients"
    return (f"Response, MRD negativity, response by subgroup and survival of the {fmt.number(n)} "
            f"{noun} with relapsed or refractory disease.")


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
