"""The relapsed/refractory chapter: response, MRD negativity, subgroups, survival."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import BLASTS_CUTOFF_PCT, TWO_YEARS_DAYS
from blina_analysis.errors import NoInformation
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival
from blina_analysis.report.text._say import and_join, or_reason, sentences

__all__ = ["values", "response", "response_short", "mrd_negativity", "subgroup_rate",
           "subgroup_rate_n", "subgroup_p", "blasts_cutoff", "subgroup_clauses",
           "BLASTS_LOW", "BLASTS_HIGH", "REPORTED_SUBGROUPS"]

BLASTS_LOW = ("Marrow blasts", f"<{BLASTS_CUTOFF_PCT}%")
BLASTS_HIGH = ("Marrow blasts", f"≥{BLASTS_CUTOFF_PCT}%")
#: The subgroups the paper reports, in its order: (heading, first level, second level).
REPORTED_SUBGROUPS = (("Cytogenetic risk", "standard", "high"),
                      ("Marrow blasts", BLASTS_LOW[1], BLASTS_HIGH[1]),
                      ("Prior allo-HSCT", "yes", "no"))
#: A confidence interval at least this wide (a fraction) is called wide.
_WIDE_CI = 0.2


def blasts_cutoff() -> str:
    return f"{BLASTS_CUTOFF_PCT}%"


def response(an: Analysis) -> str:
    """``"29/43 (67%; 95% CI 51–81%)"``: CR/CRh in the R/R group."""
    an.require("rr")
    rr = an.rr_response
    return f"{fmt.n_of(rr.n, rr.N)} ({fmt.rate_ci(rr, an.conf_level)})"


def response_short(an: Analysis) -> str:
    an.require("rr")
    rr = an.rr_response
    return f"{fmt.n_of(rr.n, rr.N)} ({fmt.pct(rr.rate)})"


def mrd_negativity(an: Analysis) -> str:
    """MRD negativity among the R/R responders, with its interval."""
    an.require("rr_responders")
    p = an.rr_mrd_negativity
    return f"{fmt.n_of(p.n, p.N)} ({fmt.rate_ci(p, an.conf_level)})"


def subgroup_rate(an: Analysis, heading: str, level: str) -> str:
    """``"74%"``: CR/CRh in one level of a subgroup variable."""
    return fmt.pct(an.subgroup_rate(heading, level).rate)


def subgroup_rate_n(an: Analysis, heading: str, level: str) -> str:
    """``"19/26, 73%"``."""
    p = an.subgroup_rate(heading, level)
    return f"{fmt.n_of(p.n, p.N)}, {fmt.pct(p.rate)}"


def subgroup_p(an: Analysis, heading: str) -> str:
    """Fisher's exact p-value of one subgroup variable."""
    reason = an.subgroup_reason(heading)
    if reason:
        raise NoInformation(reason)
    sub = an.subgroup_response()
    return fmt.p_value(sub.loc[sub["subgroup"] == heading, "p_value"].iloc[0])


def _blasts_unknown(an: Analysis) -> str:
    sub = an.subgroup_response()
    missing = sub.loc[sub["subgroup"] == "Marrow blasts", "n_missing"]
    return str(int(missing.iloc[0])) if len(missing) else "0"


def subgroup_clauses(an: Analysis, rate=subgroup_rate_n) -> tuple[list[str], list[str]]:
    """The reported subgroups that can be compared, as clauses (``"19/26, 73% with standard and
    10/17, 59% with high cytogenetic risk"``), and the reasons for those that cannot."""
    shapes = {
        "Cytogenetic risk": "{0} with standard and {1} with high cytogenetic risk",
        "Marrow blasts": "{0} with fewer than " + blasts_cutoff() + " marrow blasts and {1} with more",
        "Prior allo-HSCT": "{0} after a prior allo-HSCT and {1} without",
    }
    clauses, unknown, single = [], [], []
    for heading, first, second in REPORTED_SUBGROUPS:
        state = an.subgroup_state(heading)
        if state == "empty":
            return [], [an.empty_reason("rr")]
        if state == "compared":
            clauses.append(shapes[heading].format(rate(an, heading, first),
                                                  rate(an, heading, second)))
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
    for heading, *_ in REPORTED_SUBGROUPS:
        if an.subgroup_reason(heading) is None:
            test = subgroup_p(an, heading) + (", Fisher's exact test" if not tests else "")
            if heading == "Marrow blasts":
                test += f"; blasts unknown in {_blasts_unknown(an)}"
            tests.append(test)
    body = "; ".join(f"{c} ({t})" for c, t in zip(clauses, tests))
    rows = an.subgroup_response()
    wide = bool(((rows["ci_high"] - rows["ci_low"]) >= _WIDE_CI).any())
    closing = ("With these numbers the confidence intervals are wide: the subgroup differences "
               "are descriptive." if wide else "The subgroup differences are descriptive.")
    return sentences(f"The CR/CRh rate was {body}." if body else None, *reasons,
                     closing if body else None)


def response_text(an: Analysis) -> str:
    """CR/CRh in the R/R group and MRD negativity among its responders."""
    rr = f"Complete remission (CR or CRh) was achieved in {response(an)} patients."
    if an.n("rr_responders") == 0:
        return rr
    return f"{rr} MRD negativity was reached by {mrd_negativity(an)} of the responders."


def survival_text(an: Analysis) -> str:
    """2-year OS/DFS of the R/R responders, and median OS by response with the log-rank test."""
    an.require("rr")
    resp = or_reason(lambda: _survival.os_and_dfs(
        an, "rr_responders", TWO_YEARS_DAYS, "In responders, 2-year OS was {os} and 2-year DFS "
        "{dfs}.", "In responders, 2-year OS and DFS were {na}."))
    groups = [(pop, label) for pop, label in (("rr_responders", "responders"),
                                             ("rr_non_responders", "non-responders"))
              if an.n(pop)]
    medians = " and ".join(f"{_survival.median(an, pop, 'OS')} in {label}"
                           for pop, label in groups)
    if len(groups) == 2:
        p = _survival.logrank(an, ("rr_responders", "rr_non_responders"), "OS")
        test = f" ({p}, log-rank)" if p else " (no death in either group, so no log-rank test)"
        missing = None
    else:
        test = ""
        missing = an.empty_reason("rr_non_responders" if an.n("rr_responders") else
                                  "rr_responders")
    return sentences(resp, f"Median OS was {medians}{test}.", missing)


def overview(an: Analysis) -> str:
    n = an.n("rr")
    if n == 0:
        return f"{an.empty_reason('rr')[:-1]}, so this chapter has no results."
    noun = "patient" if n == 1 else "patients"
    return (f"Response, MRD negativity, response by subgroup and survival of the {fmt.number(n)} "
            f"{noun} with relapsed or refractory disease.")


def values(an: Analysis) -> dict[str, str]:
    return {
        "rr_overview": overview(an),
        "rr_response_text": or_reason(lambda: response_text(an)),
        "rr_subgroups_text": or_reason(lambda: subgroups_text(an)),
        "rr_survival_text": or_reason(lambda: survival_text(an)),
    }
