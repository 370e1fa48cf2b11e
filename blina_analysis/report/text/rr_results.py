"""The relapsed/refractory chapter: response, MRD negativity, subgroups, survival."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import TWO_YEARS_DAYS, subgroup
from blina_analysis.errors import NoInformation
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival, course
from blina_analysis.report.text.reasons import chapter_without_results, explain
from blina_analysis.report.text._say import and_join, counted, of_them, or_reason, sentences
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values", "response", "response_short", "mrd_negativity", "subgroup_rate",
           "subgroup_rate_n", "subgroup_p", "blasts_cutoff", "category", "pending_sentence",
           "mrd_breakdown", "not_yet_assessed", "subgroup_clauses", "subgroups_text",
           "response_text", "survival_text", "by_response_text", "REPORTED_SUBGROUPS"]

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
    """Fisher's exact p-value of one subgroup variable."""
    reason = an.subgroup_reason(code)
    if reason:
        raise reason
    sub = an.subgroup_response()
    rows = sub[sub["code"] == code] if len(sub) else sub
    return fmt.p_value(rows["p_value"].iloc[0] if len(rows) else None)


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
    """The subgroup paragraph: rates, Fisher's exact p-values, and what cannot be compared."""
    an.require("rr")
    clauses, reasons = subgroup_clauses(an)
    tests = []
    for code, *_ in REPORTED_SUBGROUPS:
        if an.subgroup_reason(code) is None:
            test = subgroup_p(an, code) + (", Fisher's exact test" if not tests else "")
            if code == "blasts":
                test += f"; blasts unknown in {_blasts_unknown(an)}"
            tests.append(test)
    body = "; ".join(f"{c} ({t})" for c, t in zip(clauses, tests))
    rows = an.subgroup_response()
    wide = bool(len(rows)) and bool(((rows["ci_high"] - rows["ci_low"]) >= _WIDE_CI).any())
    closing = ("With these numbers the confidence intervals are wide: the subgroup differences "
               "are descriptive." if wide else "The subgroup differences are descriptive.")
    return sentences(f"The CR/CRh rate was {body}." if body else None, *reasons,
                     closing if body else None)


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
        "counts as not negative)."))
    return sentences(rr, pending, mrd, pending_sentence(
        an, "rr_responders", "mrd_response", ("R/R responder", "R/R responders"), "MRD status"))


def survival_text(an: Analysis) -> str:
    """2-year OS/DFS of the R/R responders, from the start of blinatumomab."""
    an.require("rr_responders")
    return _survival.os_and_dfs(
        an, "rr_responders", TWO_YEARS_DAYS, "In R/R responders, 2-year OS was {os} and 2-year "
        "DFS {dfs}, counted from the start of blinatumomab.",
        "In R/R responders, 2-year OS and DFS were {na}, counted from the start of blinatumomab.")


def by_response_text(an: Analysis) -> str:
    """Overall survival by response without guarantee-time bias: Mantel–Byar and landmark."""
    an.require("rr")
    mantel_byar = or_reason(lambda: (
        "With response as a time-dependent state (each patient a non-responder until the day of "
        "response), the Mantel–Byar test of overall survival gave "
        f"{_survival.chisq_test(an.response_mantel_byar('rr', 'OS'))}."))
    return sentences(mantel_byar, or_reason(lambda: _landmark_sentence(an)))


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
        "rr_subgroups_text": or_reason(lambda: subgroups_text(an)),
        "rr_survival_text": or_reason(lambda: survival_text(an)),
    }
